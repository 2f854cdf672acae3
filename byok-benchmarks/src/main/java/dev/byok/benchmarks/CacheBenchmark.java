package dev.byok.benchmarks;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the data-key cache saves: 1 KiB messages with the cache warm or off, over a fake KMS that
 * answers at once or after 5 ms (a same-region round trip). With the cache off, every encrypt
 * costs a GenerateDataKey (Tink: an Encrypt) and every decrypt a Decrypt. Tink has no cache, so
 * its two cache rows are the same code: they are there as the reference.
 *
 * <p>Run: {@code java -jar byok-benchmarks/target/benchmarks.jar 'CacheBenchmark' -f 1 -wi 2 -w 1s -i 3 -r 1s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CacheBenchmark extends RoundTripBenchmark {

  @Param({"byok", "esdk", "tink"})
  public String impl;

  @Param({"warm", "off"})
  public String cache;

  @Param({"0", "5"})
  public int kmsLatencyMs;

  @Param({"1024"})
  public int size;

  @Setup(Level.Trial)
  public void setUp() {
    FakeKms kms = FakeKms.create(Duration.ofMillis(kmsLatencyMs));
    start(impl, Competitor.of(impl).create(kms, CacheMode.valueOf(cache.toUpperCase(Locale.ROOT))), size);
  }
}
