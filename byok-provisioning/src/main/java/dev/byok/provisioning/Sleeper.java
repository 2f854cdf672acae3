package dev.byok.provisioning;

import java.time.Duration;

/**
 * Waits between retries. Injected so tests can record the waits instead of sleeping.
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Sleeper {
  /** Sleeps with {@link Thread#sleep}. */
  Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());

  /** Waits for {@code duration}; may be interrupted. */
  void sleep(Duration duration) throws InterruptedException;
}
