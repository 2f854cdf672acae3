package dev.byok.soak;

import dev.byok.aws.kms.AwsKmsKeyService;
import dev.byok.aws.logs.AuditSinkStats;
import dev.byok.aws.logs.CloudWatchLogsAuditSink;
import dev.byok.aws.logs.OverflowPolicy;
import dev.byok.core.HandoffBundle;
import dev.byok.core.TenantDirectory;
import dev.byok.core.audit.AuditSink;
import dev.byok.core.audit.KeyUseEvent;
import dev.byok.crypto.CachePolicy;
import dev.byok.crypto.RevocationPolicy;
import dev.byok.crypto.TenantCrypto;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.BufferedOutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The vendor process of the soak: a separate JVM, so the harness can kill it with SIGKILL and
 * start it again. It serves the emulator tenants with {@link TenantCrypto} on
 * {@link AwsKmsKeyService} (through the KMS proxy) and {@link CloudWatchLogsAuditSink} (through the
 * moto proxy, spilling to disk when its queue is full), runs the workers, and reports on stdout,
 * one line each: {@code op ...} per operation, {@code ev ...} per audit event accepted by the sink,
 * {@code kms ...} per KMS call, {@code stats ...} every second. It takes commands on stdin:
 * {@code throttle <ms>}, {@code logdeny <tenant> <0|1>}, {@code stop}. Logs go to stderr.
 */
public final class VendorMain {
  private VendorMain() {}

  public static void main(String[] args) throws Exception {
    Properties p = new Properties();
    try (var r = Files.newBufferedReader(Path.of(args[0]))) {
      p.load(r);
    }
    PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false,
        StandardCharsets.UTF_8);
    Protocol proto = new Protocol(out);
    int threads = Integer.parseInt(p.getProperty("threads"));
    long seed = Long.parseLong(p.getProperty("seed"));
    double rate = Double.parseDouble(p.getProperty("ratePerWorker"));
    Path bundles = Path.of(p.getProperty("bundles"));
    TenantDirectory directory = TenantDirectory.fromBundleDirectory(bundles);
    Map<String, HandoffBundle> bundleMap = new TreeMap<>();
    try (Stream<Path> files = Files.list(bundles)) {
      for (Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".json"))::iterator) {
        String n = f.getFileName().toString();
        bundleMap.put(n.substring(0, n.length() - 5), HandoffBundle.read(f));
      }
    }
    List<String> tenants = new ArrayList<>(bundleMap.keySet());
    StaticCredentialsProvider creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    URI kmsEndpoint = URI.create(p.getProperty("kmsEndpoint"));
    URI motoEndpoint = URI.create(p.getProperty("motoEndpoint"));

    Faults.KmsThrottle throttle = new Faults.KmsThrottle();
    Faults.LogDeny logDeny = new Faults.LogDeny(bundleMap);
    AwsKmsKeyService kms = AwsKmsKeyService.builder().endpointOverride(kmsEndpoint).credentialsProvider(creds)
        .clientBuilder(() -> KmsClient.builder().overrideConfiguration(c -> c.addExecutionInterceptor(throttle)))
        .apiCallAttemptTimeout(Duration.ofSeconds(2)).apiCallTimeout(Duration.ofSeconds(5)).build();
    CloudWatchLogsAuditSink sink = CloudWatchLogsAuditSink.builder().tenants(directory)
        .instanceId(p.getProperty("instanceId"))
        .overflowPolicy(OverflowPolicy.SPILL).spillDirectory(Path.of(p.getProperty("spill")))
        .maxQueuedEvents(Integer.parseInt(p.getProperty("maxQueuedEvents")))
        .flushInterval(Duration.ofMillis(500)).retryBackoff(Duration.ofMillis(200), Duration.ofSeconds(2))
        .apiCallTimeout(Duration.ofSeconds(5)).baseCredentials(creds)
        .stsClientCustomizer(s -> s.endpointOverride(motoEndpoint).overrideConfiguration(c -> c.addExecutionInterceptor(logDeny)))
        .logsClientCustomizer(l -> l.endpointOverride(motoEndpoint).overrideConfiguration(c -> c.addExecutionInterceptor(logDeny)))
        .build();
    AuditSink tap = new AuditSink() {
      @Override
      public void emit(KeyUseEvent e) {
        sink.emit(e);
        proto.line("ev " + e.eventId() + " " + e.tenant() + " " + e.operation() + " " + e.outcome());
      }

      @Override
      public boolean flush(Duration timeout) {
        return sink.flush(timeout);
      }

      @Override
      public long close(Duration timeout) {
        return sink.close(timeout);
      }
    };
    // Re-confirmations and probes run on the library's default executor (byok's own threads since the
    // 30-minute run in docs/reliability.md found the common pool starving probes), so the soak checks
    // what a vendor gets out of the box.
    TenantCrypto crypto = TenantCrypto.builder().keyService(new TimedKeyService(kms, proto::line)).tenants(directory)
        .auditSink(tap)
        .cachePolicy(CachePolicy.builder().revalidateAfter(Duration.ofMillis(Long.parseLong(p.getProperty("revalidateAfterMs")))).build())
        .revocationPolicy(RevocationPolicy.builder().checkInterval(Duration.ofMillis(Long.parseLong(p.getProperty("checkIntervalMs")))).build())
        .build();

    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      long workerSeed = seed * 1_000_003L + i;
      Workload w = new Workload(crypto, tenants, workerSeed, "vendor-worker-" + i, op -> proto.line(op.toLine()));
      Thread t = new Thread(() -> Pacer.run(running, rate, w::runOne), "soak-worker-" + i);
      t.start();
      workers.add(t);
    }
    Thread stats = new Thread(() -> {
      long n = 0;
      while (running.get()) {
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          return;
        }
        if (++n % 10 == 0) {
          System.gc();
        }
        AuditSinkStats s = sink.stats();
        Runtime rt = Runtime.getRuntime();
        proto.line("stats " + (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024) + " " + Thread.activeCount()
            + " " + openFds() + " " + s.pending() + " " + s.spilled() + " " + s.replayed() + " " + s.delivered()
            + " " + s.possibleDuplicates() + " " + (n % 10 == 0 ? 1 : 0) + " " + throttle.throttled() + " " + logDeny.denied());
        proto.flush();
      }
    }, "soak-stats");
    stats.setDaemon(true);
    stats.start();
    proto.line("ready " + ProcessHandle.current().pid() + " " + ManagementFactory.getRuntimeMXBean().getStartTime());
    proto.flush();

    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] f = line.trim().split(" ");
      switch (f[0]) {
        case "throttle" -> throttle.forMillis(Long.parseLong(f[1]));
        case "logdeny" -> logDeny.set(f[1], "1".equals(f[2]));
        case "stop" -> {
          running.set(false);
          for (Thread t : workers) {
            t.join();
          }
          crypto.close();
          System.err.print("soak vendor: transient errors by cause:\n" + Workload.unavailableCauses());
          long undelivered = tap.close(Duration.ofSeconds(Long.parseLong(f.length > 1 ? f[1] : "60")));
          AuditSinkStats s = sink.stats();
          kms.close();
          proto.line("closed " + undelivered + " " + s.delivered() + " " + s.spilled() + " " + s.replayed() + " "
              + s.possibleDuplicates());
          proto.flush();
          System.exit(0);
        }
        default -> System.err.println("vendor: unknown command '" + line + "'");
      }
    }
    // stdin closed: the harness is gone
    System.exit(3);
  }

  static long openFds() {
    try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
      return s.count();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
