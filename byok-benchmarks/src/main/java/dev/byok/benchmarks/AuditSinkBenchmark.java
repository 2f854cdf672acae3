package dev.byok.benchmarks;

import dev.byok.core.AccessReason;
import dev.byok.core.EncryptionContext;
import dev.byok.core.HandoffBundle;
import dev.byok.core.KeyArn;
import dev.byok.core.ReasonCode;
import dev.byok.core.audit.AuditSink;
import dev.byok.core.audit.KeyUseEvent;
import dev.byok.aws.logs.CloudWatchLogsAuditSink;
import dev.byok.crypto.audit.JsonLinesFileAuditSink;
import dev.byok.core.TenantDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The cost an encrypt or decrypt pays for its audit event: {@code AuditSink.emit} of the
 * CloudWatch Logs sink (delivering through its whole AWS SDK path to an in-process
 * {@link FakeAwsHttpClient}) and of the JSON-lines file sink. Each invocation emits a burst of
 * {@value #BURST} events, below both sinks' queue capacity, after the sink has delivered
 * everything before it: so this is the enqueue cost, not the delivery rate (delivery runs on the
 * sinks' own threads). {@code emit} sends pre-built events; {@code buildAndEmit} also builds each
 * event, as the library does per operation.
 *
 * <p>Run: {@code java -jar byok-benchmarks/target/benchmarks.jar 'AuditSinkBenchmark' -f 1 -wi 2 -w 1s -i 3 -r 1s -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class AuditSinkBenchmark {
  static final int BURST = 10_000;

  @Param({"cloudwatch", "jsonl"})
  public String sink;

  private static final EncryptionContext CONTEXT = EncryptionContext.of(Envelope.SCOPE);
  private static final AccessReason REASON = AccessReason.of(ReasonCode.USER_REQUEST, "ticket 4711", "svc-search");

  private AuditSink auditSink;
  FakeAwsHttpClient http; // package-private for the wiring test
  private Path dir;
  private KeyUseEvent[] events;
  private String keyArn;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    if (!sink.equals("cloudwatch") && !sink.equals("jsonl")) {
      throw new IllegalArgumentException("unknown sink '" + sink + "': expected cloudwatch or jsonl");
    }
    keyArn = FakeKms.create().keyArn();
    dir = Files.createTempDirectory("byok-audit-bench");
    if (sink.equals("cloudwatch")) {
      http = new FakeAwsHttpClient();
      HandoffBundle bundle = HandoffBundle.builder()
          .keyArn(KeyArn.parse(keyArn))
          .region(FakeKms.REGION)
          .roleArn("arn:aws:iam::" + FakeKms.ACCOUNT + ":role/app-prod-kms-logging")
          .logGroupName("ACME_APP_PROD_LOG_GROUP")
          .externalId("bench-external-id")
          .vendor("bench")
          .build();
      auditSink = CloudWatchLogsAuditSink.builder()
          .tenants(TenantDirectory.of(Map.of("acme", bundle)))
          .instanceId("bench")
          .maxQueuedEvents(4 * BURST)
          // One tenant: its share is the whole queue, so a burst is measured as enqueue cost (the default share is an eighth).
          .maxQueuedEventsPerTenant(4 * BURST)
          .baseCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAFAKEFAKEFAKEFAKE", "fake")))
          .httpClient(http)
          .build();
    } else {
      auditSink = JsonLinesFileAuditSink.open(dir.resolve("audit.jsonl"), 4 * BURST, /* syncOnWrite= */ false);
    }
    events = new KeyUseEvent[BURST];
    for (int i = 0; i < BURST; i++) {
      events[i] = event();
    }
    // Warm the delivery path (role assumption, log stream creation) before measuring.
    auditSink.emit(event());
    if (!auditSink.flush(Duration.ofSeconds(30))) {
      throw new IllegalStateException(sink + ": the first event was not delivered within 30 s");
    }
  }

  /** Everything before this burst is delivered, so the queue has room for all of it. */
  @Setup(Level.Invocation)
  public void drain() {
    if (!auditSink.flush(Duration.ofSeconds(30))) {
      throw new IllegalStateException(sink + ": events not delivered within 30 s");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    long undelivered = auditSink.close(Duration.ofSeconds(30));
    if (undelivered != 0) {
      throw new IllegalStateException(sink + ": " + undelivered + " events not delivered");
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  @OperationsPerInvocation(BURST)
  public void emit() {
    for (KeyUseEvent e : events) {
      auditSink.emit(e);
    }
  }

  @Benchmark
  @OperationsPerInvocation(BURST)
  public void buildAndEmit() {
    for (int i = 0; i < BURST; i++) {
      auditSink.emit(event());
    }
  }

  private KeyUseEvent event() {
    return KeyUseEvent.builder()
        .eventId(UUID.randomUUID().toString())
        .time(Instant.now())
        .tenant("acme")
        .operation(KeyUseEvent.Operation.ENCRYPT)
        .keyArn(keyArn)
        .reason(REASON)
        .encryptionContext(CONTEXT)
        .messageId("q0b8ZC1tZXNzYWdlLWlkLWZvci1iZW5jaG1hcmtz")
        .dataKeySource(KeyUseEvent.DataKeySource.CACHE)
        .outcome(KeyUseEvent.Outcome.SUCCESS)
        .build();
  }
}
