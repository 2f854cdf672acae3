package dev.byok.aws.logs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.byok.aws.logs.AuditMetrics;
import dev.byok.aws.logs.AuditSinkStats;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DeliveryStatsTest {

  @Test
  void batchStored_countsAndTellsTheMetricsOnce_lagKeepsTheLastAndTheLargest() {
    AtomicLong metricEvents = new AtomicLong();
    AtomicLong metricCalls = new AtomicLong();
    DeliveryStats s = new DeliveryStats(new AuditMetrics() {
      @Override
      public void delivered(int events, long bytes, Duration lag) {
        metricEvents.addAndGet(events);
        metricCalls.incrementAndGet();
      }
    });
    s.batchStored(10, 1_000, 500);
    s.batchStored(5, 3_000, 200);
    AuditSinkStats st = s.snapshot(7);
    assertEquals(15, st.delivered());
    assertEquals(2, st.batchesDelivered());
    assertEquals(4_000, st.bytesDelivered());
    assertEquals(3_000, st.largestBatchBytes());
    assertEquals(Duration.ofMillis(200), st.lastDeliveryLag());
    assertEquals(Duration.ofMillis(500), st.maxDeliveryLag());
    assertEquals(7, st.pending());
    assertEquals(15, metricEvents.get());
    assertEquals(2, metricCalls.get());
  }

  @Test
  void spilledOnOverflowNotReplayed_onlyThisRunsOwnLinesCountAgainstIt() {
    DeliveryStats s = new DeliveryStats(AuditMetrics.none());
    for (int i = 0; i < 5; i++) {
      s.spilledOnOverflow("t");
    }
    s.replayed(4, /* ownLines= */ 0); // from an earlier run's file
    assertEquals(5, s.spilledOnOverflowNotReplayed());
    s.replayed(3, /* ownLines= */ 3);
    assertEquals(2, s.spilledOnOverflowNotReplayed());
    s.replayed(9, /* ownLines= */ 9);
    assertEquals(0, s.spilledOnOverflowNotReplayed(), "never negative");
    assertEquals(16, s.snapshot(0).replayed());
  }

  @Test
  void tenantErrors_setWhileFailingClearedOnRecovery() {
    DeliveryStats s = new DeliveryStats(AuditMetrics.none());
    s.tenantFailing("acme", "log group 'A' does not exist", 1);
    s.tenantFailing("globex", "AccessDenied", 1);
    s.tenantRecovered("acme");
    assertEquals(Map.of("globex", "AccessDenied"), s.snapshot(0).tenantErrors());
  }
}
