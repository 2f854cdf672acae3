package dev.byok.soak;

import dev.byok.core.AwsAccountId;
import dev.byok.core.HandoffBundle;
import dev.byok.core.audit.KeyUseEvent;
import dev.byok.provisioning.AwsClients;
import dev.byok.provisioning.ChangeReport;
import dev.byok.provisioning.Provisioner;
import dev.byok.provisioning.ProvisioningSpec;
import dev.byok.provisioning.Revocation;
import dev.byok.provisioning.VendorProfile;
import dev.byok.testing.Emulators;
import dev.byok.testing.Toxiproxy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;

/**
 * One soak run: set-up on the emulators (moto, local-kms) behind toxiproxy, a fault-free baseline,
 * then seeded network faults, customer actions and one SIGKILL of the vendor process, and the
 * oracle's verdict as the last line (see {@code docs/reliability.md}).
 */
final class Soak {
  static final Duration REVALIDATE_AFTER = Duration.ofSeconds(2);
  static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);
  static final int MAX_QUEUED_EVENTS = 256;
  static final double RATE_PER_WORKER = 8;
  static final int LOCAL_TENANTS = 8;
  

  private final SoakOptions options;
  private final Path workDir;
  private final PrintStream out;
  private final Oracle oracle = new Oracle();
  private final Map<String, HandoffBundle> bundles = new TreeMap<>();
  private final Map<String, Provisioner> provisioners = new HashMap<>();
  private final Map<String, String> keyArnToTenant = new HashMap<>();
  private final AtomicLong faults = new AtomicLong();
  private final AtomicInteger actionCount = new AtomicInteger();
  private final Set<String> touchedTenants = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean faultPhase = new AtomicBoolean(true);
  private volatile VendorProcess vendor;
  private volatile String logDeniedTenant;
  private final List<VendorProcess> incarnations = new ArrayList<>();
  private Toxiproxy toxi;
  private Toxiproxy.Proxy kmsProxy;
  private Toxiproxy.Proxy motoProxy;
  private AwsClients customer;
  private Properties vendorConfig;
  private int killedIncarnation = -1;
  private long pendingAtKill = -1;
  private long spilledBeforeKill = -1;

  Soak(SoakOptions options, Path workDir, PrintStream out) {
    this.options = options;
    this.workDir = workDir;
    this.out = out;
  }

  /** Runs the soak; returns the process exit status (0: ok). */
  int run() throws Exception {
    long setupStart = System.currentTimeMillis();
    System.setProperty(Emulators.LOG_DIR_PROPERTY, workDir.resolve("emulators").toString());
    Files.createDirectories(workDir.resolve("emulators"));
    Emulators emu = Emulators.shared();
    toxi = Toxiproxy.start(toolsDir(), workDir.resolve("emulators"), options.seed());
    try {
      kmsProxy = toxi.proxy("kms", emu.localKmsEndpoint().getPort());
      motoProxy = toxi.proxy("moto", emu.motoEndpoint().getPort());
      StaticCredentialsProvider creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
      customer = AwsClients.builder().region("us-east-1").credentials(creds).endpoint(emu.motoEndpoint())
          .endpoint(AwsClients.Service.KMS, emu.localKmsEndpoint()).build();
      provision();
      out.printf(Locale.ROOT, "soak: set up %d tenants on moto and local-kms by provisioning in %.1f s; toxiproxy %s in front"
          + " of local-kms (%s) and moto (%s); the embedded key service's world has %d tenants%n", bundles.size(),
          (System.currentTimeMillis() - setupStart) / 1000.0, toxi.api(), kmsProxy.endpoint(), motoProxy.endpoint(), LOCAL_TENANTS);
      return runPhases(emu);
    } finally {
      if (customer != null) {
        customer.close();
      }
      toxi.close();
    }
  }

  private static Path toolsDir() {
    return dev.byok.testing.internal.ToolsLocator.locate();
  }

  private void provision() throws Exception {
    Path bundleDir = workDir.resolve("bundles");
    Files.createDirectories(bundleDir);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      Random r = new Random(options.seed());
      for (int i = 1; i <= options.tenants(); i++) {
        String tenant = String.format(Locale.ROOT, "t%02d", i);
        String externalId = "soak-" + Long.toHexString(r.nextLong());
        done.add(pool.submit(() -> {
          ProvisioningSpec spec = ProvisioningSpec.builder().company("soak").app(tenant).env("run").region("us-east-1")
              .vendor(VendorProfile.builtIn("generic")).addVendorAccount(LocalWorld.VENDOR).externalId(externalId).build();
          Provisioner p = Provisioner.builder().spec(spec).clients(customer).build();
          ChangeReport report = p.apply();
          HandoffBundle b = report.handoffBundle().orElseThrow(() -> new IllegalStateException("no bundle for " + tenant));
          b.write(bundleDir.resolve(tenant + ".json"));
          synchronized (this) {
            bundles.put(tenant, b);
            provisioners.put(tenant, p);
            keyArnToTenant.put(b.keyArn().toString(), tenant);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private Properties vendorConfig(int incarnation) {
    Properties p = new Properties();
    p.setProperty("threads", Integer.toString(options.threads()));
    p.setProperty("seed", Long.toString(options.seed() * 31 + incarnation));
    p.setProperty("ratePerWorker", Double.toString(RATE_PER_WORKER));
    p.setProperty("bundles", workDir.resolve("bundles").toString());
    p.setProperty("kmsEndpoint", kmsProxy.endpoint().toString());
    p.setProperty("motoEndpoint", motoProxy.endpoint().toString());
    p.setProperty("instanceId", "soak-vendor-" + incarnation);
    p.setProperty("spill", workDir.resolve("spill").toString());
    p.setProperty("maxQueuedEvents", Integer.toString(MAX_QUEUED_EVENTS));
    p.setProperty("revalidateAfterMs", Long.toString(REVALIDATE_AFTER.toMillis()));
    p.setProperty("checkIntervalMs", Long.toString(CHECK_INTERVAL.toMillis()));
    return p;
  }

  private VendorProcess startVendor(int incarnation) throws Exception {
    VendorProcess v = VendorProcess.start(incarnation, vendorConfig(incarnation), workDir, oracle);
    if (!v.awaitReady(120)) {
      throw new IllegalStateException("the vendor process " + incarnation + " did not start; see " + workDir.resolve("vendor-"
          + incarnation + ".log"));
    }
    String denied = logDeniedTenant;
    if (denied != null) {
      v.send("logdeny " + denied + " 1");
    }
    incarnations.add(v);
    vendor = v;
    return v;
  }

  private int runPhases(Emulators emu) throws Exception {
    long totalMs = (long) (options.minutes() * 60_000);
    long baselineMs = Math.max(20_000, totalMs * 15 / 100);
    long faultMs = totalMs - baselineMs;
    LocalWorld local = new LocalWorld(LOCAL_TENANTS, REVALIDATE_AFTER, CHECK_INTERVAL, oracle);
    startVendor(1);
    long baselineStart = System.currentTimeMillis();
    local.start(1, RATE_PER_WORKER, options.seed(), oracle);
    out.printf(Locale.ROOT, "soak: baseline without faults for %d s, then faults and customer actions for %d s%n",
        baselineMs / 1000, faultMs / 1000);
    Thread.sleep(baselineMs);
    long faultStart = System.currentTimeMillis();
    long faultEnd = faultStart + faultMs;
    long killAt = faultStart + faultMs * 2 / 5;
    Random seeds = new Random(options.seed());
    List<Thread> loops = List.of(
        loop("soak-faults", () -> faultLoop(new Random(seeds.nextLong()), faultEnd, killAt)),
        loop("soak-customer-aws", () -> awsActionLoop(new Random(seeds.nextLong()), faultEnd)),
        loop("soak-customer-local", () -> localActionLoop(new Random(seeds.nextLong()), faultEnd, local)));
    for (Thread t : loops) {
      t.join();
    }
    faultPhase.set(false);
    long end = System.currentTimeMillis();
    local.stop();
    String closed = vendor.stop(90);
    local.close();
    out.println("soak: vendor closed: " + (closed == null ? "did not answer 'stop'" : closed));
    return verdict(emu, local, baselineStart, faultStart, end, closed);
  }

  private Thread loop(String name, ThrowingRunnable body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (Exception e) {
        System.err.println("soak: " + name + " failed: " + e);
        e.printStackTrace();
        failures.add(name + " failed: " + e);
      }
    }, name);
    t.start();
    return t;
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());

  // ------------------------------------------------------------------ faults

  private void faultLoop(Random r, long endMs, long killAt) throws Exception {
    boolean killed = false;
    while (System.currentTimeMillis() < endMs) {
      sleep(2000 + r.nextInt(4000), endMs);
      if (!killed && System.currentTimeMillis() >= killAt) {
        killAndRestart();
        killed = true;
        continue;
      }
      if (System.currentTimeMillis() >= endMs) {
        break;
      }
      long hold = 2000 + r.nextInt(4000);
      int kind = r.nextInt(10);
      Toxiproxy.Proxy proxy = kind % 2 == 0 ? kmsProxy : motoProxy;
      Toxiproxy.Toxic toxic = switch (kind) {
        case 0 -> Toxiproxy.Toxic.latency("spike", 800, 400);
        case 1 -> Toxiproxy.Toxic.latency("spike", 1500, 500);
        case 2 -> Toxiproxy.Toxic.resetPeer("reset", 0, 0.3);
        case 3 -> Toxiproxy.Toxic.resetPeer("reset", 0, 0.5);
        case 4 -> Toxiproxy.Toxic.timeout("stall", 3000, 0.3);
        case 5 -> Toxiproxy.Toxic.bandwidth("narrow", 16);
        case 6 -> Toxiproxy.Toxic.bandwidth("narrow", 8);
        default -> null;
      };
      faults.incrementAndGet();
      if (toxic != null) {
        proxy.addToxic(toxic);
        sleep(hold, Long.MAX_VALUE);
        proxy.removeToxic(toxic.name());
      } else if (kind == 7 || kind == 8) {
        proxy.enabled(false);
        sleep(hold, Long.MAX_VALUE);
        proxy.enabled(true);
      } else {
        vendor.send("throttle " + hold);
        sleep(hold, Long.MAX_VALUE);
      }
    }
  }

  /**
   * The process fault: the logs path goes down so the vendor's sink fills its queue and spills,
   * then the vendor is killed with SIGKILL, the path comes back and a new vendor process starts on
   * the same spill directory, which it replays.
   */
  private void killAndRestart() throws Exception {
    VendorProcess v = vendor;
    VendorProcess.Stats before = v.lastStats();
    long spilled0 = before == null ? 0 : before.spilled();
    motoProxy.enabled(false);
    long deadline = System.currentTimeMillis() + 20_000;
    while (System.currentTimeMillis() < deadline) {
      VendorProcess.Stats s = v.lastStats();
      if (s != null && s.spilled() > spilled0 + 50) {
        break;
      }
      Thread.sleep(200);
    }
    VendorProcess.Stats s = v.lastStats();
    pendingAtKill = s == null ? -1 : s.pending();
    spilledBeforeKill = s == null ? -1 : s.spilled();
    long t = System.currentTimeMillis();
    v.kill();
    killedIncarnation = v.incarnation;
    faults.incrementAndGet();
    motoProxy.enabled(true);
    startVendor(v.incarnation + 1);
    out.printf(Locale.ROOT, "soak: killed vendor %d with SIGKILL (%d events pending in memory, %d spilled); vendor %d up after %d ms%n",
        v.incarnation, pendingAtKill, spilledBeforeKill, v.incarnation + 1, System.currentTimeMillis() - t);
  }

  // ------------------------------------------------------------------ customer actions

  private void awsActionLoop(Random r, long endMs) throws Exception {
    List<String> tenants = new ArrayList<>(bundles.keySet());
    while (true) {
      sleep(2000 + r.nextInt(4000), endMs);
      if (System.currentTimeMillis() >= endMs) {
        return;
      }
      String tenant = tenants.get(r.nextInt(tenants.size()));
      int k = r.nextInt(5);
      String kind = k < 2 ? "disable" : k < 4 ? "schedule-deletion" : "log-role";
      long hold = 5000 + r.nextInt(5000);
      touchedTenants.add(tenant);
      actionCount.incrementAndGet();
      Provisioner p = provisioners.get(tenant);
      if (kind.equals("log-role")) {
        long t0 = System.currentTimeMillis();
        logDeniedTenant = tenant;
        vendor.send("logdeny " + tenant + " 1");
        long t1 = System.currentTimeMillis();
        sleep(hold * 2, Long.MAX_VALUE);
        long r0 = System.currentTimeMillis();
        logDeniedTenant = null;
        vendor.send("logdeny " + tenant + " 0");
        oracle.action(new Action(tenant, kind, null, t0, t1, r0, System.currentTimeMillis(), 0));
        continue;
      }
      Revocation rev = kind.equals("disable") ? Revocation.disable() : Revocation.scheduleDeletion(7);
      long t0 = System.currentTimeMillis();
      p.revoke(rev);
      long t1 = System.currentTimeMillis();
      sleep(hold, Long.MAX_VALUE);
      long r0 = System.currentTimeMillis();
      p.restore(rev);
      long r1 = System.currentTimeMillis();
      long rtt = oracle.longestCallInFlight(Set.of(bundles.get(tenant).keyArn().toString()), t1);
      oracle.action(new Action(tenant, kind, null, t0, t1, r0, r1, REVALIDATE_AFTER.toMillis() + CHECK_INTERVAL.toMillis() + rtt));
    }
  }

  private void localActionLoop(Random r, long endMs, LocalWorld local) throws Exception {
    List<String> tenants = local.tenants();
    while (true) {
      sleep(2000 + r.nextInt(4000), endMs);
      if (System.currentTimeMillis() >= endMs) {
        return;
      }
      String tenant = tenants.get(r.nextInt(tenants.size()));
      int k = r.nextInt(3);
      String kind = k == 0 ? "deny-vendor" : k == 1 ? "deny-scope" : "disable";
      String scope = kind.equals("deny-scope") ? Workload.SCOPES.get(r.nextInt(Workload.SCOPES.size())) : null;
      long hold = 4000 + r.nextInt(4000);
      actionCount.incrementAndGet();
      long t0 = System.currentTimeMillis();
      local.apply(kind, tenant, scope, true);
      long t1 = System.currentTimeMillis();
      sleep(hold, Long.MAX_VALUE);
      long r0 = System.currentTimeMillis();
      local.apply(kind, tenant, scope, false);
      long rtt = oracle.longestCallInFlight(Set.of(local.keyArn(tenant)), t1);
      oracle.action(new Action(tenant, kind, scope, t0, t1, r0, System.currentTimeMillis(),
          REVALIDATE_AFTER.toMillis() + CHECK_INTERVAL.toMillis() + rtt));
    }
  }

  private static void sleep(long ms, long notAfterMs) throws InterruptedException {
    long until = Math.min(System.currentTimeMillis() + ms, notAfterMs);
    long left = until - System.currentTimeMillis();
    if (left > 0) {
      Thread.sleep(left);
    }
  }

  // ------------------------------------------------------------------ verdict

  private int verdict(Emulators emu, LocalWorld local, long baselineStart, long faultStart, long end, String closed)
      throws IOException {
    List<String> violations = new ArrayList<>(failures);
    Oracle.Judgement j = oracle.judge();
    // For a post-mortem: every customer action, and every operation of a tenant that had one.
    try (PrintStream w = new PrintStream(Files.newOutputStream(workDir.resolve("actions.txt")), false, "UTF-8")) {
      oracle.actions().forEach(w::println);
    }
    Set<String> acted = new java.util.HashSet<>();
    oracle.actions().forEach(a -> acted.add(a.tenant()));
    try (PrintStream w = new PrintStream(Files.newOutputStream(workDir.resolve("ops-of-acted-tenants.txt")), false, "UTF-8")) {
      oracle.ops().stream().filter(o -> acted.contains(o.tenant())).forEach(o -> w.println(o.toLine()));
    }
    List<OpRecord> ops = oracle.ops();

    // audit events: every accepted event in its tenant's group exactly once after de-duplication
    Map<String, Integer> found = new HashMap<>();
    long misrouted = 0;
    long foreign = 0;
    for (Map.Entry<String, HandoffBundle> e : bundles.entrySet()) {
      String token = null;
      do {
        FilterLogEventsResponse res = customer.logs().filterLogEvents(FilterLogEventsRequest.builder()
            .logGroupName(e.getValue().logGroupName()).nextToken(token).build());
        for (FilteredLogEvent ev : res.events()) {
          KeyUseEvent k;
          try {
            k = KeyUseEvent.fromJson(ev.message());
          } catch (RuntimeException x) {
            foreign++;
            continue;
          }
          found.merge(k.eventId(), 1, Integer::sum);
          if (!k.tenant().equals(e.getKey())) {
            misrouted++;
          }
        }
        token = res.nextToken();
      } while (token != null);
    }
    long missing = 0;
    long missingKilled = 0;
    for (Map.Entry<String, Oracle.Tap> t : oracle.taps().entrySet()) {
      if (!found.containsKey(t.getKey())) {
        missing++;
        if (t.getValue().incarnation() == killedIncarnation) {
          missingKilled++;
        }
      }
    }
    long duplicates = found.values().stream().mapToLong(n -> n - 1).sum();
    long unknown = found.keySet().stream().filter(id -> !oracle.taps().containsKey(id)).count();
    // A SIGKILL loses what the sink held in memory: at most its queue bound (plus what the workers had in hand).
    long killAllowance = Math.min(missingKilled, MAX_QUEUED_EVENTS + options.threads());
    long lost = missing - killAllowance;
    out.printf(Locale.ROOT, "soak: audit: %d events accepted by the vendor's sinks, %d found in the tenants' log groups"
        + " (%d distinct, %d duplicates, %d not tapped), %d missing of which %d from the killed vendor's memory"
        + " (bound %d), %d misrouted%n", oracle.taps().size(), found.values().stream().mapToLong(Integer::longValue).sum(),
        found.size(), duplicates, unknown, missing, killAllowance, MAX_QUEUED_EVENTS + options.threads(), misrouted);
    if (misrouted > 0) {
      violations.add(misrouted + " events in another tenant's log group");
    }

    // one event per operation
    long awsOps = ops.stream().filter(o -> bundles.containsKey(o.tenant())).count();
    long awsUseEvents = oracle.taps().values().stream()
        .filter(t -> t.operation().equals("ENCRYPT") || t.operation().equals("DECRYPT")).count();
    long localOps = ops.size() - awsOps;
    long localEvents = local.eventCounts().values().stream().mapToLong(Long::longValue).sum();
    out.printf(Locale.ROOT, "soak: operations: %d on the emulators (%d key-use events), %d on the embedded key service"
        + " (%d key-use events)%n", awsOps, awsUseEvents, localOps, localEvents);
    if (localOps != localEvents) {
      violations.add("embedded world: " + localOps + " operations but " + localEvents + " key-use events");
    }
    if (Math.abs(awsOps - awsUseEvents) > options.threads()) {
      violations.add("emulator world: " + awsOps + " operations but " + awsUseEvents + " key-use events");
    }

    // latency: healthy tenants, faults vs baseline
    List<OpRecord> baseline = new ArrayList<>();
    List<OpRecord> faulted = new ArrayList<>();
    long baselineHalf = baselineStart + (faultStart - baselineStart) / 2; // the baseline's settled second half
    for (OpRecord o : ops) {
      if (!bundles.containsKey(o.tenant()) || touchedTenants.contains(o.tenant())) {
        continue;
      }
      if (o.startMs() >= baselineHalf && o.startMs() < faultStart) {
        baseline.add(o);
      } else if (o.startMs() >= faultStart && o.startMs() < end) {
        faulted.add(o);
      }
    }
    long p99Base = Oracle.p99Nanos(baseline);
    long p99Faults = Oracle.p99Nanos(faulted);
    double ratio = p99Base == 0 ? 0 : (double) p99Faults / p99Base;
    long[] rtt = oracle.kmsRoundTrips();
    out.printf(Locale.ROOT, "soak: healthy tenants' p99: %.1f ms under faults, %.1f ms in the baseline (%d and %d operations);"
        + " KMS round trip median %d ms, max %d ms%n", p99Faults / 1e6, p99Base / 1e6, faulted.size(), baseline.size(), rtt[1], rtt[0]);

    // availability: how much of the healthy tenants' work got done under faults, against the baseline
    double baseMinutes = Math.max(1, faultStart - baselineHalf) / 60_000.0;
    double faultMinutes = Math.max(1, end - faultStart) / 60_000.0;
    long baseOk = baseline.stream().filter(OpRecord::ok).count();
    long faultOk = faulted.stream().filter(OpRecord::ok).count();
    out.printf(Locale.ROOT, "soak: healthy tenants' availability: %.0f successful operations a minute under faults (%.1f%% of"
        + " %d attempts), %.0f in the baseline (%.1f%% of %d)%n", faultOk / faultMinutes,
        faulted.isEmpty() ? 0.0 : 100.0 * faultOk / faulted.size(), faulted.size(), baseOk / baseMinutes,
        baseline.isEmpty() ? 0.0 : 100.0 * baseOk / baseline.size(), baseline.size());

    // resources
    long heapMax = 0;
    for (VendorProcess v : incarnations) {
      for (VendorProcess.Stats s : v.stats()) {
        heapMax = Math.max(heapMax, s.heapMb());
      }
    }
    String flat = flatness(incarnations.get(incarnations.size() - 1).stats(), violations);
    out.println("soak: resources of the last vendor process: " + flat);

    // operations
    out.printf(Locale.ROOT, "soak: %d transient errors (KeyServiceUnavailableException, counted, not revocations); access back"
        + " after a restore within %d ms at most; %d mismatches, %d other errors %s%n", j.transientErrors(), j.restoreMaxMs(),
        j.mismatches(), j.errors(), j.errorKinds());
    for (String ex : j.examples()) {
      out.println("soak:   " + ex);
    }
    if (j.leaked() > 0) {
      violations.add(j.leaked() + " operations returned plaintext after the revocation bound");
    }
    if (j.falseRevocations() > 0) {
      violations.add(j.falseRevocations() + " false revocations");
    }
    if (j.mismatches() > 0) {
      violations.add(j.mismatches() + " plaintexts differ from what was encrypted");
    }
    if (j.errors() > 0) {
      violations.add(j.errors() + " operations failed with an unexpected error " + j.errorKinds());
    }
    if (lost > 0) {
      violations.add(lost + " audit events lost");
    }
    if (closed == null) {
      violations.add("the vendor did not close cleanly");
    }
    if (killedIncarnation < 0) {
      violations.add("the vendor process was not killed (run too short?)");
    }

    String figures = String.format(Locale.ROOT, "minutes=%s tenants=%d ops=%d faults=%d customer_actions=%d"
        + " leaked_after_revoke=%d false_revocations=%d lost_events=%d duplicate_events=%d healthy_p99_ratio=%.2f"
        + " revocation_max_ms=%d heap_max_mb=%d", options.minutesText(), bundles.size(), ops.size(), faults.get(),
        actionCount.get(), j.leaked(), j.falseRevocations(), lost, duplicates, ratio, j.revocationMaxMs(), heapMax);
    if (violations.isEmpty()) {
      out.println("soak: ok " + figures);
      return 0;
    }
    out.println("soak: failed (" + String.join("; ", violations) + ") " + figures);
    return 1;
  }

  /** A process's first seconds (clients, threads and caches made for every tenant) are not judged for growth. */
  static final long RESOURCE_WARMUP_MS = 60_000;
  /** Growth is judged only over at least this much of one process's life after its warm-up. */
  static final long RESOURCE_MIN_JUDGED_MS = 5 * 60_000;

  /**
   * Heap after GC, threads and open files of one vendor process after its warm-up: the largest
   * value of the last third of the samples against the largest of the first third.
   */
  static String flatness(List<VendorProcess.Stats> stats, List<String> violations) {
    if (stats.isEmpty()) {
      return "no samples";
    }
    long from = stats.get(0).atMs() + RESOURCE_WARMUP_MS;
    List<VendorProcess.Stats> warm = stats.stream().filter(x -> x.atMs() >= from).toList();
    List<VendorProcess.Stats> gc = warm.stream().filter(VendorProcess.Stats::afterGc).toList();
    long judgedMs = warm.isEmpty() ? 0 : warm.get(warm.size() - 1).atMs() - warm.get(0).atMs();
    if (judgedMs < RESOURCE_MIN_JUDGED_MS || warm.size() < 9 || gc.size() < 3) {
      return String.format(Locale.ROOT, "%d s of samples after a %d s warm-up: too short to judge growth (%d s needed)",
          judgedMs / 1000, RESOURCE_WARMUP_MS / 1000, RESOURCE_MIN_JUDGED_MS / 1000);
    }
    int n = warm.size() / 3;
    int g = gc.size() / 3;
    long heap1 = max(gc.subList(0, g), VendorProcess.Stats::heapMb);
    long heap2 = max(gc.subList(gc.size() - g, gc.size()), VendorProcess.Stats::heapMb);
    long thr1 = max(warm.subList(0, n), VendorProcess.Stats::threads);
    long thr2 = max(warm.subList(warm.size() - n, warm.size()), VendorProcess.Stats::threads);
    long fd1 = max(warm.subList(0, n), VendorProcess.Stats::fds);
    long fd2 = max(warm.subList(warm.size() - n, warm.size()), VendorProcess.Stats::fds);
    String s = String.format(Locale.ROOT, "heap after GC %d -> %d MB, threads %d -> %d, open files %d -> %d"
        + " (first and last third of %d samples after a %d s warm-up)", heap1, heap2, thr1, thr2, fd1, fd2, warm.size(),
        RESOURCE_WARMUP_MS / 1000);
    if (heap2 > heap1 * 3 / 2 + 32) {
      violations.add("heap grew: " + s);
    }
    if (thr2 > thr1 + 8) {
      violations.add("threads grew: " + s);
    }
    if (fd2 > fd1 + 32) {
      violations.add("open files grew: " + s);
    }
    return s;
  }

  private static long max(List<VendorProcess.Stats> l, ToLongFunction<VendorProcess.Stats> f) {
    return l.stream().mapToLong(f).max().orElse(0);
  }
}
