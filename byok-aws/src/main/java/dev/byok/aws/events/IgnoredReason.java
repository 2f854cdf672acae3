package dev.byok.aws.events;

/**
 * Why {@link KeyEventListener} ignored a message: it did nothing for it except count it, log it
 * (rate-limited, with only escaped values from the message) and delete it from the queue. Each has
 * a stable {@link #id()} used as the metrics tag.
 */
public enum IgnoredReason {
  /** Not JSON, not a JSON object, or an EventBridge event without the fields every event has. */
  MALFORMED("malformed"),
  /** Longer than the listener's {@code maxMessageBytes}. */
  OVERSIZED("oversized"),
  /** Not an "AWS API Call via CloudTrail" event of source {@code aws.kms} and event source {@code kms.amazonaws.com}. */
  NOT_A_KMS_EVENT("not-a-kms-event"),
  /** A KMS call that neither cuts access nor may bring it back (e.g. Decrypt). */
  UNHANDLED_EVENT_NAME("unhandled-event-name"),
  /** The call failed ({@code errorCode} in the record), so nothing changed. */
  FAILED_CALL("failed-call"),
  /** The event names no KMS key (or only an alias). */
  NO_KEY("no-key"),
  /** The event names more than one key. */
  AMBIGUOUS_KEY("ambiguous-key"),
  /** No tenant of the {@code TenantDirectory} uses the key. */
  UNKNOWN_KEY("unknown-key"),
  /** The event's account (set by EventBridge, not by the sender) is not the key's account. */
  WRONG_ACCOUNT("wrong-account"),
  /** The same event (account and CloudTrail event ID) was handled before: SQS and SNS deliver at least once. */
  DUPLICATE("duplicate");

  private final String id;

  IgnoredReason(String id) {
    this.id = id;
  }

  /** The reason's name in metrics and logs, such as {@code wrong-account}. */
  public String id() {
    return id;
  }
}
