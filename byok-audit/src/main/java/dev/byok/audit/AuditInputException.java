package dev.byok.audit;

import dev.byok.core.ByokException;

/**
 * An input of the audit report cannot be read at all: a trail location or event file that does not
 * exist, a bucket or log group the caller may not read, an AWS service that cannot be reached.
 * The message names the location and what was wrong (and, for a refusal, the permission needed).
 * No report is made. Input that is only partly unreadable (a corrupt log file, a malformed event
 * line) does not throw: it is counted and the report says it is incomplete.
 */
public final class AuditInputException extends ByokException {
  private static final long serialVersionUID = 1L;

  /** Whether the same call may work later unchanged. */
  private final boolean retryable;

  /**
   * An input error.
   *
   * @param message what was wrong, naming the location
   * @param cause the underlying error, or {@code null}
   * @param retryable whether the same call may work later unchanged (throttling, unreachable service)
   */
  public AuditInputException(String message, Throwable cause, boolean retryable) {
    super(message, cause);
    this.retryable = retryable;
  }

  /**
   * An input error that retrying will not fix.
   *
   * @param message what was wrong, naming the location
   */
  public AuditInputException(String message) {
    this(message, null, false);
  }

  @Override
  public boolean retryable() {
    return retryable;
  }
}
