package dev.byok.aws.logs.internal;

/**
 * Why one attempt to deliver a batch failed, classified for the retry decision. The message is for
 * people: it names the tenant's role, log group or stream and says what to do. Never contains
 * credentials.
 */
public final class DeliveryFailure extends Exception {
  private static final long serialVersionUID = 1L;

  /** What went wrong, which decides what the sink does next. */
  public enum Kind {
    /** No hand-off bundle for the tenant: kept and retried (the lookup may learn it later). */
    UNKNOWN_TENANT,
    /** STS AssumeRole failed (trust policy, external ID, STS down): kept and retried. */
    ROLE,
    /** The customer's log group does not exist: kept and retried. */
    LOG_GROUP_MISSING,
    /** The log stream does not exist (deleted under us): re-created at once. */
    LOG_STREAM_MISSING,
    /** The role may not write to the group (IAM): kept and retried. */
    ACCESS_DENIED,
    /** Throttling, 5xx, timeouts, network: kept and retried with backoff. */
    TRANSIENT,
    /** The service rejected the request as malformed: the batch is split to isolate the event. */
    INVALID_REQUEST
  }

  /** What went wrong. */
  private final Kind kind;

  /**
   * A failure of one attempt.
   *
   * @param kind what went wrong
   * @param message for people: names the role, group or stream and what to do; no credentials
   * @param cause the SDK's exception, or {@code null}
   */
  public DeliveryFailure(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  /** What went wrong. */
  public Kind kind() {
    return kind;
  }

  /** Whether the server may have stored the batch although the call failed (so a retry may duplicate). */
  public boolean mayHaveBeenStored() {
    return kind == Kind.TRANSIENT;
  }
}
