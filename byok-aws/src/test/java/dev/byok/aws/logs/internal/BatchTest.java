package dev.byok.aws.logs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.audit.KeyUseEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

class BatchTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final BatchLimits LIMITS = BatchLimits.cloudWatch();
  private long seq;

  private PreparedEvent ev(Instant time, int bytes) {
    KeyUseEvent e = KeyUseEvent.builder().time(time).tenant("t").operation(KeyUseEvent.Operation.ENCRYPT).build();
    return new PreparedEvent(e, "m".repeat(bytes), bytes, seq++, null);
  }

  @Test
  void take_eventsSumExactlyToTheLimit_allInOneBatch() {
    PriorityQueue<PreparedEvent> q = new PriorityQueue<>(PreparedEvent.BY_TIME);
    // 4 events of (262,118 + 26) = 262,144 bytes: exactly 1,048,576.
    for (int i = 0; i < 4; i++) {
      q.add(ev(NOW, 262_118));
    }
    q.add(ev(NOW, 1));
    Batch b = Batch.take(q, NOW.toEpochMilli(), 10_000, LIMITS);
    assertEquals(4, b.size());
    assertEquals(1_048_576, b.bytes);
    assertEquals(1, q.size());
  }

  @Test
  void take_stampedNowEventAmongOlderOnes_sentInChronologicalOrder() {
    PriorityQueue<PreparedEvent> q = new PriorityQueue<>(PreparedEvent.BY_TIME);
    PreparedEvent stamped = ev(NOW.minusSeconds(100), 10);
    stamped.stampNow = true;
    q.add(stamped);
    q.add(ev(NOW.minusSeconds(50), 10));
    q.add(ev(NOW.minusSeconds(10), 10));
    Batch b = Batch.take(q, NOW.toEpochMilli(), 10_000, LIMITS);
    long prev = Long.MIN_VALUE;
    for (var r : b.records) {
      assertTrue(r.timestampMillis() >= prev);
      prev = r.timestampMillis();
    }
    assertEquals(NOW.toEpochMilli(), b.records.get(2).timestampMillis());
    assertEquals(NOW.minusSeconds(100).toEpochMilli(), b.oldestEventMillis);
  }

  @Test
  void sentTimestamp_futureEvent_clampedToTheAcceptedWindow() {
    PreparedEvent future = ev(NOW.plus(Duration.ofHours(5)), 10);
    long ts = Batch.sentTimestamp(future, NOW.toEpochMilli(), LIMITS);
    assertEquals(NOW.plus(Duration.ofHours(1)).toEpochMilli(), ts);
  }

  @Test
  void take_exactlyTwentyFourHoursApart_split() {
    PriorityQueue<PreparedEvent> q = new PriorityQueue<>(PreparedEvent.BY_TIME);
    q.add(ev(NOW.minus(Duration.ofHours(24)), 10));
    q.add(ev(NOW, 10));
    assertEquals(1, Batch.take(q, NOW.toEpochMilli(), 10_000, LIMITS).size());
    assertEquals(1, Batch.take(q, NOW.toEpochMilli(), 10_000, LIMITS).size());
  }
}
