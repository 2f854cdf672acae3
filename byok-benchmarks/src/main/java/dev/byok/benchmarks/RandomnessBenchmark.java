package dev.byok.benchmarks;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
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

/**
 * The message ID's randomness, the one place issue 14 left to measurement: byok draws its 32-byte
 * message IDs from a per-thread pool refilled 256 bytes at a time from a per-thread
 * {@link SecureRandom}. This measures that refill per message ID (256 bytes serve 8 IDs) and a
 * 32-byte draw without the pool, with the JDK's {@code DRBG} ({@code provider=jdk}) and ACCP's
 * {@code DEFAULT} (AWS-LC's CTR-DRBG, {@code provider=accp}). Scores are per message ID.
 *
 * <pre>{@code
 * java -jar byok-benchmarks/target/benchmarks.jar 'RandomnessBenchmark' -p provider=jdk,accp
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RandomnessBenchmark {
  private static final int ID = 32;
  private static final int POOL = 256;

  @Param({"jdk", "accp"})
  public String provider;

  private SecureRandom random;
  private final byte[] pool = new byte[POOL];
  private final byte[] id = new byte[ID];

  @Setup(Level.Trial)
  public void setUp() throws NoSuchAlgorithmException {
    CryptoChoice choice = new CryptoChoice(provider, "0478");
    random = choice.accp() ? SecureRandom.getInstance("DEFAULT", choice.jcaProvider()) : SecureRandom.getInstance("DRBG");
    random.nextBytes(pool); // instantiate (seed) outside the measurement
  }

  /** One 256-byte refill, as byok's pool does it, counted as 8 message IDs. */
  @Benchmark
  @OperationsPerInvocation(POOL / ID)
  public byte[] pooledPerId() {
    random.nextBytes(pool);
    return pool;
  }

  /** One 32-byte draw per message ID, without a pool. */
  @Benchmark
  public byte[] directPerId() {
    random.nextBytes(id);
    return id;
  }
}
