package dev.byok.aws.logs.internal;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A point in monotonic time ({@code System.nanoTime}, or a fake ticker in tests) by which flush or
 * close must be done, shared by each step of close so that together they take no longer than the
 * caller's timeout. Immutable.
 *
 * @param atNanos the deadline on {@code ticker}'s scale
 * @param ticker the source of monotonic nanoseconds
 */
public record Deadline(long atNanos, LongSupplier ticker) {

  /** {@code timeout} from now on {@code ticker}. */
  public static Deadline after(Duration timeout, LongSupplier ticker) {
    long now = ticker.getAsLong();
    return new Deadline(now + saturatedNanos(timeout), ticker);
  }

  private static long saturatedNanos(Duration d) {
    if (d.isNegative()) {
      return 0;
    }
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 2;
    }
  }

  /** Nanoseconds left, 0 once passed. */
  public long remainingNanos() {
    return Math.max(0, atNanos - ticker.getAsLong());
  }

  /** Whether the deadline has passed. */
  public boolean passed() {
    return atNanos - ticker.getAsLong() <= 0;
  }
}
