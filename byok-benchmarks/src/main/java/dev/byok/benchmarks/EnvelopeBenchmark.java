package dev.byok.benchmarks;

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
 * The main matrix: encrypt and decrypt throughput of every competitor at every size, with warm
 * data-key caches over the shared {@link FakeKms} (no added latency). Setup encrypts and decrypts
 * once, so the caches hold the data key before the first measured call; {@code decrypt} decrypts
 * the message made in setup.
 *
 * <p>Run (one thread, with allocation per operation):
 * <pre>{@code
 * java -jar byok-benchmarks/target/benchmarks.jar 'EnvelopeBenchmark' -p impl=byok,esdk,jca \
 *     -p provider=jdk,accp -p suite=0478 -f 1 -wi 2 -w 1s -i 3 -r 1s -prof gc
 * java -jar byok-benchmarks/target/benchmarks.jar 'EnvelopeBenchmark' -p impl=byok,esdk -p provider=jdk,accp \
 *     -p suite=0578 -p size=1024
 * java -jar byok-benchmarks/target/benchmarks.jar 'EnvelopeBenchmark' -t 2 -p size=1024,1048576
 * }</pre>
 * {@code scripts/bench} runs both and turns the results into {@code docs/benchmarks.md}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class EnvelopeBenchmark extends RoundTripBenchmark {

  @Param({"byok", "esdk", "tink", "jca"})
  public String impl;

  @Param({"1024", "65536", "1048576", "16777216"})
  public int size;

  /** {@code jdk} or {@code accp}; see {@link CryptoChoice} for how each competitor gets it. */
  @Param({"jdk", "accp"})
  public String provider;

  /** {@code 0478} or {@code 0578} (byok and esdk; tink and jca ignore it). */
  @Param({"0478", "0578"})
  public String suite;

  @Setup(Level.Trial)
  public void setUp() {
    start(impl, Competitor.of(impl).create(FakeKms.create(), CacheMode.WARM, new CryptoChoice(provider, suite)), size);
  }
}
