package dev.byok.aws.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byok.core.HandoffBundle;
import dev.byok.core.TenantDirectory;
import dev.byok.core.KeyArn;
import dev.byok.core.audit.KeyUseEvent;
import dev.byok.aws.logs.internal.BundleDestinations;
import dev.byok.aws.logs.internal.DefaultSpillLocation;
import dev.byok.aws.logs.internal.LogsApi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class CloudWatchLogsAuditSinkTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  private final FakeLogs fake = new FakeLogs();
  private final FakeLogs.MutableClock clock = new FakeLogs.MutableClock(T0);
  private final AtomicLong ids = new AtomicLong();

  @TempDir
  Path tmp;

  public static HandoffBundle bundle(String tenant) {
    return HandoffBundle.builder()
        // One key per tenant: the tenant directory refuses two tenants on one key (issue 12).
        .keyArn(KeyArn.parse("arn:aws:kms:us-east-1:111122223333:key/" + String.format("%08x", tenant.hashCode())
            + "-12ab-34cd-56ef-1234567890ab"))
        .region("us-east-1")
        .roleArn("arn:aws:iam::111122223333:role/" + tenant + "-prod-kms-logging")
        .logGroupName(tenant.toUpperCase() + "_APP_PROD_LOG_GROUP")
        .externalId("ext-id-0123456789")
        .vendor("slack")
        .build();
  }

  private TenantDirectory bundles(String... tenants) {
    Map<String, HandoffBundle> m = new HashMap<>();
    for (String t : tenants) {
      m.put(t, bundle(t));
      fake.createGroup(bundle(t).logGroupName());
    }
    return TenantDirectory.of(m);
  }

  private CloudWatchLogsAuditSink.Builder sink(TenantDirectory bundles) {
    return CloudWatchLogsAuditSink.builder()
        .tenants(bundles)
        .instanceId("test-1")
        .clock(clock)
        .random(RandomGenerator.of("L64X128MixRandom"))
        .logsApiFactory(fake::open)
        .manualDispatch();
  }

  private KeyUseEvent event(String tenant) {
    return event(tenant, clock.instant());
  }

  private KeyUseEvent event(String tenant, Instant time) {
    return KeyUseEvent.builder()
        .eventId("ev-" + ids.incrementAndGet())
        .time(time)
        .tenant(tenant)
        .operation(KeyUseEvent.Operation.DECRYPT)
        .keyArn("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
        .reasonCode("USER_REQUEST")
        .reasonDetail("opened message 42")
        .actor("user:jdoe")
        .encryptionContext(Map.of("tenant", tenant, "purpose", "messages"))
        .dataKeySource(KeyUseEvent.DataKeySource.KMS)
        .kmsRequestId("4a5b6c7d-0000-4000-8000-" + String.format("%012d", ids.get()))
        .build();
  }

  private static Set<String> eventIds(List<LogsApi.LogRecord> records) throws IOException {
    Set<String> out = new HashSet<>();
    for (LogsApi.LogRecord r : records) {
      out.add(JSON.readTree(r.message()).get("eventId").asText());
    }
    return out;
  }

  private static void assertWithinLimits(FakeLogs.Request r) {
    assertTrue(r.records.size() <= 10_000, "events in a request: " + r.records.size());
    assertTrue(r.bytes() <= 1_048_576, "bytes in a request: " + r.bytes());
    long first = r.records.get(0).timestampMillis();
    long prev = first;
    for (LogsApi.LogRecord rec : r.records) {
      assertTrue(rec.timestampMillis() >= prev, "timestamps out of order");
      prev = rec.timestampMillis();
      assertTrue(rec.message().getBytes(StandardCharsets.UTF_8).length + 26 <= 262_144, "event over 256 KiB");
    }
    assertTrue(prev - first < Duration.ofHours(24).toMillis(), "batch spans 24 h or more");
  }

  @Test
  void flush_threeTenants_everyEventInItsTenantsOwnStream() throws IOException {
    CloudWatchLogsAuditSink s = sink(bundles("acme", "globex", "initech")).build();
    Map<String, Set<String>> sent = new HashMap<>();
    for (int i = 0; i < 2_500; i++) {
      String t = List.of("acme", "globex", "initech").get(i % 3);
      KeyUseEvent e = event(t);
      sent.computeIfAbsent(t, k -> new HashSet<>()).add(e.eventId());
      s.emit(e);
    }
    assertTrue(s.flush(Duration.ofSeconds(5)));
    for (String t : sent.keySet()) {
      List<LogsApi.LogRecord> stream = fake.stream(bundle(t).logGroupName(), "byok/slack/test-1/" + t);
      assertEquals(sent.get(t), eventIds(stream), t);
    }
    AuditSinkStats st = s.stats();
    assertEquals(2_500, st.queued());
    assertEquals(2_500, st.delivered());
    assertEquals(0, st.pending());
    assertEquals(fake.requests().stream().mapToLong(FakeLogs.Request::bytes).sum(), st.bytesDelivered());
    assertEquals(0, s.close(Duration.ofSeconds(1)));
  }

  @Test
  void emit_manySmallEvents_requestsFullToTheByteLimitNeverOver() {
    // The smallest event is ~120 bytes + 26, so 1 MiB binds before 10,000 events do.
    CloudWatchLogsAuditSink s = sink(bundles("acme")).maxQueuedEvents(100_000).maxQueuedEventsPerTenant(100_000).build();
    for (int i = 0; i < 25_000; i++) {
      s.emit(KeyUseEvent.builder().eventId("e" + i).time(T0).tenant("acme").operation(KeyUseEvent.Operation.ENCRYPT).build());
    }
    s.flush(Duration.ofSeconds(5));
    List<FakeLogs.Request> reqs = fake.requests();
    reqs.forEach(CloudWatchLogsAuditSinkTest::assertWithinLimits);
    assertTrue(reqs.get(0).bytes() > 1_048_576 - 200, "first request holds " + reqs.get(0).bytes());
    assertEquals(25_000, reqs.stream().mapToInt(r -> r.records.size()).sum());
    assertEquals(25_000, s.stats().delivered());
  }

  @Test
  void emit_moreEventsThanTheBatchCap_requestsHoldAtMostTheCap() {
    CloudWatchLogsAuditSink s = sink(bundles("acme")).maxBatchEvents(1_000).build();
    for (int i = 0; i < 2_500; i++) {
      s.emit(event("acme"));
    }
    s.flush(Duration.ofSeconds(5));
    assertEquals(List.of(1_000, 1_000, 500), fake.requests().stream().map(r -> r.records.size()).collect(Collectors.toList()));
  }

  @Test
  void emit_largeEvents_requestsFillButNeverExceedTheByteLimit() {
    CloudWatchLogsAuditSink s = sink(bundles("acme")).build();
    String big = "x".repeat(100_000);
    for (int i = 0; i < 50; i++) {
      s.emit(event("acme").toBuilder().error(big).build());
    }
    s.flush(Duration.ofSeconds(5));
    List<FakeLogs.Request> reqs = fake.requests();
    reqs.forEach(CloudWatchLogsAuditSinkTest::assertWithinLimits);
    // ~100.5 KB each: 10 fit in 1 MiB, so 5 requests, all but the last nearly full.
    assertEquals(5, reqs.size());
    assertTrue(reqs.get(0).bytes() > 1_000_000, "first request holds " + reqs.get(0).bytes());
    assertEquals(50, s.stats().delivered());
  }

  @Test
  void emit_eventsOutOfOrderFromManyThreads_eachRequestChronological() throws Exception {
    CloudWatchLogsAuditSink s = sink(bundles("acme", "globex")).maxQueuedEvents(100_000).maxQueuedEventsPerTenant(100_000).build();
    int threads = 4;
    int perThread = 5_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int seed = t;
      Thread th = new Thread(() -> {
        java.util.SplittableRandom sr = new java.util.SplittableRandom(seed);
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perThread; i++) {
          s.emit(event(sr.nextBoolean() ? "acme" : "globex", T0.minusMillis(sr.nextLong(3_600_000))));
        }
      });
      th.start();
      ts.add(th);
    }
    start.countDown();
    for (Thread th : ts) {
      th.join();
    }
    s.flush(Duration.ofSeconds(5));
    fake.requests().forEach(CloudWatchLogsAuditSinkTest::assertWithinLimits);
    assertEquals(threads * perThread, s.stats().delivered());
    assertEquals(threads * perThread, fake.all().size());
  }

  @Test
  void emit_eventsMoreThanADayApart_splitSoNoBatchSpansADay() {
    CloudWatchLogsAuditSink s = sink(bundles("acme")).build();
    s.emit(event("acme", T0.minus(Duration.ofHours(30))));
    s.emit(event("acme", T0.minus(Duration.ofHours(5))));
    s.emit(event("acme", T0.minus(Duration.ofHours(4))));
    s.emit(event("acme", T0));
    s.flush(Duration.ofSeconds(5));
    List<FakeLogs.Request> reqs = fake.requests();
    reqs.forEach(CloudWatchLogsAuditSinkTest::assertWithinLimits);
    assertEquals(2, reqs.size());
    assertEquals(1, reqs.get(0).records.size());
    assertEquals(3, reqs.get(1).records.size());
  }

  @Test
  void emit_eventTwentyDaysOld_timestampMovedIntoWindowJsonKeepsTrueTime() throws IOException {
    CloudWatchLogsAuditSink s = sink(bundles("acme")).build();
    Instant old = T0.minus(Duration.ofDays(20));
    s.emit(event("acme", old));
    s.flush(Duration.ofSeconds(5));
    LogsApi.LogRecord r = fake.all().get(0);
    assertTrue(r.timestampMillis() >= T0.minus(Duration.ofDays(14)).toEpochMilli(), "sent " + Instant.ofEpochMilli(r.timestampMillis()));
    assertEquals(old.toString(), JSON.readTree(r.message()).get("time").asText());
  }

  @Test
  void emit_eventWith300KiBError_truncatedWithMarkerAndDelivered() throws IOException {
    CloudWatchLogsAuditSink s = sink(bundles("acme")).build();
    KeyUseEvent e = event("acme").toBuilder().error("E".repeat(300 * 1024)).build();
    s.emit(e);
    s.flush(Duration.ofSeconds(5));
    assertEquals(1, s.stats().delivered());
    LogsApi.LogRecord r = fake.all().get(0);
    assertTrue(r.message().getBytes(StandardCharsets.UTF_8).length + 26 <= 262_144);
    JsonNode n = JSON.readTree(r.message());
    assertEquals(e.eventId(), n.get("eventId").asText());
    assertEquals(e.kmsRequestId(), n.get("kmsRequestId").asText());
    assertEquals(300 * 1024, n.get("truncated").get("error").asInt());
    assertTrue(n.get("error").asText().endsWith("...[truncated]"));
    assertEquals("opened message 42", n.get("reasonDetail").asText());
  }

  @Test
  void emit_loneSurrogates_sentAsValidUtf8WithReplacementCharacter() throws IOException {
    CloudWatchLogsAuditSink s = sink(bundles("acme")).build();
    s.emit(event("acme").toBuilder().reasonDetail("a\uD800b").actor("\uDC00x").error("ok \uD83D\uDE00").build());
    s.flush(Duration.ofSeconds(5));
    String m = fake.all().get(0).message();
    byte[] utf8 = m.getBytes(StandardCharsets.UTF_8);
    assertEquals(m, new String(utf8, StandardCharsets.UTF_8), "round trip through UTF-8");
    JsonNode n = JSON.readTree(m);
    assertEquals("a\uFFFDb", n.get("reasonDetail").asText());
    assertEquals("\uFFFDx", n.get("actor").asText());
    assertEquals("ok \uD83D\uDE00", n.get("error").asText(), "a valid pair is kept");
  }

  @Test
  void runOnce_beforeFlushInterval_sendsNothingThenSendsWhenDue() {
    CloudWatchLogsAuditSink s = sink(bundles("acme")).flushInterval(Duration.ofSeconds(1)).build();
    s.emit(event("acme"));
    s.runOnce();
    clock.advance(Duration.ofMillis(999));
    s.runOnce();
    assertEquals(0, fake.requests().size());
    clock.advance(Duration.ofMillis(1));
    s.runOnce();
    assertEquals(1, fake.requests().size());
  }

  @Test
  void runOnce_fullBatchWaiting_sendsWithoutWaitingForTheInterval() {
    CloudWatchLogsAuditSink s = sink(bundles("acme")).maxBatchEvents(100).build();
    for (int i = 0; i < 100; i++) {
      s.emit(event("acme"));
    }
    s.runOnce();
    assertEquals(1, fake.requests().size());
    assertEquals(100, fake.requests().get(0).records.size());
  }

  @Test
  void throttled_retriedWithGrowingBackoff_nothingLost() throws IOException {
    CloudWatchLogsAuditSink s = sink(bundles("acme")).retryBackoff(Duration.ofMillis(100), Duration.ofSeconds(5)).build();
    fake.throttleNext.set(4);
    Set<String> sent = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      KeyUseEvent e = event("acme");
      sent.add(e.eventId());
      s.emit(e);
    }
    s.flush(Duration.ofSeconds(1));
    assertEquals(1, fake.requests().size(), "first attempt");
    for (int attempt = 2; attempt <= 5; attempt++) {
      // Not before the backoff: step 100 ms * 2^(n-1), at least half of it.
      long minWait = 100L << (attempt - 2) >> 1;
      clock.advance(Duration.ofMillis(minWait - 1));
      s.runOnce();
      assertEquals(attempt - 1, fake.requests().size(), "no retry before " + minWait + " ms");
      clock.advance(Duration.ofSeconds(10));
      s.runOnce();
      s.runOnce();
      assertEquals(attempt, fake.requests().size(), "retry " + attempt);
    }
    s.runOnce();
    assertEquals(sent, eventIds(fake.all()));
    AuditSinkStats st = s.stats();
    assertEquals(10, st.delivered());
    assertEquals(40, st.retried());
    assertEquals(40, st.possibleDuplicates(), "throttling is TRANSIENT: counted as possibly stored");
    assertTrue(st.tenantErrors().isEmpty(), "error cleared after success");
  }

  @Test
  void logGroupMissing_clearErrorNamingTheGroup_eventsKeptUntilItExists() throws IOException {
    HandoffBundle b = bundle("acme");
    CloudWatchLogsAuditSink s = sink(TenantDirectory.of(Map.of("acme", b))).build();
    for (int i = 0; i < 20; i++) {
      s.emit(event("acme"));
    }
    s.flush(Duration.ofSeconds(1));
    AuditSinkStats st = s.stats();
    assertEquals(0, st.delivered());
    assertEquals(20, st.pending());
    assertTrue(st.tenantErrors().get("acme").contains("'ACME_APP_PROD_LOG_GROUP'"), st.tenantErrors().get("acme"));
    assertFalse(fake.calls.contains("CreateLogGroup ACME_APP_PROD_LOG_GROUP"), "not created by default");
    fake.createGroup(b.logGroupName());
    clock.advance(Duration.ofMinutes(2));
    s.flush(Duration.ofSeconds(1));
    assertEquals(20, s.stats().delivered());
    assertEquals(20, eventIds(fake.all()).size());
  }

  @Test
  void logGroupMissing_createMissingLogGroupOn_createsItAndDelivers() {
    CloudWatchLogsAuditSink s = sink(TenantDirectory.of(Map.of("acme", bundle("acme")))).createMissingLogGroup(true).build();
    s.emit(event("acme"));
    assertTrue(s.flush(Duration.ofSeconds(1)));
    assertTrue(fake.calls.contains("CreateLogGroup ACME_APP_PROD_LOG_GROUP"));
    assertEquals(1, s.stats().delivered());
  }

  @Test
  void roleCannotBeAssumed_clearErrorNamingTheRole_eventsKeptThenSpilledAtClose() throws IOException {
    fake.deniedRoles.add(bundle("acme").roleArn());
    CloudWatchLogsAuditSink s = sink(bundles("acme")).spillDirectory(tmp).build();
    for (int i = 0; i < 5; i++) {
      s.emit(event("acme"));
    }
    s.flush(Duration.ofSeconds(1));
    String error = s.stats().tenantErrors().get("acme");
    assertTrue(error.contains("arn:aws:iam::111122223333:role/acme-prod-kms-logging"), error);
    assertEquals(5, s.stats().pending());
    assertEquals(5, s.close(Duration.ofSeconds(1)));
    assertEquals(5, spillLines(tmp).size());
    assertEquals(0, fake.all().size());
  }

  @Test
  void unknownTenant_errorSaysSo_eventsKept() {
    CloudWatchLogsAuditSink s = sink(bundles("acme")).build();
    s.emit(event("nobody"));
    s.flush(Duration.ofSeconds(1));
    assertTrue(s.stats().tenantErrors().get("nobody").contains("no hand-off bundle for tenant 'nobody'"));
    assertEquals(1, s.stats().pending());
    assertEquals(1, s.close(Duration.ofSeconds(1)));
  }

  @Test
  void streamDeletedUnderTheSink_recreatedAndDelivered() {
    CloudWatchLogsAuditSink s = sink(bundles("acme")).build();
    s.emit(event("acme"));
    s.flush(Duration.ofSeconds(1));
    synchronized (fake) {
      fake.streams.clear();
    }
    s.emit(event("acme"));
    assertTrue(s.flush(Duration.ofSeconds(1)));
    assertEquals(2, s.stats().delivered());
    assertEquals(1, fake.all().size(), "the second event, in the re-created stream");
  }

  @Test
  void invalidRequest_batchSplitUntilThePoisonEventIsAlone_restDelivered() throws IOException {
    fake.invalidMessage = m -> m.contains("POISON");
    CloudWatchLogsAuditSink s = sink(bundles("acme")).spillDirectory(tmp).build();
    for (int i = 0; i < 64; i++) {
      s.emit(i == 37 ? event("acme").toBuilder().reasonDetail("POISON").build() : event("acme"));
    }
    s.flush(Duration.ofSeconds(1));
    AuditSinkStats st = s.stats();
    assertEquals(63, st.delivered());
    assertEquals(1, st.rejected());
    assertEquals(0, st.pending());
    try (Stream<Path> files = Files.list(tmp)) {
      List<Path> rejected = files.filter(p -> p.getFileName().toString().startsWith("rejected-")).collect(Collectors.toList());
      assertEquals(1, rejected.size());
      assertTrue(Files.readString(rejected.get(0)).contains("POISON"));
    }
  }

  @Test
  void serviceRefusesOldEvents_resentStampedWithSendingTime_boundaryCountedAsPossibleDuplicate() throws IOException {
    CloudWatchLogsAuditSink s = sink(bundles("acme")).build();
    Set<String> sent = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      KeyUseEvent e = event("acme", T0.minusSeconds(10 - i));
      sent.add(e.eventId());
      s.emit(e);
    }
    fake.rejectTooOldEndIndexOnce = 2;
    s.flush(Duration.ofSeconds(1));
    assertEquals(sent, eventIds(fake.all()));
    assertEquals(2, fake.requests().size());
    assertEquals(3, fake.requests().get(1).records.size());
    assertEquals(10, s.stats().delivered());
    assertEquals(3, s.stats().possibleDuplicates());
  }

  @Test
  void overflowBlock_queueFull_producerWaitsUntilThereIsRoom() throws Exception {
    CloudWatchLogsAuditSink s = sink(bundles("acme")).maxQueuedEvents(10).maxQueuedEventsPerTenant(10).build();
    for (int i = 0; i < 10; i++) {
      s.emit(event("acme"));
    }
    AtomicInteger done = new AtomicInteger();
    Thread producer = new Thread(() -> {
      s.emit(event("acme"));
      done.incrementAndGet();
    });
    producer.start();
    // Bounded wait for the producer to be parked (it cannot finish: nothing drains the queue yet).
    for (int i = 0; i < 10_000 && producer.getState() != Thread.State.TIMED_WAITING; i++) {
      Thread.onSpinWait();
      Thread.yield();
    }
    assertEquals(0, done.get(), "producer must wait while the queue is full");
    assertEquals(10, s.stats().queued());
    s.flush(Duration.ofSeconds(1));
    producer.join(10_000);
    assertEquals(1, done.get());
    s.flush(Duration.ofSeconds(1));
    assertEquals(11, s.stats().delivered());
    assertEquals(0, s.stats().spilled());
  }

  @Test
  void overflowSpill_queueFull_spillsOnCallerThenReplaysOnceWhenThereIsRoom() throws IOException {
    CloudWatchLogsAuditSink s = sink(bundles("acme")).maxQueuedEvents(10).maxQueuedEventsPerTenant(10).overflowPolicy(OverflowPolicy.SPILL)
        .spillDirectory(tmp).build();
    Set<String> sent = new HashSet<>();
    for (int i = 0; i < 15; i++) {
      KeyUseEvent e = event("acme");
      sent.add(e.eventId());
      s.emit(e);
    }
    assertEquals(5, s.stats().spilled());
    assertEquals(5, spillLines(tmp).size());
    assertEquals(10, s.stats().queued());
    s.flush(Duration.ofSeconds(1));
    s.flush(Duration.ofSeconds(1));
    List<LogsApi.LogRecord> all = fake.all();
    assertEquals(15, all.size(), "delivered once each");
    assertEquals(sent, eventIds(all));
    assertEquals(5, s.stats().replayed());
    assertEquals(0, spillLines(tmp).size(), "spill file deleted once delivered");
    assertEquals(0, s.close(Duration.ofSeconds(1)));
  }

  @Test
  void close_networkDownWithSpill_nextStartReplaysAndDeliversEachOnce() throws IOException {
    fake.networkDown = true;
    CloudWatchLogsAuditSink first = sink(bundles("acme", "globex")).overflowPolicy(OverflowPolicy.SPILL).spillDirectory(tmp).build();
    Set<String> sent = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      KeyUseEvent e = event(i % 2 == 0 ? "acme" : "globex");
      sent.add(e.eventId());
      first.emit(e);
    }
    assertEquals(300, first.close(Duration.ofSeconds(1)));
    assertEquals(300, spillLines(tmp).size());
    assertEquals(0, fake.all().size());

    fake.networkDown = false;
    CloudWatchLogsAuditSink second = sink(bundles("acme", "globex")).overflowPolicy(OverflowPolicy.SPILL).spillDirectory(tmp).build();
    assertTrue(second.flush(Duration.ofSeconds(1)));
    List<LogsApi.LogRecord> all = fake.all();
    assertEquals(300, all.size(), "each delivered once");
    assertEquals(sent, eventIds(all));
    assertEquals(300, second.stats().replayed());
    assertEquals(0, spillLines(tmp).size());
    assertEquals(0, second.close(Duration.ofSeconds(1)));
  }

  @Test
  void close_afterOverflowSpillWhileDown_countsSpilledAndLeftoverEvents() throws IOException {
    fake.networkDown = true;
    CloudWatchLogsAuditSink s = sink(bundles("acme")).maxQueuedEvents(4).maxQueuedEventsPerTenant(4).overflowPolicy(OverflowPolicy.SPILL).spillDirectory(tmp).build();
    for (int i = 0; i < 10; i++) {
      s.emit(event("acme"));
    }
    assertEquals(6, s.stats().spilled());
    assertEquals(10, s.close(Duration.ofSeconds(1)), "6 spilled on overflow + 4 in memory");
    assertEquals(10, spillLines(tmp).size());
  }

  @Test
  void close_withoutSpillDirectory_returnsHowManyWereNotDelivered() {
    fake.networkDown = true;
    CloudWatchLogsAuditSink s = sink(bundles("acme")).build();
    for (int i = 0; i < 7; i++) {
      s.emit(event("acme"));
    }
    assertEquals(7, s.close(Duration.ofSeconds(1)));
    assertEquals(7, s.close(Duration.ofSeconds(1)), "second close gives the same answer");
  }

  @Test
  void emit_afterClose_throwsNamingTheEvent() {
    CloudWatchLogsAuditSink s = sink(bundles("acme")).build();
    s.close(Duration.ofSeconds(1));
    KeyUseEvent e = event("acme");
    IllegalStateException x = assertThrows(IllegalStateException.class, () -> s.emit(e));
    assertTrue(x.getMessage().contains(e.eventId()));
  }

  @Test
  void build_spillDirectoryHeldByAnotherSink_failsClearly() {
    CloudWatchLogsAuditSink s = sink(bundles("acme")).spillDirectory(tmp).build();
    IllegalStateException x = assertThrows(IllegalStateException.class, () -> sink(bundles("acme")).spillDirectory(tmp).build());
    assertTrue(x.getMessage().contains("in use by another sink"), x.getMessage());
    s.close(Duration.ofSeconds(1));
  }

  @Test
  void build_badSettings_failWithWhatWasWrong() {
    assertTrue(assertThrows(IllegalStateException.class, () -> CloudWatchLogsAuditSink.builder().build())
        .getMessage().contains("tenants"));
    assertTrue(assertThrows(IllegalStateException.class,
        () -> CloudWatchLogsAuditSink.builder().tenants(TenantDirectory.builder().build()).overflowPolicy(OverflowPolicy.SPILL).build())
        .getMessage().contains("spillDirectory"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CloudWatchLogsAuditSink.builder().maxBatchEvents(10_001))
        .getMessage().contains("10001"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CloudWatchLogsAuditSink.builder().maxBatchBytes(2_000_000))
        .getMessage().contains("2000000"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CloudWatchLogsAuditSink.builder().instanceId("a:b"))
        .getMessage().contains("a:b"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CloudWatchLogsAuditSink.builder().flushInterval(Duration.ZERO))
        .getMessage().contains("PT0S"));
  }

  @Test
  void metrics_receiveDeliveredRetriedAndSpilledCounts() {
    AtomicLong delivered = new AtomicLong();
    AtomicLong retried = new AtomicLong();
    AtomicLong spilled = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    List<AuditSinkStats> attached = new ArrayList<>();
    AuditMetrics m = new AuditMetrics() {
      @Override public void attach(String sink, java.util.function.Supplier<AuditSinkStats> stats) { attached.add(stats.get()); }
      @Override public void delivered(int events, long b, Duration lag) { delivered.addAndGet(events); bytes.addAndGet(b); }
      @Override public void retried(int events) { retried.addAndGet(events); }
      @Override public void spilled(long events) { spilled.addAndGet(events); }
    };
    fake.throttleNext.set(1);
    CloudWatchLogsAuditSink s = sink(bundles("acme")).metrics(m).build();
    for (int i = 0; i < 3; i++) {
      s.emit(event("acme"));
    }
    s.flush(Duration.ofSeconds(1));
    clock.advance(Duration.ofMinutes(1));
    s.flush(Duration.ofSeconds(1));
    assertEquals(1, attached.size());
    assertEquals(3, delivered.get());
    assertEquals(3, retried.get());
    assertEquals(s.stats().bytesDelivered(), bytes.get());
    assertNotEquals(0, bytes.get());
  }

  @Test
  void streamName_disallowedCharactersReplacedAndLengthCapped() {
    assertEquals("byok/slack/host-1/a_b_c", BundleDestinations.streamName("slack", "host-1", "a:b*c"));
    String longName = BundleDestinations.streamName("slack", "host-1", "t".repeat(600));
    assertEquals(512, longName.length());
    assertNotEquals(longName, BundleDestinations.streamName("slack", "host-1", "t".repeat(599) + "u"));
  }

  @Test
  void close_withoutSpillDirectory_keptOwnerOnlyAtTheDefaultLocation_aSinkPointedThereDeliversThem() throws IOException {
    String id = "default-location-" + System.nanoTime();
    Path kept = DefaultSpillLocation.forInstance(id);
    CloudWatchLogsAuditSink first = CloudWatchLogsAuditSink.builder().tenants(bundles("acme")).instanceId(id).clock(clock)
        .logsApiFactory(fake::open).manualDispatch().build();
    fake.networkDown = true;
    Set<String> sent = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      KeyUseEvent e = event("acme");
      sent.add(e.eventId());
      first.emit(e);
    }
    assertEquals(3, first.close(Duration.ofSeconds(1)));
    assertEquals(3, spillLines(kept).size(), "kept in " + kept);
    assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)));

    fake.networkDown = false;
    CloudWatchLogsAuditSink second = CloudWatchLogsAuditSink.builder().tenants(bundles("acme")).instanceId(id + "-b")
        .clock(clock).logsApiFactory(fake::open).manualDispatch().spillDirectory(kept).build();
    assertTrue(second.flush(Duration.ofSeconds(1)));
    assertEquals(sent, eventIds(fake.all()));
    assertEquals(0, spillLines(kept).size());
    assertEquals(0, second.close(Duration.ofSeconds(1)));
  }

  private static List<String> spillLines(Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(p -> p.getFileName().toString().startsWith("spill-")).sorted().collect(Collectors.toList())) {
        lines.addAll(Files.readAllLines(p));
      }
    }
    return lines;
  }
}
