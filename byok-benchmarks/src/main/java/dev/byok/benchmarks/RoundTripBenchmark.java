package dev.byok.benchmarks;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The {@code encrypt} and {@code decrypt} benchmarks of {@link EnvelopeBenchmark} and
 * {@link CacheBenchmark}: a subclass's trial setup makes the competitor and hands it to
 * {@link #start}, which encrypts and decrypts once, so the caches hold the data key before the first
 * measured call; {@code decrypt} decrypts the message made there. JMH runs the inherited methods
 * under each subclass's name, parameters and fork settings.
 *
 * <p>Thread safety: JMH shares one instance between the benchmark threads after setup; the
 * competitors are thread-safe.
 */
@State(Scope.Benchmark)
public abstract class RoundTripBenchmark {

  private Envelope envelope;
  private byte[] plaintext;
  private byte[] message;

  /**
   * Uses {@code envelope} (competitor {@code impl}) for this trial with a {@code size}-byte
   * plaintext; throws if the warm-up round trip returns different plaintext.
   */
  final void start(String impl, Envelope envelope, int size) {
    this.envelope = envelope;
    plaintext = new byte[size];
    new SplittableRandom(size).nextBytes(plaintext);
    message = envelope.encrypt(plaintext);
    if (!Arrays.equals(plaintext, envelope.decrypt(message))) {
      throw new IllegalStateException(impl + ": round trip in setup returned different plaintext");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    envelope.close();
  }

  @Benchmark
  public byte[] encrypt() {
    return envelope.encrypt(plaintext);
  }

  @Benchmark
  public byte[] decrypt() {
    return envelope.decrypt(message);
  }
}
