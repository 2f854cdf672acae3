package dev.byok.aws.logs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DeadlineTest {
  /** Starts 5.5 s below the top of the range, as System.nanoTime may: the test's ticker wraps around. */
  private final AtomicLong ticker = new AtomicLong(Long.MAX_VALUE - 5_500_000_000L);

  @Test
  void after_timeLeft_thenPassedOnceTheTickerReachesIt() {
    Deadline d = Deadline.after(Duration.ofSeconds(5), ticker::get);
    assertFalse(d.passed());
    assertEquals(5_000_000_000L, d.remainingNanos());
    ticker.addAndGet(4_999_999_999L);
    assertFalse(d.passed());
    assertEquals(1, d.remainingNanos());
    ticker.incrementAndGet();
    assertTrue(d.passed(), "passed at the deadline itself");
    ticker.addAndGet(1_000_000_000L);
    assertTrue(ticker.get() < 0, "the ticker wrapped");
    assertTrue(d.passed());
    assertEquals(0, d.remainingNanos(), "never negative");
  }

  @Test
  void after_zeroOrNegativeTimeout_alreadyPassed() {
    assertTrue(Deadline.after(Duration.ZERO, ticker::get).passed());
    assertTrue(Deadline.after(Duration.ofSeconds(-3), ticker::get).passed());
  }

  @Test
  void after_hugeTimeout_doesNotOverflow() {
    AtomicLong zero = new AtomicLong();
    Deadline d = Deadline.after(Duration.ofSeconds(Long.MAX_VALUE), zero::get);
    assertFalse(d.passed());
    assertTrue(d.remainingNanos() > Duration.ofDays(365 * 100).toNanos());
  }
}
