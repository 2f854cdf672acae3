package dev.byok.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code byok} command. */
@Command(name = "byok", mixinStandardHelpOptions = true, version = "byok 0.1.0-SNAPSHOT",
    description = "Bring-your-own-key envelope encryption on AWS KMS, for SaaS vendors and their customers.",
    subcommands = {DemoCommand.class, CommandLine.HelpCommand.class})
public final class Main {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit status (for tests). */
  public static int run(String... args) {
    return new CommandLine(new Main()).execute(args);
  }
}
