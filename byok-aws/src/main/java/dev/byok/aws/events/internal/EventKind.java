package dev.byok.aws.events.internal;

import java.util.Optional;

/**
 * What a KMS call recorded by CloudTrail means for the vendor's access. Deny-like calls may cut
 * access, so they revoke at once; restore-like calls may bring it back, so they only make the key be
 * checked now: the probe decides, an event never restores access by itself.
 */
public enum EventKind {
  /** DisableKey, ScheduleKeyDeletion, PutKeyPolicy, RevokeGrant: revoke now. */
  DENY("revoke"),
  /** EnableKey, CancelKeyDeletion, CreateGrant: check the key now. */
  RESTORE("check");

  private final String action;

  EventKind(String action) {
    this.action = action;
  }

  /** The action's name in metrics: {@code revoke} or {@code check}. */
  public String action() {
    return action;
  }

  /** The kind of the KMS API call {@code eventName}, or empty for a call that changes no access. */
  public static Optional<EventKind> of(String eventName) {
    return switch (eventName) {
      case "DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy", "RevokeGrant" -> Optional.of(DENY);
      case "EnableKey", "CancelKeyDeletion", "CreateGrant" -> Optional.of(RESTORE);
      default -> Optional.empty();
    };
  }
}
