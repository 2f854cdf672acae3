package dev.byok.aws.logs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {

  private static RetryBackoff backoff(RandomGenerator random) {
    return new RetryBackoff(Duration.ofMillis(100), Duration.ofSeconds(30), random);
  }

  /** A generator whose bounded draws are all at the top or all at the bottom of the range. */
  private static RandomGenerator extreme(boolean top) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        return 0;
      }

      @Override
      public long nextLong(long bound) {
        return top ? bound - 1 : 0;
      }
    };
  }

  @Test
  void backoff_doublesPerFailureWithinHalfJitter_cappedAtMax() {
    RetryBackoff low = backoff(extreme(false));
    RetryBackoff high = backoff(extreme(true));
    long step = 100;
    for (int failures = 1; failures <= 12; failures++) {
      long expected = Math.min(30_000, step);
      assertEquals(expected / 2, low.delayMillis(failures), "lowest at " + failures);
      assertEquals(expected / 2 + expected / 2, high.delayMillis(failures), "highest at " + failures);
      step *= 2;
    }
    assertEquals(15_000, low.delayMillis(1_000), "no overflow for many failures");
  }

  @Test
  void backoff_realRandom_spreadsAcrossTheJitterRange() {
    RetryBackoff b = backoff(RandomGenerator.of("L64X128MixRandom"));
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 1_000; i++) {
      long d = b.delayMillis(4);
      min = Math.min(min, d);
      max = Math.max(max, d);
    }
    assertTrue(min >= 400 && max <= 800, min + ".." + max);
    assertTrue(max - min > 200, "jitter spreads retries: " + min + ".." + max);
  }

  @Test
  void create_baseAboveMax_failsNamingBoth() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RetryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), RandomGenerator.of("L64X128MixRandom")));
    assertTrue(e.getMessage().contains("PT2S") && e.getMessage().contains("PT1S"), e.getMessage());
  }
}
