package dev.byok.aws.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.KeyArn;
import dev.byok.core.TenantDirectory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The listener over an in-memory queue: batches, deletion after handling, redelivery, dead letters, backoff, builder. */
class KeyEventListenerTest {
  private static final String KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final String ACCOUNT = "111122223333";
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  private final FakeQueue queue = new FakeQueue(3);
  private final RecordingActions actions = new RecordingActions();
  private final TenantDirectory tenants = TenantDirectory.builder().put("acme", KeyArn.parse(KEY)).build();

  private KeyEventListener.Builder listener() {
    return KeyEventListener.builder().queue(queue).tenants(tenants).actions(actions);
  }

  @Test
  void pollOnce_batchOfEventsAndJunk_actsOnEventsDeletesEverythingHandled() {
    queue.send(KeyEvents.of("DisableKey", KEY, ACCOUNT, T));
    queue.send("not json");
    queue.send(KeyEvents.of("EnableKey", KEY, ACCOUNT, T));
    try (KeyEventListener l = listener().batchSize(10).build()) {
      assertEquals(3, l.pollOnce());
      assertEquals(List.of("revoke " + KEY, "check " + KEY), actions.calls());
      assertEquals(0, queue.size(), "acted-on and ignored messages are deleted");
      assertEquals(List.of("receive 10 20s", "delete 3"), queue.calls(), "one long poll, one batch delete");
      KeyEventStats s = l.stats();
      assertEquals(3, s.received());
      assertEquals(2, s.actedOn());
      assertEquals(1, s.ignored(IgnoredReason.MALFORMED));
      assertEquals(3, s.deleted());
    }
  }

  @Test
  void pollOnce_handlingFails_messageStaysAndGoesToTheDeadLetterQueueAfterMaxReceives() {
    actions.failWith(new IllegalStateException("TenantCrypto is closed"));
    queue.send(KeyEvents.of("DisableKey", KEY, ACCOUNT, T));
    try (KeyEventListener l = listener().build()) {
      for (int i = 0; i < 3; i++) {
        assertEquals(1, l.pollOnce());
        assertEquals(1, queue.size(), "not deleted");
        queue.redeliver();
      }
      assertEquals(0, l.pollOnce());
      assertEquals(1, queue.deadLetters().size(), "after maxReceiveCount, SQS moves it to the dead-letter queue");
      assertEquals(3, l.stats().failed());
      assertEquals(0, l.stats().deleted());
    }
  }

  @Test
  void pollOnce_failedThenRedeliveredAndHandled_actsOnce() {
    String e = KeyEvents.of("DisableKey", KEY, ACCOUNT, T);
    queue.send(e);
    queue.send(e); // SNS or SQS delivering the same event twice
    actions.failWith(new IllegalStateException("transient"));
    try (KeyEventListener l = listener().batchSize(1).build()) {
      l.pollOnce();
      actions.failWith(null);
      queue.redeliver();
      l.pollOnce();
      l.pollOnce();
      assertEquals(List.of("revoke " + KEY), actions.calls());
      assertEquals(1, l.stats().ignored(IgnoredReason.DUPLICATE));
      assertEquals(0, queue.size());
    }
  }

  @Test
  void start_receiveFails_backsOffExponentiallyThenResumes() throws Exception {
    queue.failReceives(3);
    queue.send(KeyEvents.of("DisableKey", KEY, ACCOUNT, T));
    List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch acted = new CountDownLatch(1);
    RecordingActions latching = new RecordingActions() {
      @Override
      public synchronized void revoke(KeyArn keyArn, String reason) {
        super.revoke(keyArn, reason);
        acted.countDown();
      }
    };
    try (KeyEventListener l = KeyEventListener.builder().queue(queue).tenants(tenants).actions(latching).sleeper(waits::add).build()) {
      l.start();
      assertTrue(acted.await(10, TimeUnit.SECONDS), "the event is handled once receiving works again");
      assertThrows(IllegalStateException.class, l::start, "started once");
    }
    assertEquals(3, waits.size(), waits.toString());
    assertTrue(waits.get(0).compareTo(Duration.ofSeconds(1)) >= 0 && waits.get(0).compareTo(Duration.ofMillis(1500)) <= 0, waits.toString());
    assertTrue(waits.get(1).compareTo(Duration.ofSeconds(2)) >= 0 && waits.get(1).compareTo(Duration.ofSeconds(3)) <= 0, waits.toString());
    assertTrue(waits.get(2).compareTo(Duration.ofSeconds(4)) >= 0 && waits.get(2).compareTo(Duration.ofSeconds(6)) <= 0, waits.toString());
  }

  @Test
  void close_stopsTheLoopAndRefusesStart() throws Exception {
    KeyEventListener l = listener().build();
    l.start();
    l.close();
    assertThrows(IllegalStateException.class, l::start);
    // close() joins the loop thread, so nothing can receive after it returned: no wait is needed.
    int calls = queue.calls().size();
    l.close();
    assertEquals(calls, queue.calls().size(), "no receive after close");
  }

  @Test
  void builder_missingValues_namedAtBuild() {
    assertEquals("key event listener: queueUrl is required",
        assertThrows(IllegalStateException.class, () -> KeyEventListener.builder().tenants(tenants).actions(actions).build()).getMessage());
    assertEquals("key event listener: tenants is required",
        assertThrows(IllegalStateException.class, () -> KeyEventListener.builder().queue(queue).actions(actions).build()).getMessage());
    assertEquals("key event listener: actions is required",
        assertThrows(IllegalStateException.class, () -> KeyEventListener.builder().queue(queue).tenants(tenants).build()).getMessage());
  }

  @Test
  void builder_secondSetOrBadValue_refused() {
    KeyEventListener.Builder b = listener();
    assertThrows(IllegalStateException.class, () -> b.tenants(tenants));
    assertThrows(IllegalStateException.class, () -> b.actions(actions));
    b.batchSize(5);
    assertThrows(IllegalStateException.class, () -> b.batchSize(6));
    for (Runnable bad : List.<Runnable>of(() -> listener().batchSize(0), () -> listener().batchSize(11),
        () -> listener().waitTime(Duration.ofSeconds(21)), () -> listener().waitTime(Duration.ofMillis(1500)),
        () -> listener().waitTime(Duration.ZERO), () -> listener().visibilityTimeout(Duration.ofSeconds(-1)),
        () -> listener().maxMessageBytes(100), () -> listener().rememberedEvents(0), () -> listener().name("no spaces"),
        () -> KeyEventListener.builder().queueUrl("sqs://queue"))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::run);
      assertTrue(e.getMessage().startsWith("key event listener: "), e.getMessage());
    }
  }

  @Test
  void builder_directoryWithoutKeyLookUp_refusedAtBuild() {
    TenantDirectory own = tenant -> Optional.empty();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KeyEventListener.builder().queue(queue).tenants(own).actions(actions).build());
    assertTrue(e.getMessage().contains("tenantsOf"), e.getMessage());
  }

  @Test
  void stats_ignoredByReasonIsImmutableAndSummed() {
    queue.send("{}");
    queue.send("[]");
    try (KeyEventListener l = listener().name("fleet-1").build()) {
      l.pollOnce();
      KeyEventStats s = l.stats();
      assertEquals(Map.of(IgnoredReason.MALFORMED, 2L), s.ignoredByReason());
      assertEquals(2, s.ignored());
      assertThrows(UnsupportedOperationException.class, () -> s.ignoredByReason().put(IgnoredReason.OVERSIZED, 1L));
      assertEquals("fleet-1", l.name());
      assertTrue(l.toString().contains("fleet-1"));
    }
  }
}
