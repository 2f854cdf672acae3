package dev.byok.aws.logs;

import dev.byok.core.TenantDirectory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byok.core.HandoffBundle;
import dev.byok.core.KeyArn;
import dev.byok.core.audit.KeyUseEvent;
import dev.byok.testing.Emulators;
import dev.byok.testing.WithEmulators;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * The CloudWatch Logs sink against moto: the customer's role (trust policy for the vendor
 * account with an {@code sts:ExternalId} condition, the guide's log policy) and log group are
 * created first through IAM and Logs, as provisioning does; then events go through STS AssumeRole
 * and PutLogEvents and are read back with GetLogEvents. moto does not enforce PutLogEvents' size
 * limits, so an SDK interceptor records every request actually sent and the limits are asserted
 * on those.
 */
@WithEmulators
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CloudWatchLogsAuditSinkIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String VENDOR_ACCOUNT = "222233334444";
  private static final String EXTERNAL_ID = "byok-ext-7f3a9c2e51";

  private final Emulators emu;
  private final Recorder recorder = new Recorder();
  private final StsRecorder stsRecorder = new StsRecorder();
  private StsClient sts;
  private CloudWatchLogsClient admin;
  private final List<CloudWatchLogsAuditSink> sinks = new ArrayList<>();

  @TempDir
  Path tmp;

  CloudWatchLogsAuditSinkIT(Emulators emu) {
    this.emu = emu;
  }

  @BeforeEach
  void clients() {
    sts = emu.moto(StsClient.builder()).overrideConfiguration(o -> o.addExecutionInterceptor(stsRecorder)).build();
    admin = emu.moto(CloudWatchLogsClient.builder()).build();
  }

  @AfterEach
  void closeAll() {
    for (CloudWatchLogsAuditSink s : sinks) {
      s.close(Duration.ofSeconds(5));
    }
    sts.close();
    admin.close();
  }

  // ------------------------------------------------------------------ provisioning, as the customer does

  private HandoffBundle provision(String tenant, boolean createGroup) {
    String role = tenant + "-prod-kms-logging";
    String group = tenant.toUpperCase() + "_APP_PROD_LOG_GROUP";
    String account = emu.motoAccountId();
    String region = emu.region().id();
    String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
        + VENDOR_ACCOUNT + ":root\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"sts:ExternalId\":\""
        + EXTERNAL_ID + "\"}}}]}";
    String groupArn = "arn:aws:logs:" + region + ":" + account + ":log-group:" + group;
    String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"logs:CreateLogGroup\","
        + "\"logs:CreateLogStream\",\"logs:DescribeLogStreams\",\"logs:PutLogEvents\"],\"Resource\":[\"" + groupArn + "\",\""
        + groupArn + ":*\"]}]}";
    try (IamClient iam = emu.moto(IamClient.builder()).build()) {
      String roleArn = iam.createRole(r -> r.roleName(role).assumeRolePolicyDocument(trust)).role().arn();
      String policyArn = iam.createPolicy(p -> p.policyName(tenant + "-prod-kms-logs").policyDocument(policy)).policy().arn();
      iam.attachRolePolicy(a -> a.roleName(role).policyArn(policyArn));
      if (createGroup) {
        admin.createLogGroup(g -> g.logGroupName(group));
      }
      return HandoffBundle.builder()
          .keyArn(KeyArn.parse("arn:aws:kms:" + region + ":" + account + ":key/" + String.format("%08x", tenant.hashCode())
              + "-12ab-34cd-56ef-1234567890ab")) // one key per tenant (the directory refuses shared keys)
          .region(region)
          .roleArn(roleArn)
          .logGroupName(group)
          .externalId(EXTERNAL_ID)
          .vendor("slack")
          .build();
    }
  }

  private Map<String, HandoffBundle> provisionTenants(int n) {
    Map<String, HandoffBundle> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String t = "tenant" + i;
      m.put(t, provision(t, true));
    }
    return m;
  }

  private CloudWatchLogsAuditSink.Builder sink(Map<String, HandoffBundle> bundles, ExecutionInterceptor... extra) {
    return sink(bundles, emu.motoEndpoint(), extra);
  }

  private CloudWatchLogsAuditSink.Builder sink(Map<String, HandoffBundle> bundles, URI logsEndpoint, ExecutionInterceptor... extra) {
    return sink(bundles, sts, logsEndpoint, extra);
  }

  /** With another STS client than the emulator's plain one (the builder takes each setting once). */
  private CloudWatchLogsAuditSink.Builder sink(Map<String, HandoffBundle> bundles, StsClient stsClient, URI logsEndpoint,
      ExecutionInterceptor... extra) {
    return CloudWatchLogsAuditSink.builder()
        .tenants(TenantDirectory.of(bundles))
        .instanceId("it-host-1")
        .stsClient(stsClient)
        .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
        .flushInterval(Duration.ofMillis(200))
        .deliveryThreads(4)
        .logsClientCustomizer(b -> b.endpointOverride(logsEndpoint).overrideConfiguration(o -> {
          for (ExecutionInterceptor i : extra) {
            o.addExecutionInterceptor(i);
          }
          o.addExecutionInterceptor(recorder);
        }));
  }

  private CloudWatchLogsAuditSink started(CloudWatchLogsAuditSink.Builder b) {
    CloudWatchLogsAuditSink s = b.build();
    sinks.add(s);
    return s;
  }

  private static final AtomicLong SEQ = new AtomicLong();

  private static KeyUseEvent event(String tenant, Instant time) {
    long n = SEQ.incrementAndGet();
    return KeyUseEvent.builder()
        .time(time)
        .tenant(tenant)
        .operation(n % 3 == 0 ? KeyUseEvent.Operation.ENCRYPT : KeyUseEvent.Operation.DECRYPT)
        .keyArn("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")
        .reasonCode(n % 2 == 0 ? "USER_REQUEST" : "SEARCH_INDEXING")
        .reasonDetail("channel C0" + (n % 97))
        .actor("user:U0" + (n % 1000))
        .encryptionContext(Map.of("tenant", tenant, "purpose", "messages"))
        .messageId(Long.toHexString(n) + "00000000000000000000000000000000")
        .dataKeySource(n % 10 == 0 ? KeyUseEvent.DataKeySource.KMS : KeyUseEvent.DataKeySource.CACHE)
        .kmsRequestId(n % 10 == 0 ? "9b6b2d2e-" + n : null)
        .build();
  }

  /** Every event ID in the tenant's stream of this sink instance, with how often it appears. */
  private Map<String, Integer> readBack(HandoffBundle b, String tenant) throws IOException {
    Map<String, Integer> ids = new HashMap<>();
    String stream = "byok/slack/it-host-1/" + tenant;
    String token = null;
    while (true) {
      String t = token;
      GetLogEventsResponse r;
      try {
        r = admin.getLogEvents(g -> g.logGroupName(b.logGroupName()).logStreamName(stream)
            .startFromHead(true).limit(10_000).nextToken(t));
      } catch (ResourceNotFoundException e) {
        return ids; // no stream: nothing was delivered
      }
      for (OutputLogEvent e : r.events()) {
        ids.merge(JSON.readTree(e.message()).get("eventId").asText(), 1, Integer::sum);
      }
      if (r.events().isEmpty() || r.nextForwardToken() == null || r.nextForwardToken().equals(token)) {
        return ids;
      }
      token = r.nextForwardToken();
    }
  }

  private static void await(String what, Duration max, BooleanSupplier done) {
    long deadline = System.nanoTime() + max.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + max + " waiting for: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what);
      }
    }
  }

  // ------------------------------------------------------------------ interceptors

  /** Records every PutLogEvents request as sent, and the access keys that signed them. */
  static final class Recorder implements ExecutionInterceptor {
    final List<long[]> batches = new CopyOnWriteArrayList<>(); // events, bytes (26 per event), span ms, largest event
    final List<String> violations = new CopyOnWriteArrayList<>();
    final Set<String> accessKeys = ConcurrentHashMap.newKeySet();
    final AtomicLong httpBodyBytes = new AtomicLong();
    final AtomicInteger transmissions = new AtomicInteger();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      if (!(context.request() instanceof PutLogEventsRequest)) {
        return;
      }
      List<InputLogEvent> events = ((PutLogEventsRequest) context.request()).logEvents();
      long bytes = 0;
      long largest = 0;
      long prev = Long.MIN_VALUE;
      for (InputLogEvent e : events) {
        long size = e.message().getBytes(StandardCharsets.UTF_8).length + 26L;
        bytes += size;
        largest = Math.max(largest, size);
        if (e.timestamp() < prev) {
          violations.add("timestamps out of order: " + e.timestamp() + " after " + prev);
        }
        prev = e.timestamp();
      }
      long span = events.get(events.size() - 1).timestamp() - events.get(0).timestamp();
      if (events.size() > 10_000) {
        violations.add("events in one request: " + events.size());
      }
      if (bytes > 1_048_576) {
        violations.add("bytes in one request: " + bytes);
      }
      if (span >= Duration.ofHours(24).toMillis()) {
        violations.add("span of one request: " + span + " ms");
      }
      if (largest > 262_144) {
        violations.add("event of " + largest + " bytes");
      }
      batches.add(new long[] {events.size(), bytes, span, largest});
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
      transmissions.incrementAndGet();
      context.httpRequest().firstMatchingHeader("Authorization").ifPresent(a -> {
        int i = a.indexOf("Credential=");
        if (i >= 0) {
          accessKeys.add(a.substring(i + 11, a.indexOf('/', i)));
        }
      });
      context.requestBody().flatMap(b -> b.optionalContentLength()).ifPresent(httpBodyBytes::addAndGet);
    }
  }

  /** Records the AssumeRole requests (role, external ID) the sink made. */
  static final class StsRecorder implements ExecutionInterceptor {
    final List<AssumeRoleRequest> requests = new CopyOnWriteArrayList<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      if (context.request() instanceof AssumeRoleRequest) {
        requests.add((AssumeRoleRequest) context.request());
      }
    }
  }

  /** Fails the next {@code n} PutLogEvents transmissions as CloudWatch Logs does when it throttles. */
  static final class Throttler implements ExecutionInterceptor {
    final AtomicInteger remaining;
    final AtomicInteger thrown = new AtomicInteger();

    Throttler(int n) {
      this.remaining = new AtomicInteger(n);
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
      if (context.request() instanceof PutLogEventsRequest && remaining.getAndDecrement() > 0) {
        thrown.incrementAndGet();
        throw CloudWatchLogsException.builder().statusCode(400).message("Rate exceeded")
            .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").errorMessage("Rate exceeded")
                .serviceName("CloudWatchLogs").build())
            .build();
      }
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  // ------------------------------------------------------------------ tests

  @Test
  void emit_100kEventsAcrossTenTenantsFromFourThreads_everyEventReadBackAndEveryRequestWithinLimits() throws Exception {
    Map<String, HandoffBundle> bundles = provisionTenants(10);
    List<String> tenants = new ArrayList<>(bundles.keySet());
    CloudWatchLogsAuditSink s = started(sink(bundles).maxQueuedEvents(20_000));
    Map<String, Set<String>> sent = new ConcurrentHashMap<>();
    tenants.forEach(t -> sent.put(t, ConcurrentHashMap.newKeySet()));
    int threads = 4;
    int perThread = 25_000;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> producers = new ArrayList<>();
    for (int p = 0; p < threads; p++) {
      int seed = p;
      Thread th = new Thread(() -> {
        SplittableRandom r = new SplittableRandom(seed);
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perThread; i++) {
          String t = tenants.get(r.nextInt(tenants.size()));
          // Times jitter by up to 5 s, so events arrive out of order across (and within) threads.
          KeyUseEvent e = event(t, Instant.now().minusMillis(r.nextLong(5_000)));
          sent.get(t).add(e.eventId());
          s.emit(e);
        }
      });
      th.start();
      producers.add(th);
    }
    long start = System.nanoTime();
    go.countDown();
    for (Thread th : producers) {
      th.join();
    }
    assertTrue(s.flush(Duration.ofMinutes(3)), "flush: " + s.stats());
    double seconds = (System.nanoTime() - start) / 1e9;
    AuditSinkStats st = s.stats();
    assertEquals(100_000, st.delivered(), st.toString());

    long found = 0;
    long duplicates = 0;
    for (String t : tenants) {
      Map<String, Integer> back = readBack(bundles.get(t), t);
      assertEquals(sent.get(t), back.keySet(), "event IDs of " + t);
      for (int c : back.values()) {
        duplicates += c - 1;
      }
      found += back.size();
    }
    assertEquals(100_000, found);
    assertTrue(duplicates <= st.possibleDuplicates(), duplicates + " duplicates, only " + st.possibleDuplicates() + " possible");

    assertTrue(recorder.violations.isEmpty(), recorder.violations.toString());
    long batches = recorder.batches.size();
    long bytes = recorder.batches.stream().mapToLong(b -> b[1]).sum();
    long maxBytes = recorder.batches.stream().mapToLong(b -> b[1]).max().orElse(0);
    long maxEvents = recorder.batches.stream().mapToLong(b -> b[0]).max().orElse(0);
    assertTrue(recorder.accessKeys.stream().allMatch(k -> k.startsWith("ASIA")),
        "every PutLogEvents signed with assumed-role (session) credentials: " + recorder.accessKeys);
    Set<String> roles = stsRecorder.requests.stream().map(AssumeRoleRequest::roleArn).collect(Collectors.toSet());
    assertEquals(bundles.values().stream().map(HandoffBundle::roleArn).collect(Collectors.toSet()), roles);
    assertTrue(stsRecorder.requests.stream().allMatch(r -> EXTERNAL_ID.equals(r.externalId())));
    System.out.printf("audit IT: %d events, 10 tenants, %.1f s => %.0f events/s sustained against moto; %d PutLogEvents"
            + " requests, %.0f bytes/request average (26/event counted), largest %d bytes / %d events; HTTP bodies %d bytes;"
            + " possible duplicates %d, duplicates read back %d%n",
        found, seconds, found / seconds, batches, (double) bytes / batches, maxBytes, maxEvents, recorder.httpBodyBytes.get(),
        st.possibleDuplicates(), duplicates);
    assertEquals(0, s.close(Duration.ofSeconds(10)));
  }

  @Test
  void throttledForAStretchOfCalls_nothingLostAndDuplicatesWithinTheCount() throws Exception {
    Map<String, HandoffBundle> bundles = provisionTenants(2);
    Throttler throttler = new Throttler(14); // more than the SDK's 3 attempts: batch-level retries too
    CloudWatchLogsAuditSink s = started(sink(bundles, throttler));
    Map<String, Set<String>> sent = new HashMap<>();
    for (int i = 0; i < 5_000; i++) {
      String t = i % 2 == 0 ? "tenant0" : "tenant1";
      KeyUseEvent e = event(t, Instant.now());
      sent.computeIfAbsent(t, k -> new java.util.HashSet<>()).add(e.eventId());
      s.emit(e);
    }
    assertTrue(s.flush(Duration.ofMinutes(2)), s.stats().toString());
    assertEquals(14, throttler.thrown.get());
    AuditSinkStats st = s.stats();
    assertTrue(st.retried() > 0, "batch-level retries happened: " + st);
    long duplicates = 0;
    for (String t : sent.keySet()) {
      Map<String, Integer> back = readBack(bundles.get(t), t);
      assertEquals(sent.get(t), back.keySet(), t);
      for (int c : back.values()) {
        duplicates += c - 1;
      }
    }
    assertTrue(duplicates <= st.possibleDuplicates(), duplicates + " > " + st.possibleDuplicates());
    assertTrue(recorder.violations.isEmpty(), recorder.violations.toString());
  }

  @Test
  void stoppedWhileNetworkDown_withSpill_eventsRecoveredAtNextStartAndDeliveredOnce() throws Exception {
    Map<String, HandoffBundle> bundles = provisionTenants(3);
    Path spill = tmp.resolve("spill");
    URI down = URI.create("http://127.0.0.1:" + closedPort());
    CloudWatchLogsAuditSink first = sink(bundles, down).overflowPolicy(OverflowPolicy.SPILL).spillDirectory(spill)
        .maxQueuedEvents(1_000).sdkMaxAttempts(2).build();
    sinks.add(first); // closed by the test; here so a failing assertion does not leave it running
    Map<String, Set<String>> sent = new HashMap<>();
    for (int i = 0; i < 3_000; i++) {
      String t = "tenant" + (i % 3);
      KeyUseEvent e = event(t, Instant.now());
      sent.computeIfAbsent(t, k -> new java.util.HashSet<>()).add(e.eventId());
      first.emit(e);
    }
    await("a delivery failure to be reported", Duration.ofSeconds(30), () -> !first.stats().tenantErrors().isEmpty());
    assertTrue(first.stats().tenantErrors().values().iterator().next().contains("Connection refused"),
        first.stats().tenantErrors().toString());
    assertEquals(3_000, first.close(Duration.ofSeconds(3)));
    assertEquals(3_000, spillLines(spill).size(), "all kept in the spill directory");

    CloudWatchLogsAuditSink second = started(sink(bundles).overflowPolicy(OverflowPolicy.SPILL).spillDirectory(spill));
    await("the replay to be delivered", Duration.ofMinutes(1), () -> second.stats().delivered() == 3_000);
    for (String t : sent.keySet()) {
      Map<String, Integer> back = readBack(bundles.get(t), t);
      assertEquals(sent.get(t), back.keySet(), t);
      assertTrue(back.values().stream().allMatch(c -> c == 1), "each delivered once: " + t);
    }
    assertEquals(3_000, second.stats().replayed());
    await("the spill file to be deleted", Duration.ofSeconds(10), () -> {
      try {
        return spillLines(spill).isEmpty();
      } catch (IOException e) {
        return false;
      }
    });
  }

  @Test
  void badInput_300KiBDetail_loneSurrogates_allDeliveredReadable() throws Exception {
    Map<String, HandoffBundle> bundles = provisionTenants(1);
    CloudWatchLogsAuditSink s = started(sink(bundles));
    KeyUseEvent huge = event("tenant0", Instant.now()).toBuilder().reasonDetail("D".repeat(300 * 1024)).build();
    KeyUseEvent surrogates = event("tenant0", Instant.now()).toBuilder().error("bad \uD800 and \uDFFF end").actor("\uDBFF").build();
    s.emit(huge);
    s.emit(surrogates);
    assertTrue(s.flush(Duration.ofSeconds(30)), s.stats().toString());
    assertTrue(recorder.violations.isEmpty(), recorder.violations.toString());
    Map<String, JsonNode> back = new HashMap<>();
    String stream = "byok/slack/it-host-1/tenant0";
    for (OutputLogEvent e : admin.getLogEvents(g -> g.logGroupName(bundles.get("tenant0").logGroupName())
        .logStreamName(stream).startFromHead(true)).events()) {
      JsonNode n = JSON.readTree(e.message());
      back.put(n.get("eventId").asText(), n);
    }
    JsonNode h = back.get(huge.eventId());
    assertNotNull(h, "the oversize event was delivered");
    assertEquals(300 * 1024, h.get("truncated").get("reasonDetail").asInt());
    assertTrue(h.get("reasonDetail").asText().endsWith("...[truncated]"));
    JsonNode u = back.get(surrogates.eventId());
    assertEquals("bad \uFFFD and \uFFFD end", u.get("error").asText());
    assertEquals("\uFFFD", u.get("actor").asText());
  }

  @Test
  void logGroupMissing_clearErrorNamingIt_eventsKeptAndDeliveredOnceItExists() throws Exception {
    HandoffBundle b = provision("tenant0", false);
    CloudWatchLogsAuditSink s = started(sink(Map.of("tenant0", b)));
    for (int i = 0; i < 10; i++) {
      s.emit(event("tenant0", Instant.now()));
    }
    await("the missing group to be reported", Duration.ofSeconds(30), () -> s.stats().tenantErrors().containsKey("tenant0"));
    String error = s.stats().tenantErrors().get("tenant0");
    assertTrue(error.contains("log group 'TENANT0_APP_PROD_LOG_GROUP' does not exist"), error);
    assertEquals(10, s.stats().pending());
    assertFalse(admin.describeLogGroups().logGroups().stream().anyMatch(g -> g.logGroupName().equals(b.logGroupName())),
        "the sink does not create the customer's group by default");

    admin.createLogGroup(g -> g.logGroupName(b.logGroupName()));
    await("delivery once the group exists", Duration.ofSeconds(30), () -> s.stats().delivered() == 10);
    assertEquals(10, readBack(b, "tenant0").size());
  }

  /**
   * moto 5.2.5 grants every AssumeRole: a role that does not exist, another account's role, a wrong
   * external ID (checked below, so this test notices if that changes). A role that cannot be assumed
   * is therefore produced two ways: an STS endpoint that refuses connections, and STS's real answer
   * to a trust-policy mismatch (AccessDenied, HTTP 403) given by an interceptor that evaluates the
   * external-ID condition the way IAM would.
   */
  @Test
  void roleCannotBeAssumed_clearErrorNamingTheRole_eventsKept() throws Exception {
    AssumeRoleRequest wrong = AssumeRoleRequest.builder().roleArn("arn:aws:iam::" + emu.motoAccountId() + ":role/no-such-role")
        .roleSessionName("probe").externalId("not-the-external-id").build();
    assertNotNull(sts.assumeRole(wrong).credentials(), "moto grants any AssumeRole; if this fails, test against moto directly");

    HandoffBundle b = provision("tenant0", true);
    // 1: STS unreachable.
    try (StsClient refusing = StsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + closedPort()))
        .region(emu.region()).credentialsProvider(emu.credentials()).build()) {
      CloudWatchLogsAuditSink s = sink(Map.of("tenant0", b), refusing, emu.motoEndpoint()).spillDirectory(tmp.resolve("a")).build();
      for (int i = 0; i < 5; i++) {
        s.emit(event("tenant0", Instant.now()));
      }
      await("the role failure to be reported", Duration.ofSeconds(30), () -> s.stats().tenantErrors().containsKey("tenant0"));
      String error = s.stats().tenantErrors().get("tenant0");
      assertTrue(error.contains("cannot assume the log role " + b.roleArn()), error);
      assertEquals(5, s.stats().pending());
      assertEquals(5, s.close(Duration.ofSeconds(2)));
      assertEquals(5, spillLines(tmp.resolve("a")).size());
    }
    // 2: the trust policy's sts:ExternalId condition not met (the bundle carries a stale external ID).
    ExecutionInterceptor trustPolicy = new ExecutionInterceptor() {
      @Override
      public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (context.request() instanceof AssumeRoleRequest && !EXTERNAL_ID.equals(((AssumeRoleRequest) context.request()).externalId())) {
          throw StsException.builder().statusCode(403).awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied")
              .errorMessage("User: arn:aws:iam::" + VENDOR_ACCOUNT + ":user/vendor is not authorized to perform: sts:AssumeRole on resource: "
                  + b.roleArn()).serviceName("STS").build()).build();
        }
      }
    };
    HandoffBundle stale = b.toBuilder().externalId("stale-external-id").build();
    try (StsClient judging = emu.moto(StsClient.builder()).overrideConfiguration(o -> o.addExecutionInterceptor(trustPolicy)).build()) {
      CloudWatchLogsAuditSink s = sink(Map.of("tenant0", stale), judging, emu.motoEndpoint()).build();
      for (int i = 0; i < 5; i++) {
        s.emit(event("tenant0", Instant.now()));
      }
      await("the AccessDenied to be reported", Duration.ofSeconds(30), () -> s.stats().tenantErrors().containsKey("tenant0"));
      String error = s.stats().tenantErrors().get("tenant0");
      assertTrue(error.contains("cannot assume the log role " + b.roleArn()) && error.contains("AccessDenied"), error);
      assertEquals(5, s.stats().pending());
      assertEquals(5, s.close(Duration.ofSeconds(2)), "no spill directory: counted and logged at ERROR");
    }
    assertEquals(0, readBack(b, "tenant0").size());
  }

  private static List<String> spillLines(Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return lines;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(p -> p.getFileName().toString().startsWith("spill-")).sorted().collect(Collectors.toList())) {
        lines.addAll(Files.readAllLines(p));
      }
    }
    return lines;
  }

  /** Issue 12 point 1 on moto: one tenant's log group deleted under load, then recreated. */
  @Test
  void oneTenantsLogGroupDeletedThenRecreated_theOtherUnaffected_itLosesNothingAndCatchesUp() throws Exception {
    HandoffBundle ok = provision("tenant0", true);
    HandoffBundle gone = provision("tenant1", true);
    CloudWatchLogsAuditSink s = started(sink(Map.of("tenant0", ok, "tenant1", gone)).maxQueuedEvents(400)
        .maxQueuedEventsPerTenant(50).overflowPolicy(OverflowPolicy.SPILL).spillDirectory(tmp.resolve("iso")));
    Set<String> sent0 = ConcurrentHashMap.newKeySet();
    Set<String> sent1 = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < 5; i++) {
      KeyUseEvent a = event("tenant0", Instant.now());
      KeyUseEvent b = event("tenant1", Instant.now());
      s.emit(a);
      s.emit(b);
      sent0.add(a.eventId());
      sent1.add(b.eventId());
    }
    await("both tenants' streams", Duration.ofSeconds(30), () -> s.stats().delivered() == 10);
    admin.deleteLogGroup(g -> g.logGroupName(gone.logGroupName()));
    sent1.clear(); // what tenant1's group held went with it
    for (int i = 0; i < 300; i++) {
      KeyUseEvent a = event("tenant0", Instant.now());
      KeyUseEvent b = event("tenant1", Instant.now());
      s.emit(a);
      s.emit(b);
      sent0.add(a.eventId());
      sent1.add(b.eventId());
    }
    await("tenant0 gets everything while tenant1 fails", Duration.ofSeconds(60), () -> {
      try {
        return readBack(ok, "tenant0").keySet().containsAll(sent0);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
    await("tenant1's failure reported", Duration.ofSeconds(30), () -> s.stats().tenantErrors().containsKey("tenant1"));
    TenantAuditHealth failing = s.stats().tenant("tenant1");
    assertFalse(failing.healthy());
    assertTrue(failing.lastError().contains(gone.logGroupName()), failing.lastError());
    assertTrue(failing.pending() <= 50, "tenant1 holds at most its share: " + failing.pending());
    // tenant0's own burst past its share (300 events at once) may have spilled: replayed while tenant1 failed.
    assertTrue(s.stats().tenant("tenant0").healthy());

    admin.createLogGroup(g -> g.logGroupName(gone.logGroupName()));
    await("tenant1 catches up once its group exists again", Duration.ofSeconds(90), () -> {
      try {
        return readBack(gone, "tenant1").keySet().containsAll(sent1);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
    assertTrue(s.stats().tenant("tenant1").healthy());
  }
}
