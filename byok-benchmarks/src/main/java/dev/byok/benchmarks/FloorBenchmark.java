package dev.byok.benchmarks;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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

/**
 * The format's floor ({@link Floor}): per message only the work no implementation of the format can
 * skip, with the same provider as byok's trial. byok's 1 KiB time over this is the overhead byok
 * adds (cache, audit event, header building and parsing, checks).
 *
 * <pre>{@code
 * java -jar byok-benchmarks/target/benchmarks.jar 'FloorBenchmark' -p provider=jdk,accp -p size=1024,1048576
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class FloorBenchmark {

  @Param({"jdk", "accp"})
  public String provider;

  @Param({"1024", "1048576"})
  public int size;

  private Floor floor;
  private byte[] plaintext;
  private byte[] message;

  @Setup(Level.Trial)
  public void setUp() {
    CryptoChoice choice = new CryptoChoice(provider, "0478");
    floor = new Floor(choice.jcaProvider(), byokHeaderBodyLength(choice));
    plaintext = new byte[size];
    new SplittableRandom(size).nextBytes(plaintext);
    message = floor.encrypt(plaintext);
    if (!Arrays.equals(plaintext, floor.decrypt(message))) {
      throw new IllegalStateException("floor: round trip in setup returned different plaintext");
    }
  }

  /** The header body length (with the commitment) of byok's messages in {@link EnvelopeBenchmark}. */
  static int byokHeaderBodyLength(CryptoChoice choice) {
    Envelope byok = Competitor.BYOK.create(FakeKms.create(), CacheMode.WARM, choice);
    try {
      // empty plaintext: header body, header tag (16), final frame (4 + 4 + 12 + 4 + 0 + 16)
      return byok.encrypt(new byte[0]).length - 16 - 40;
    } finally {
      byok.close();
    }
  }

  @Benchmark
  public byte[] encrypt() {
    return floor.encrypt(plaintext);
  }

  @Benchmark
  public byte[] decrypt() {
    return floor.decrypt(message);
  }
}
