package dev.byok.aws.events.internal;

import dev.byok.core.AwsAccountId;
import dev.byok.core.KeyArn;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One customer key event as read from a message, not yet checked against the tenants: the account
 * EventBridge stamped on it, the KMS call, its kind, the one key it names, the CloudTrail event ID
 * and the call's time. Every field comes from untrusted input but has been validated.
 *
 * @param account the event's {@code account} (set by EventBridge: the account the call was made in)
 * @param eventName the KMS API call, one of the names {@link EventKind#of} knows
 * @param kind what the call means for access
 * @param keyArn the key the call was about
 * @param eventId the CloudTrail event ID (or the EventBridge event ID), for de-duplication; may be empty
 * @param eventTime when the call was made, when the event says so
 */
public record KeyEvent(AwsAccountId account, String eventName, EventKind kind, KeyArn keyArn, String eventId,
    Optional<Instant> eventTime) {

  /** Checks that no field is null. */
  public KeyEvent {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(eventName, "eventName");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(keyArn, "keyArn");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(eventTime, "eventTime");
  }
}
