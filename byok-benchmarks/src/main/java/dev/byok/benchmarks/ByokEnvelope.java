package dev.byok.benchmarks;

import java.util.Map;

/**
 * byok through its public entry point, over the shared {@link FakeKms}.
 *
 * <p>NOT YET WIRED: the envelope entry point of byok-crypto has not landed. Until it does, every
 * call fails, so a benchmark run reports the byok rows as errors instead of showing invented
 * numbers.
 */
final class ByokEnvelope implements Envelope {

  ByokEnvelope(FakeKms kms, CacheMode cache) {
    throw new UnsupportedOperationException("byok: the envelope entry point of byok-crypto is not wired into the benchmarks yet");
  }

  @Override
  public byte[] encrypt(byte[] plaintext, Map<String, String> context) {
    throw new UnsupportedOperationException("byok: not wired");
  }

  @Override
  public byte[] decrypt(byte[] message, Map<String, String> context) {
    throw new UnsupportedOperationException("byok: not wired");
  }
}
