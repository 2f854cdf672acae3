package dev.byok.crypto.internal.cache;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where in each revalidation cycle a scope's background re-confirmation starts: at a point drawn
 * uniformly from [75%, 80%) of {@code revalidateAfter}, anew for each cycle, so a fleet started
 * together does not re-confirm in lockstep; or, without a seed, at exactly 80% (tests of exact
 * timing). The draws are a SplitMix64 sequence from the seed, so a test that seeds it gets the same
 * points in the same order. Not a secret and not security-relevant: any point below 100% keeps the
 * revalidation invariant, which is enforced by the hard expiry. Thread-safe.
 */
final class RefreshJitter {
  /** The earliest refresh-ahead point, in per mille of revalidateAfter. */
  static final int LOW_PER_MILLE = 750;
  /** The refresh-ahead point without jitter, and the (exclusive) upper end with it. */
  static final int HIGH_PER_MILLE = 800;
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private final long revalidateNanos;
  private final boolean enabled;
  private final AtomicLong state;

  RefreshJitter(long revalidateNanos, OptionalLong seed) {
    this.revalidateNanos = revalidateNanos;
    this.enabled = seed.isPresent();
    this.state = new AtomicLong(seed.orElse(0));
  }

  /** The refresh-ahead offset of one cycle, from the confirmation, in nanoseconds. */
  long refreshAheadNanos() {
    long high = revalidateNanos / 1000 * HIGH_PER_MILLE;
    if (!enabled) {
      return high;
    }
    long low = revalidateNanos / 1000 * LOW_PER_MILLE;
    long r = mix64(state.addAndGet(GOLDEN_GAMMA)) >>> 11; // 53 random bits
    return low + (long) ((high - low) * (r * 0x1.0p-53));
  }

  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
