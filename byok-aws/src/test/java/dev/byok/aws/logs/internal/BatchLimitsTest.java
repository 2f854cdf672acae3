package dev.byok.aws.logs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.audit.KeyUseEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

class BatchLimitsTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private long seq;

  private PreparedEvent ev(int bytes) {
    KeyUseEvent e = KeyUseEvent.builder().time(NOW).tenant("t").operation(KeyUseEvent.Operation.ENCRYPT).build();
    return new PreparedEvent(e, "m".repeat(bytes), bytes, seq++, null);
  }

  @Test
  void cloudWatch_isTheServicesLimitsWithAnHourOfMargin() {
    BatchLimits l = BatchLimits.cloudWatch();
    assertEquals(10_000, l.maxEvents());
    assertEquals(1_048_576, l.maxBytes());
    assertEquals(Duration.ofDays(14).minusHours(1).toMillis(), l.maxBackdateMillis());
    assertEquals(Duration.ofHours(1).toMillis(), l.maxAheadMillis());
    assertEquals(262_144 - 26, BatchLimits.MAX_MESSAGE_BYTES);
  }

  @Test
  void create_outOfRange_failsNamingTheLimitAndValue() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> BatchLimits.cloudWatch(0, 1_048_576))
        .getMessage().contains("maxBatchEvents must be 1-10000, got 0"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> BatchLimits.cloudWatch(10_001, 1_048_576))
        .getMessage().contains("got 10001"));
    // Below one largest event, an event could never be sent.
    assertTrue(assertThrows(IllegalArgumentException.class, () -> BatchLimits.cloudWatch(10, 262_143))
        .getMessage().contains("maxBatchBytes must be 262144-1048576, got 262143"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new BatchLimits(10, 262_144, -1, 0))
        .getMessage().contains("-1 ms back"));
  }

  @Test
  void take_smallerByteLimit_batchesStopBeforeIt() {
    BatchLimits l = BatchLimits.cloudWatch(10_000, 262_144);
    PriorityQueue<PreparedEvent> q = new PriorityQueue<>(PreparedEvent.BY_TIME);
    for (int i = 0; i < 5; i++) {
      q.add(ev(100_000));
    }
    // (100,000 + 26) * 2 = 200,052 fits; a third would be 300,078.
    Batch b = Batch.take(q, NOW.toEpochMilli(), l.maxEvents(), l);
    assertEquals(2, b.size());
    assertEquals(200_052, b.bytes);
    assertEquals(3, q.size());
  }

  @Test
  void take_largestEventAlone_alwaysFitsTheSmallestByteLimit() {
    BatchLimits l = BatchLimits.cloudWatch(10_000, BatchLimits.MAX_EVENT_BYTES);
    PriorityQueue<PreparedEvent> q = new PriorityQueue<>(PreparedEvent.BY_TIME);
    q.add(ev(BatchLimits.MAX_MESSAGE_BYTES));
    q.add(ev(1));
    assertEquals(1, Batch.take(q, NOW.toEpochMilli(), l.maxEvents(), l).size());
    assertEquals(1, Batch.take(q, NOW.toEpochMilli(), l.maxEvents(), l).size());
  }

  @Test
  void take_eventCap_batchHoldsAtMostTheCap() {
    BatchLimits l = BatchLimits.cloudWatch(3, BatchLimits.MAX_BYTES);
    PriorityQueue<PreparedEvent> q = new PriorityQueue<>(PreparedEvent.BY_TIME);
    for (int i = 0; i < 7; i++) {
      q.add(ev(10));
    }
    assertEquals(3, Batch.take(q, NOW.toEpochMilli(), l.maxEvents(), l).size());
    assertEquals(3, Batch.take(q, NOW.toEpochMilli(), l.maxEvents(), l).size());
    assertEquals(1, Batch.take(q, NOW.toEpochMilli(), l.maxEvents(), l).size());
  }
}
