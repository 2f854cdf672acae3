package dev.byok.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code byok demo}: the whole BYOK story on the embedded key service. */
@Command(name = "demo", description = "Runs the BYOK story on the embedded local key service (no AWS, no network).")
final class DemoCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.out.println("byok demo: the full story lands with the envelope, audit and provisioning modules.");
    return 0;
  }
}
