package dev.byok.cli.internal;

/**
 * A command line that parsed but makes no sense (a missing keystore file, two sources of a key, a
 * bad option value found late). The command exits with status 2 and prints the message as its one
 * error line. Thread-safe (immutable).
 */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }

  public UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
