package dev.byok.cli;

import dev.byok.cli.internal.Errors;
import dev.byok.cli.internal.Io;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/**
 * The {@code byok} command. {@link #main} runs it on the process's streams and exits with its
 * status; {@link #run(Io, String...)} runs it in-process on given streams and returns the status
 * (tests use it). Exit statuses are in {@link ExitCodes}.
 *
 * <p>Errors: one line on standard error, {@code byok SUBCOMMAND: what went wrong}, and no stack
 * trace unless {@code --debug} is given.
 *
 * <p>Each run builds its own command objects; runs on different threads do not share state.
 */
@Command(name = "byok", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Bring-your-own-key envelope encryption on AWS KMS, for SaaS vendors and their customers.",
    subcommands = {DemoCommand.class, KeysCommand.class, EncryptCommand.class, DecryptCommand.class,
        ProvisionCommand.class, AuditCommand.class, BenchCommand.class, VectorsCommand.class, FleetModelCommand.class,
        CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:ok",
        "1:the operation failed",
        "2:usage error (bad option, bad value, missing file)",
        "3:invalid ciphertext (malformed, truncated, tampered, wrong key or context)",
        "4:access revoked (key disabled, pending deletion, or caller/scope denied)",
        "5:key service unavailable (throttled, unreachable; retry later)"},
    footer = {"%nErrors are one line on standard error; add --debug for the stack trace.%n"})
public final class Main {

  private final Io io;

  @Option(names = "--debug", scope = ScopeType.INHERIT,
      description = "Print the stack trace of an error and debug logs.")
  boolean debug;

  private Main(Io io) {
    this.io = io;
  }

  public static void main(String[] args) {
    if (java.util.Arrays.asList(args).contains("--debug")) {
      // Before the first logger is made: slf4j-simple reads its level once.
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
      System.setProperty("org.slf4j.simpleLogger.log.dev.byok", "debug");
    }
    System.exit(run(Io.system(), args));
  }

  /** Runs the command line on the process's streams and returns the exit status. */
  public static int run(String... args) {
    return run(Io.system(), args);
  }

  /** Runs the command line on {@code io} and returns the exit status (see {@link ExitCodes}). */
  public static int run(Io io, String... args) {
    CommandLine cl = new CommandLine(new Main(io));
    addHelpOptions(cl);
    cl.setOut(io.out());
    cl.setErr(io.err());
    cl.setExecutionExceptionHandler(Main::onExecutionError);
    cl.setParameterExceptionHandler(Main::onUsageError);
    try {
      return cl.execute(args);
    } finally {
      io.out().flush();
      io.err().flush();
    }
  }

  /** Gives every subcommand {@code -h/--help} (and {@code -V/--version}), as the error lines promise. */
  private static void addHelpOptions(CommandLine cl) {
    cl.getCommandSpec().mixinStandardHelpOptions(true);
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (!(sub.getCommandSpec().userObject() instanceof CommandLine.HelpCommand)) {
        addHelpOptions(sub);
      }
    }
  }

  /** The streams of the run that {@code spec} belongs to. */
  static Io io(CommandSpec spec) {
    return ((Main) spec.root().userObject()).io;
  }

  private static int onExecutionError(Exception e, CommandLine cl, ParseResult parsed) {
    PrintWriter err = cl.getErr();
    err.println(qualifiedName(cl) + ": " + Errors.message(e));
    if (debugRequested(parsed)) {
      e.printStackTrace(err);
    }
    err.flush();
    return Errors.exitCode(e);
  }

  private static int onUsageError(ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    String name = qualifiedName(cl);
    cl.getErr().println(name + ": " + Errors.oneLine(String.valueOf(e.getMessage()))
        + " (see '" + name + " --help')");
    cl.getErr().flush();
    return ExitCodes.USAGE;
  }

  private static String qualifiedName(CommandLine cl) {
    return cl.getCommandSpec().qualifiedName(" ");
  }

  private static boolean debugRequested(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--debug")) {
        return true;
      }
    }
    return false;
  }
}
