package dev.byok.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeBucketsTest {

  private static long total(AuditReport.UsesOverTime u) {
    return u.buckets().stream().flatMap(b -> b.counts().stream()).mapToLong(Long::longValue).sum();
  }

  @Test
  void shortSpan_oneSecondBuckets_withoutGaps() {
    TimeBuckets b = new TimeBuckets();
    Instant t0 = Instant.parse("2026-03-01T12:00:00Z");
    b.add("USER_REQUEST", t0);
    b.add("USER_REQUEST", t0.plusMillis(300));
    b.add("SEARCH_INDEXING", t0.plusSeconds(5));
    AuditReport.UsesOverTime u = b.result();
    assertEquals(Duration.ofSeconds(1), u.bucket());
    assertEquals(List.of("SEARCH_INDEXING", "USER_REQUEST"), u.reasonCodes());
    assertEquals(6, u.buckets().size());
    assertEquals(List.of(0L, 2L), u.buckets().get(0).counts());
    assertEquals(List.of(1L, 0L), u.buckets().get(5).counts());
  }

  @Test
  void longSpan_widensToAtMostSixtyChartBuckets_keepsEveryCount() {
    TimeBuckets b = new TimeBuckets();
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    long n = 0;
    for (long s = 0; s < 90L * 86_400; s += 97) {
      b.add(s % 3 == 0 ? "A" : "B", t0.plusSeconds(s));
      n++;
    }
    AuditReport.UsesOverTime u = b.result();
    assertTrue(u.buckets().size() <= TimeBuckets.MAX_CHART_BUCKETS, "buckets " + u.buckets().size());
    assertTrue(u.bucket().compareTo(Duration.ofHours(6)) >= 0, "bucket " + u.bucket());
    assertEquals(n, total(u));
  }
}
