package dev.byok.aws.events;

import java.time.Duration;

/**
 * Receives a {@link KeyEventListener}'s measurements as they happen: messages received, events
 * acted on (by action), messages ignored (by reason), handling failures, and the lag from each
 * acted-on event's {@code eventTime}. {@link MicrometerKeyEventMetrics} publishes them to
 * Micrometer; this interface itself needs no Micrometer. Called from the listener's thread;
 * implementations must be thread-safe and must not throw.
 */
public interface KeyEventMetrics {

  /** A message was taken from the queue. */
  default void received() {}

  /** An event was acted on: {@code action} is {@code revoke} or {@code check}. */
  default void actedOn(String action) {}

  /** A message was ignored (and deleted). */
  default void ignored(IgnoredReason reason) {}

  /** Handling a message failed; it stays on the queue for redelivery. */
  default void failed() {}

  /** From an acted-on event's {@code eventTime} to its handling (zero when the clocks disagree). */
  default void lag(Duration lag) {}

  /** Metrics that go nowhere. */
  static KeyEventMetrics none() {
    return new KeyEventMetrics() { };
  }
}
