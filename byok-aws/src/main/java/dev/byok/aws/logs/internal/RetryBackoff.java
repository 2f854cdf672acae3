package dev.byok.aws.logs.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long a failing tenant waits before its next attempt: exponential backoff with equal jitter,
 * from {@code base}, doubling per failure in a row, up to {@code max}; half of each step is fixed
 * and half random, so that many sinks that failed together do not retry together. Used by the
 * dispatcher thread only ({@code random} need not be thread-safe).
 *
 * @param base the first step (at least 1 ms)
 * @param max the largest step (at least {@code base})
 * @param random the jitter source
 */
public record RetryBackoff(Duration base, Duration max, RandomGenerator random) {

  /**
   * Checks the bounds.
   *
   * @throws IllegalArgumentException unless 1 ms &lt;= base &lt;= max
   */
  public RetryBackoff {
    if (base == null || max == null || base.toMillis() < 1 || max.compareTo(base) < 0) {
      throw new IllegalArgumentException("retryBackoff needs 1 ms <= base <= max, got " + base + " and " + max);
    }
    Objects.requireNonNull(random, "random");
  }

  /** The wait in milliseconds after {@code failures} (at least 1) failed attempts in a row. */
  public long delayMillis(int failures) {
    long step = Math.min(max.toMillis(), base.toMillis() << Math.min(failures - 1, 30));
    long half = step / 2;
    return half + (half > 0 ? random.nextLong(half + 1) : 0);
  }
}
