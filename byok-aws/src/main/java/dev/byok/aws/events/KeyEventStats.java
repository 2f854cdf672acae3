package dev.byok.aws.events;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of a {@link KeyEventListener}'s counters since it was built. Immutable.
 *
 * @param received messages taken from the queue
 * @param revoked deny-like events that revoked access to a key
 * @param checked restore-like events that made the key be checked now
 * @param ignoredByReason messages ignored, by reason (reasons with no message are absent)
 * @param failed messages whose handling failed (left on the queue for redelivery, then the dead-letter queue)
 * @param deleted messages deleted from the queue after handling (acted on or ignored)
 * @param lastLag from the last acted-on event's {@code eventTime} to its handling; zero before the first
 * @param maxLag the largest such lag seen
 */
public record KeyEventStats(long received, long revoked, long checked, Map<IgnoredReason, Long> ignoredByReason,
    long failed, long deleted, Duration lastLag, Duration maxLag) {

  /** Copies the map; every value is checked. */
  public KeyEventStats {
    Objects.requireNonNull(lastLag, "lastLag");
    Objects.requireNonNull(maxLag, "maxLag");
    EnumMap<IgnoredReason, Long> m = new EnumMap<>(IgnoredReason.class);
    m.putAll(Objects.requireNonNull(ignoredByReason, "ignoredByReason"));
    ignoredByReason = java.util.Collections.unmodifiableMap(m);
  }

  /** Events acted on: revoked plus checked. */
  public long actedOn() {
    return revoked + checked;
  }

  /** Messages ignored, for every reason. */
  public long ignored() {
    return ignoredByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Messages ignored for {@code reason}. */
  public long ignored(IgnoredReason reason) {
    return ignoredByReason.getOrDefault(reason, 0L);
  }
}
