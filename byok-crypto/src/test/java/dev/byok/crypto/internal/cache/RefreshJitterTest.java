package dev.byok.crypto.internal.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The refresh-ahead points: in [75%, 80%) of revalidateAfter, repeatable per seed, 80% without one. */
class RefreshJitterTest {
  private static final long R = Duration.ofSeconds(60).toNanos();

  @Test
  void seeded_drawsWithinRangeAndSpreadOverIt() {
    RefreshJitter j = new RefreshJitter(R, OptionalLong.of(42));
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    double sum = 0;
    int n = 10_000;
    for (int i = 0; i < n; i++) {
      long d = j.refreshAheadNanos();
      assertTrue(d >= R / 1000 * 750 && d < R / 1000 * 800, "draw " + d);
      min = Math.min(min, d);
      max = Math.max(max, d);
      sum += d;
    }
    assertTrue(min < R / 1000 * 751 && max > R / 1000 * 799, "covers the range: " + min + " .. " + max);
    assertEquals(0.775 * R, sum / n, 0.002 * R, "uniform: mean at 77.5%");
  }

  @Test
  void sameSeed_sameSequence_otherSeed_otherSequence() {
    RefreshJitter a = new RefreshJitter(R, OptionalLong.of(7));
    RefreshJitter b = new RefreshJitter(R, OptionalLong.of(7));
    RefreshJitter c = new RefreshJitter(R, OptionalLong.of(8));
    boolean differs = false;
    for (int i = 0; i < 100; i++) {
      long x = a.refreshAheadNanos();
      assertEquals(x, b.refreshAheadNanos());
      differs |= x != c.refreshAheadNanos();
    }
    assertTrue(differs);
  }

  @Test
  void noSeed_exactlyEightyPercent() {
    RefreshJitter j = new RefreshJitter(R, OptionalLong.empty());
    assertEquals(Duration.ofSeconds(48).toNanos(), j.refreshAheadNanos());
    assertEquals(Duration.ofSeconds(48).toNanos(), j.refreshAheadNanos());
    assertNotEquals(0, j.refreshAheadNanos());
  }
}
