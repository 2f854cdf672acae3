package dev.byok.aws.logs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.aws.logs.AuditMetrics;
import dev.byok.aws.logs.OverflowPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class DeliveryEngineTest {

  private static DeliveryEngine engine(RandomGenerator random) {
    DeliveryEngine.Config c = new DeliveryEngine.Config();
    c.capacity = 10;
    c.overflow = OverflowPolicy.BLOCK;
    c.flushInterval = Duration.ofSeconds(1);
    c.limits = DeliveryEngine.Limits.cloudWatch();
    c.retryBase = Duration.ofMillis(100);
    c.retryMax = Duration.ofSeconds(30);
    c.clock = Clock.systemUTC();
    c.random = random;
    c.executor = Runnable::run;
    c.metrics = AuditMetrics.none();
    c.destinations = t -> {
      throw new DeliveryFailure(DeliveryFailure.Kind.UNKNOWN_TENANT, "none", null);
    };
    return new DeliveryEngine(c);
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
    DeliveryEngine low = engine(extreme(false));
    DeliveryEngine high = engine(extreme(true));
    long step = 100;
    for (int failures = 1; failures <= 12; failures++) {
      long expected = Math.min(30_000, step);
      assertEquals(expected / 2, low.backoffMillis(failures), "lowest at " + failures);
      assertEquals(expected / 2 + expected / 2, high.backoffMillis(failures), "highest at " + failures);
      step *= 2;
    }
    assertEquals(15_000, low.backoffMillis(1_000), "no overflow for many failures");
  }

  @Test
  void backoff_realRandom_spreadsAcrossTheJitterRange() {
    DeliveryEngine e = engine(RandomGenerator.of("L64X128MixRandom"));
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 1_000; i++) {
      long b = e.backoffMillis(4);
      min = Math.min(min, b);
      max = Math.max(max, b);
    }
    assertTrue(min >= 400 && max <= 800, min + ".." + max);
    assertTrue(max - min > 200, "jitter spreads retries: " + min + ".." + max);
  }
}
