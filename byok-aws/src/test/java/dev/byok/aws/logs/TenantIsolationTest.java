package dev.byok.aws.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byok.core.HandoffBundle;
import dev.byok.core.TenantDirectory;
import dev.byok.core.audit.KeyUseEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 point 1: one tenant's broken audit destination never affects another tenant. Before,
 * every tenant shared one bounded queue: a tenant whose role could not be assumed, whose log group
 * was deleted, that had no bundle, or the pseudo-tenant {@code "*"} filled it, after which every
 * tenant's producers waited (BLOCK) or spilled into one file that was not replayed while any tenant
 * failed (SPILL). In-process fake of CloudWatch Logs and STS; a fake clock; no sleeps.
 */
class TenantIsolationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> HEALTHY = List.of("acme", "globex", "initech");
  /** Role not assumable, log group deleted, no bundle, and the pseudo-tenant of pushed revocations. */
  private static final List<String> FAILING = List.of("rolebroken", "groupgone", "nobundle", "*");

  private final FakeLogs fake = new FakeLogs();
  private final FakeLogs.MutableClock clock = new FakeLogs.MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  private final AtomicLong ids = new AtomicLong();
  private final Map<String, Set<String>> sent = new ConcurrentHashMap<>();

  @TempDir
  Path tmp;

  private TenantDirectory directory() {
    Map<String, HandoffBundle> m = new HashMap<>();
    for (String t : List.of("acme", "globex", "initech", "rolebroken", "groupgone")) {
      m.put(t, CloudWatchLogsAuditSinkTest.bundle(t));
      if (!t.equals("groupgone")) {
        fake.createGroup(CloudWatchLogsAuditSinkTest.bundle(t).logGroupName());
      }
    }
    synchronized (fake) {
      fake.deniedRoles.add(CloudWatchLogsAuditSinkTest.bundle("rolebroken").roleArn());
    }
    return TenantDirectory.of(m);
  }

  private void fix() {
    synchronized (fake) {
      fake.deniedRoles.clear();
    }
    fake.createGroup(CloudWatchLogsAuditSinkTest.bundle("groupgone").logGroupName());
  }

  private void emit(CloudWatchLogsAuditSink s, String tenant) {
    String id = tenant + "-" + ids.incrementAndGet();
    s.emit(KeyUseEvent.builder().eventId(id).time(clock.instant()).tenant(tenant).operation(KeyUseEvent.Operation.DECRYPT)
        .reasonCode("USER_REQUEST").build());
    sent.computeIfAbsent(tenant, t -> ConcurrentHashMap.newKeySet()).add(id);
  }

  private Set<String> delivered(String tenant) {
    Set<List<String>> streams = new HashSet<>();
    for (FakeLogs.Request r : fake.requests()) {
      if (r.tenant.equals(tenant)) {
        streams.add(List.of(r.group, r.stream));
      }
    }
    Set<String> out = new HashSet<>();
    for (List<String> gs : streams) {
      fake.stream(gs.get(0), gs.get(1)).forEach(rec -> out.add(id(rec.message())));
    }
    return out;
  }

  /** Waits for a condition that other threads make true (no timing assumption: the test's timeout bounds it). */
  private static void awaitTrue(java.util.function.BooleanSupplier condition) {
    while (!condition.getAsBoolean()) {
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
    }
  }

  private static String id(String json) {
    try {
      return JSON.readTree(json).get("eventId").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private long spillLinesOf(String tenant) throws IOException {
    long n = 0;
    try (Stream<Path> files = Files.list(tmp)) {
      for (Path p : files.filter(p -> p.getFileName().toString().startsWith("spill-")).collect(Collectors.toList())) {
        for (String line : Files.readAllLines(p)) {
          if (KeyUseEvent.fromJson(line).tenant().equals(tenant)) {
            n++;
          }
        }
      }
    }
    return n;
  }

  @Test
  void failingTenantsAtFullLoad_othersNeverWaitNorSpill_getEverything_failingLoseNothingAndCatchUp() throws IOException {
    CloudWatchLogsAuditSink s = CloudWatchLogsAuditSink.builder().tenants(directory()).instanceId("iso-1").clock(clock)
        .random(RandomGenerator.of("L64X128MixRandom")).logsApiFactory(fake::open).manualDispatch()
        .maxQueuedEvents(400).maxQueuedEventsPerTenant(50).overflowPolicy(OverflowPolicy.SPILL).spillDirectory(tmp)
        .retryBackoff(Duration.ofMillis(100), Duration.ofSeconds(30)).build();
    for (int round = 0; round < 40; round++) {
      for (String t : HEALTHY) {
        for (int i = 0; i < 20; i++) {
          emit(s, t);
        }
      }
      for (String t : FAILING) {
        for (int i = 0; i < 20; i++) {
          emit(s, t);
        }
      }
      if (round == 10) {
        // A burst past acme's own share: spilled, and replayed while the failing tenants still fail.
        for (int i = 0; i < 200; i++) {
          emit(s, "acme");
        }
      }
      for (int i = 0; i < 3; i++) {
        s.runOnce();
      }
      assertTrue(s.stats().pending() <= 400, "memory bound: " + s.stats().pending());
      clock.advance(Duration.ofSeconds(2));
    }
    for (int i = 0; i < 50; i++) {
      s.runOnce();
      clock.advance(Duration.ofSeconds(2));
    }

    AuditSinkStats st = s.stats();
    for (String t : HEALTHY) {
      TenantAuditHealth h = st.tenant(t);
      assertTrue(h.healthy(), t + " " + h);
      assertEquals(0, h.producerWaits(), t + " never waited");
      assertEquals(sent.get(t), delivered(t), t + " got every event while the others failed");
      assertEquals(0, h.pending(), t);
    }
    assertEquals(0, st.tenant("globex").spilled());
    assertEquals(0, st.tenant("initech").spilled());
    assertEquals(170, st.tenant("acme").spilled(), "acme's burst past its share (50, 20 already in memory) was spilled");
    assertEquals(0, spillLinesOf("acme"), "and replayed although other tenants were failing");
    for (String t : FAILING) {
      TenantAuditHealth h = st.tenant(t);
      assertFalse(h.healthy(), t);
      assertNotNull(h.lastError(), t);
      assertTrue(h.pending() <= 50, t + " holds at most its share: " + h.pending());
      assertEquals(800 - h.pending(), h.spilled(), t + ": the rest is in its own spill files");
      assertEquals(h.spilled(), spillLinesOf(t), t);
      assertTrue(delivered(t).isEmpty(), t);
    }
    assertTrue(st.tenant("rolebroken").lastError().contains("rolebroken-prod-kms-logging"), st.tenant("rolebroken").lastError());
    assertTrue(st.tenant("groupgone").lastError().contains("GROUPGONE_APP_PROD_LOG_GROUP"), st.tenant("groupgone").lastError());

    fix();
    clock.advance(Duration.ofMinutes(1));
    for (int i = 0; i < 200; i++) {
      s.runOnce();
      clock.advance(Duration.ofSeconds(1));
    }
    st = s.stats();
    for (String t : List.of("rolebroken", "groupgone")) {
      assertEquals(sent.get(t), delivered(t), t + " lost nothing and caught up once fixed");
      assertTrue(st.tenant(t).healthy(), t);
      assertEquals(0, spillLinesOf(t), t + "'s spill files are deleted once delivered");
    }
    // No bundle can appear for these two: everything of theirs is kept for the next start.
    long left = s.close(Duration.ofSeconds(1));
    assertEquals(1600, left, "nobundle and * keep every event");
    assertEquals(800, spillLinesOf("nobundle"));
    assertEquals(800, spillLinesOf("*"));
  }

  @Test
  void blockPolicy_failingTenantsProducersWait_othersCompleteAndGetEverything() throws Exception {
    CloudWatchLogsAuditSink s = CloudWatchLogsAuditSink.builder().tenants(directory()).instanceId("iso-2")
        .logsApiFactory(fake::open).maxQueuedEvents(200).maxQueuedEventsPerTenant(40).overflowPolicy(OverflowPolicy.BLOCK)
        .flushInterval(Duration.ofMillis(5)).retryBackoff(Duration.ofMillis(5), Duration.ofMillis(50)).build();
    List<Thread> failing = new ArrayList<>();
    for (String t : FAILING) {
      Thread th = new Thread(() -> {
        try {
          while (!Thread.currentThread().isInterrupted()) {
            emit(s, t);
          }
        } catch (IllegalStateException interruptedWhileWaiting) {
          // the interrupt that ends this producer
        }
      }, "producer-" + t);
      th.start();
      failing.add(th);
    }
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      for (String t : FAILING) {
        awaitTrue(() -> s.stats().tenant(t) != null && s.stats().tenant(t).producerWaits() > 0);
      }
      // Every failing tenant is at its share and its producer waits; the healthy ones go on.
      List<Thread> healthy = new ArrayList<>();
      for (String t : HEALTHY) {
        Thread th = new Thread(() -> {
          for (int i = 0; i < 2_000; i++) {
            emit(s, t);
          }
        }, "producer-" + t);
        th.start();
        healthy.add(th);
      }
      for (Thread th : healthy) {
        th.join();
      }
      for (String t : HEALTHY) {
        awaitTrue(() -> delivered(t).size() >= 2_000);
        assertEquals(sent.get(t), delivered(t), t);
      }
    });
    for (String t : FAILING) {
      assertTrue(s.stats().tenant(t).pending() <= 40, t + " holds at most its share");
      assertFalse(s.stats().tenant(t).healthy(), t);
    }
    fix();
    for (Thread th : failing) {
      th.interrupt();
      th.join();
    }
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      for (String t : List.of("rolebroken", "groupgone")) {
        while (!delivered(t).containsAll(sent.get(t))) {
          s.flush(Duration.ofMillis(100));
        }
      }
    });
    long left = s.close(Duration.ofMillis(500));
    assertEquals(sent.get("nobundle").size() + sent.get("*").size(), left, "the two that cannot be fixed lose nothing");
  }

  @Test
  void durableAuditRequired_failsClosedForThatTenantOnly() throws IOException {
    CloudWatchLogsAuditSink s = CloudWatchLogsAuditSink.builder().tenants(directory()).instanceId("iso-3").clock(clock)
        .random(RandomGenerator.of("L64X128MixRandom")).logsApiFactory(fake::open).manualDispatch()
        .maxQueuedEvents(400).maxQueuedEventsPerTenant(50).spillDirectory(tmp)
        .requireDurableAudit(Set.of("rolebroken", "acme")).build();
    for (int i = 0; i < 10; i++) {
      emit(s, "rolebroken");
      emit(s, "acme");
    }
    s.runOnce();
    clock.advance(Duration.ofSeconds(2));
    s.runOnce();
    s.runOnce();
    assertFalse(s.stats().tenant("rolebroken").healthy());
    // While its delivery fails, each event of rolebroken is forced to disk before emit returns.
    for (int i = 0; i < 100; i++) {
      emit(s, "rolebroken");
    }
    assertEquals(100, spillLinesOf("rolebroken"));
    assertEquals(0, s.stats().tenant("rolebroken").producerWaits(), "never waits");

    for (int i = 0; i < 10; i++) {
      emit(s, "acme");
      emit(s, "globex");
    }
    for (int i = 0; i < 5; i++) {
      s.runOnce();
      clock.advance(Duration.ofSeconds(2));
    }
    assertEquals(sent.get("acme"), delivered("acme"), "acme requires a durable record too, but is healthy: in memory, delivered");
    assertEquals(0, s.stats().tenant("acme").spilled());
    assertEquals(sent.get("globex"), delivered("globex"));
    s.close(Duration.ofSeconds(1));
    IllegalStateException closed = assertThrows(IllegalStateException.class, () -> emit(s, "acme"));
    assertTrue(closed.getMessage().contains("closed"));
  }
}
