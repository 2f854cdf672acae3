package dev.byok.benchmarks.report;

import dev.byok.benchmarks.CacheMode;
import dev.byok.benchmarks.Competitor;
import dev.byok.benchmarks.Envelope;
import dev.byok.benchmarks.FakeKms;
import java.util.HashMap;
import java.util.Map;

/** The length of a byok message for a plaintext size (for the allocation budget), 0 if byok cannot run. */
final class ByokMessageLength {
  private static final Map<Integer, Long> CACHE = new HashMap<>();

  private ByokMessageLength() {}

  static synchronized long of(int size) {
    return CACHE.computeIfAbsent(size, s -> {
      try (Envelope byok = Competitor.BYOK.create(FakeKms.create(), CacheMode.WARM)) {
        return (long) byok.encrypt(new byte[s]).length;
      } catch (RuntimeException e) {
        return 0L;
      }
    });
  }
}
