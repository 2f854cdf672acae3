package dev.byok.aws.logs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.aws.logs.AuditMetrics;
import dev.byok.aws.logs.AuditSinkStats;
import dev.byok.aws.logs.OverflowPolicy;
import dev.byok.core.audit.KeyUseEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Close's deadlines and its account of what was left, driven through the engine. */
class ShutdownTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
  /** Fake monotonic time: every read moves it on by 100 ms, so deadlines pass without waiting for them. */
  private final AtomicLong ticker = new AtomicLong();
  private final StubLogs logs = new StubLogs();
  private int ids;

  @TempDir
  Path tmp;

  private DeliverySettings settings(boolean manual, OverflowPolicy policy, int capacity) {
    return settings(manual, policy, capacity, clock, Duration.ofSeconds(1));
  }

  private static DeliverySettings settings(boolean manual, OverflowPolicy policy, int capacity, Clock clock, Duration flushInterval) {
    return new DeliverySettings("test", capacity, policy, flushInterval, BatchLimits.cloudWatch(),
        new RetryBackoff(Duration.ofMillis(100), Duration.ofSeconds(1), RandomGenerator.of("L64X128MixRandom")),
        /* createMissingLogGroup= */ false, /* deliveryThreads= */ 1, manual, clock, AuditMetrics.none());
  }

  private DeliveryEngine engine(DeliverySettings s, SpillStore spill) {
    DeliveryEngine e = new DeliveryEngine(s, logs.destinations(), spill, () -> ticker.addAndGet(100_000_000L));
    e.start();
    return e;
  }

  private KeyUseEvent event(String tenant) {
    return KeyUseEvent.builder().eventId("ev-" + ++ids).time(T0).tenant(tenant).operation(KeyUseEvent.Operation.DECRYPT).build();
  }

  private static List<String> spillLines(Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(p -> p.getFileName().toString().startsWith("spill-")).sorted().toList()) {
        lines.addAll(Files.readAllLines(p));
      }
    }
    return lines;
  }

  @Test
  void finish_failingTenantWithSpill_keptInSpillCountedPerTenantWithItsError() throws IOException {
    logs.failure = new DeliveryFailure(DeliveryFailure.Kind.ROLE, "cannot assume the log role of tenant 'acme'", null);
    try (SpillStore spill = new SpillStore(tmp, clock)) {
      DeliveryEngine e = engine(settings(true, OverflowPolicy.BLOCK, 100), spill);
      for (int i = 0; i < 3; i++) {
        e.offer(event("acme"));
      }
      e.offer(event("globex"));
      Undelivered u = e.close(Duration.ofSeconds(5));
      assertEquals(4, u.total());
      assertEquals(0, u.spilledOnOverflow());
      assertEquals(Map.of("acme", 3, "globex", 1), u.perTenant());
      assertEquals("cannot assume the log role of tenant 'acme'", u.errors().get("acme"));
      assertEquals(tmp, u.spillDirectory());
      assertFalse(u.loggedOnly());
      assertEquals(4, spillLines(tmp).size());
      AuditSinkStats st = e.stats();
      assertEquals(0, st.pending(), "nothing left in memory");
      assertEquals(4, st.spilled());
      assertEquals(0, st.delivered());
    }
  }

  @Test
  void finish_noSpillDirectory_keptOwnerOnlyAtTheDefaultLocationAndCounted() throws IOException {
    logs.failure = new DeliveryFailure(DeliveryFailure.Kind.TRANSIENT, "connection refused", null);
    Undelivered u = withDefaultLocation(tmp.resolve("state"), () -> {
      DeliveryEngine e = engine(settings(true, OverflowPolicy.BLOCK, 100), null);
      e.offer(event("acme"));
      e.offer(event("acme"));
      Undelivered left = e.close(Duration.ofSeconds(5));
      assertEquals(0, e.stats().pending());
      return left;
    });
    assertEquals(2, u.total());
    assertFalse(u.loggedOnly());
    assertTrue(u.defaultLocation());
    assertEquals(tmp.resolve("state").resolve("test"), u.spillDirectory());
    assertEquals(2, spillLines(u.spillDirectory()).size());
    assertEquals("connection refused", u.errors().get("acme"));
  }

  @Test
  void finish_noSpillDirectoryAndDefaultLocationUnusable_loggedOnlyAndCounted() throws IOException {
    logs.failure = new DeliveryFailure(DeliveryFailure.Kind.TRANSIENT, "connection refused", null);
    Path notADirectory = Files.writeString(tmp.resolve("file"), "x");
    Undelivered u = withDefaultLocation(notADirectory.resolve("state"), () -> {
      DeliveryEngine e = engine(settings(true, OverflowPolicy.BLOCK, 100), null);
      e.offer(event("acme"));
      e.offer(event("acme"));
      Undelivered left = e.close(Duration.ofSeconds(5));
      assertEquals(0, e.stats().pending());
      assertEquals(0, e.stats().spilled());
      return left;
    });
    assertEquals(2, u.total());
    assertTrue(u.loggedOnly());
    assertNull(u.spillDirectory());
    assertEquals("connection refused", u.errors().get("acme"));
  }

  private static <T> T withDefaultLocation(Path root, java.util.function.Supplier<T> body) {
    String before = System.getProperty(DefaultSpillLocation.PROPERTY);
    System.setProperty(DefaultSpillLocation.PROPERTY, root.toString());
    try {
      return body.get();
    } finally {
      if (before == null) {
        System.clearProperty(DefaultSpillLocation.PROPERTY);
      } else {
        System.setProperty(DefaultSpillLocation.PROPERTY, before);
      }
    }
  }

  @Test
  void finish_everythingDelivered_nothingLeft() {
    DeliveryEngine e = engine(settings(true, OverflowPolicy.BLOCK, 100), null);
    e.offer(event("acme"));
    Undelivered u = e.close(Duration.ofSeconds(5));
    assertEquals(0, u.total());
    assertTrue(u.perTenant().isEmpty());
    assertFalse(u.loggedOnly(), "nothing needed logging");
    assertEquals(1, logs.storedEvents());
  }

  @Test
  void finish_spilledOnOverflowAndNeverReplayed_addedToTheTotal() throws IOException {
    logs.failure = new DeliveryFailure(DeliveryFailure.Kind.TRANSIENT, "connection refused", null);
    try (SpillStore spill = new SpillStore(tmp, clock)) {
      DeliveryEngine e = engine(settings(true, OverflowPolicy.SPILL, 2), spill);
      for (int i = 0; i < 5; i++) {
        e.offer(event("acme"));
      }
      assertEquals(3, e.stats().spilled(), "3 over the capacity of 2");
      Undelivered u = e.close(Duration.ofSeconds(5));
      assertEquals(5, u.total());
      assertEquals(3, u.spilledOnOverflow());
      assertEquals(2, u.leftInMemory());
      assertEquals(5, spillLines(tmp).size());
    }
  }

  @Test
  void close_deliveryOutlivesTheDeadline_batchKeptAndCountedAsPossibleDuplicate() throws Exception {
    logs.gate = new CountDownLatch(1);
    try (SpillStore spill = new SpillStore(tmp, clock)) {
      // Real threads; the dispatcher sends on its own after 1 ms of the system clock.
      DeliveryEngine e = engine(settings(false, OverflowPolicy.BLOCK, 100, Clock.systemUTC(), Duration.ofMillis(1)), spill);
      for (int i = 0; i < 3; i++) {
        e.offer(event("acme"));
      }
      assertTrue(logs.putStarted.await(10, TimeUnit.SECONDS), "the batch reached the service");
      assertEquals(3, e.pending(), "and is held there");
      long before = ticker.get();
      Undelivered u = e.close(Duration.ofSeconds(2));
      assertTrue(ticker.get() - before >= 2_000_000_000L, "close waited out its deadline on the ticker");
      assertEquals(3, u.total());
      assertEquals("not sent before the close timeout", u.errors().get("acme"));
      assertEquals(3, e.stats().possibleDuplicates(), "the service may still store the batch in flight");
      assertEquals(3, spillLines(tmp).size());
      assertEquals(0, e.stats().pending());
    } finally {
      logs.gate.countDown();
    }
  }
}
