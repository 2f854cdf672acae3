package dev.byok.aws.logs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.aws.logs.AuditMetrics;
import dev.byok.aws.logs.OverflowPolicy;
import dev.byok.core.audit.KeyUseEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntakeTest {
  private final DeliveryStats stats = new DeliveryStats(AuditMetrics.none());
  private int ids;

  @TempDir
  Path tmp;

  private KeyUseEvent event() {
    return KeyUseEvent.builder().eventId("ev-" + ++ids).time(Instant.EPOCH).tenant("t").operation(KeyUseEvent.Operation.ENCRYPT).build();
  }

  @Test
  void offer_spillPolicyWhenFull_keepsTheBoundAndSpillsTheRest() throws Exception {
    try (SpillStore spill = new SpillStore(tmp, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))) {
      Intake in = new Intake(2, OverflowPolicy.SPILL, spill, stats, new Wakeup());
      for (int i = 0; i < 5; i++) {
        in.offer(event());
      }
      assertEquals(2, in.pending());
      assertEquals(2, stats.snapshot(in.pending()).queued());
      assertEquals(3, stats.snapshot(in.pending()).spilled());
      assertEquals("ev-1", in.poll().eventId());
      assertEquals("ev-2", in.poll().eventId());
      assertNull(in.poll());
    }
  }

  @Test
  void replayRoom_isAQuarterOfTheCapacityLessWhatIsPending() {
    Intake in = new Intake(100, OverflowPolicy.BLOCK, null, stats, new Wakeup());
    for (int i = 0; i < 10; i++) {
      in.offer(event());
    }
    assertEquals(15, in.replayRoom());
    in.settled(10);
    assertEquals(25, in.replayRoom());
  }

  @Test
  void offer_afterStopAccepting_throwsNamingTheEvent() {
    Intake in = new Intake(10, OverflowPolicy.BLOCK, null, stats, new Wakeup());
    in.stopAccepting();
    KeyUseEvent e = event();
    IllegalStateException x = assertThrows(IllegalStateException.class, () -> in.offer(e));
    assertTrue(x.getMessage().contains(e.eventId()), x.getMessage());
    assertEquals(0, in.pending());
  }

  @Test
  void offer_blockPolicyWaitingProducer_releasedWithAnErrorWhenTheSinkCloses() throws Exception {
    Intake in = new Intake(1, OverflowPolicy.BLOCK, null, stats, new Wakeup());
    in.offer(event());
    KeyUseEvent second = event();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread producer = new Thread(() -> {
      try {
        in.offer(second);
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    producer.start();
    in.stopAccepting();
    producer.join(10_000);
    assertTrue(thrown.get() instanceof IllegalStateException, String.valueOf(thrown.get()));
    assertTrue(thrown.get().getMessage().contains(second.eventId()));
    assertEquals(1, in.pending(), "the waiting event was never counted");
  }
}
