package dev.byok.benchmarks;

import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The anti-pattern the library warns about (docs/architecture.md): the cache is on, but every
 * message gets a fresh encryption context (a per-record ID in the context), so every encrypt
 * misses and calls KMS and the cache churns. Compare with {@link CacheBenchmark}'s warm and off rows.
 *
 * <p>Run: {@code java -jar byok-benchmarks/target/benchmarks.jar 'MissHeavyBenchmark' -f 1 -wi 2 -w 1s -i 3 -r 1s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class MissHeavyBenchmark {

  @Param({"byok", "esdk", "tink"})
  public String impl;

  @Param({"0", "5"})
  public int kmsLatencyMs;

  @Param({"1024"})
  public int size;

  private final AtomicLong records = new AtomicLong();
  private Envelope envelope;
  private byte[] plaintext;

  @Setup(Level.Trial)
  public void setUp() {
    FakeKms kms = FakeKms.create(Duration.ofMillis(kmsLatencyMs));
    envelope = Competitor.of(impl).create(kms, CacheMode.WARM);
    plaintext = new byte[size];
    new SplittableRandom(size).nextBytes(plaintext);
    envelope.encrypt(plaintext);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    envelope.close();
  }

  @Benchmark
  public byte[] encryptFreshContext() {
    Map<String, String> context = Map.of("tenant", "acme", "data-class", "messages",
        "record", Long.toString(records.incrementAndGet()));
    return envelope.encrypt(plaintext, context);
  }
}
