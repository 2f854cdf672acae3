package dev.byok.cli.internal;

/**
 * An operation that ran but did not succeed for a reason the command itself detected (a demo
 * invariant broken, a check that failed). The command exits with status 1 and prints the message as
 * its one error line. Thread-safe (immutable).
 */
public final class OperationFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OperationFailedException(String message) {
    super(message);
  }

  public OperationFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
