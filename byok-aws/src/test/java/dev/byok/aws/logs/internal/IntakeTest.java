package dev.byok.aws.logs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.aws.logs.AuditMetrics;
import dev.byok.aws.logs.AuditSinkStats;
import dev.byok.aws.logs.OverflowPolicy;
import dev.byok.core.audit.KeyUseEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
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
  void replayRoom_leavesAQuarterOfTheCapacityForProducers() {
    Intake in = new Intake(100, OverflowPolicy.BLOCK, null, stats, new Wakeup());
    for (int i = 0; i < 10; i++) {
      in.offer(event());
    }
    assertEquals(65, in.replayRoom());
    in.settled(in.share("t"), 10);
    assertEquals(75, in.replayRoom());
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

  @Test
  void offer_durableTenantWhoseRecordCannotBeWritten_failsClosedForThatTenantOnly() throws Exception {
    Path dir = tmp.resolve("spill");
    DeliveryStats stats = new DeliveryStats(AuditMetrics.none());
    try (SpillStore spill = new SpillStore(dir, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))) {
      Intake intake = new Intake(100, 10, OverflowPolicy.BLOCK, spill, stats, new Wakeup(), "strict"::equals);
      intake.share("strict").failing = true;
      intake.offer(ev("strict", "s1"));
      assertEquals(0, intake.pending(), "forced to disk, not held in memory");
      // The disk goes away: the strict tenant's key uses fail at once; the others are not touched.
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      spill.rotate();
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> intake.offer(ev("strict", "s2")));
      assertTrue(e.getMessage().contains("durable audit record") && e.getMessage().contains("s2"), e.getMessage());
      intake.offer(ev("other", "o1"));
      assertEquals(1, intake.pending());
    }
    // No spill directory at all: refused too (the sink's builder does not allow this).
    Intake none = new Intake(100, 10, OverflowPolicy.BLOCK, null, stats, new Wakeup(), "strict"::equals);
    none.share("strict").failing = true;
    assertThrows(IllegalStateException.class, () -> none.offer(ev("strict", "s3")));
  }

  @Test
  void offer_tenantPastItsShare_spillsOnlyThatTenant() throws Exception {
    try (SpillStore spill = new SpillStore(tmp.resolve("share"), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))) {
      DeliveryStats stats = new DeliveryStats(AuditMetrics.none());
      Intake intake = new Intake(100, 10, OverflowPolicy.SPILL, spill, stats, new Wakeup(), t -> false);
      for (int i = 0; i < 30; i++) {
        intake.offer(ev("noisy", "n" + i));
      }
      for (int i = 0; i < 10; i++) {
        intake.offer(ev("quiet", "q" + i));
      }
      assertEquals(10, intake.pendingOf("noisy"));
      assertEquals(10, intake.pendingOf("quiet"));
      AuditSinkStats s = stats.snapshot(intake.pending(), intake::pendingOf);
      assertEquals(20, s.tenant("noisy").spilled());
      assertEquals(20, s.spilled(), "only noisy's events past its share were spilled");
    }
  }

  private static KeyUseEvent ev(String tenant, String id) {
    return KeyUseEvent.builder().eventId(id).time(Instant.EPOCH).tenant(tenant).operation(KeyUseEvent.Operation.ENCRYPT).build();
  }
}
