package dev.byok.crypto;

import java.util.function.ToDoubleFunction;

/**
 * What byok-crypto measures, independent of any metrics library. {@link #noop()} when no registry
 * is given; {@code MicrometerMetrics} (loaded only when a Micrometer registry is given, so the
 * library runs without Micrometer on the class path) otherwise. Implementations are thread-safe
 * and cheap on the hot path (pre-registered counters).
 */
public interface CryptoMetrics {
  /** Which data-key cache. */
  enum Side { ENCRYPT, DECRYPT }

  void cacheHit(Side side);

  void cacheMiss(Side side);

  /** A call to the key service: operation (GenerateDataKey, Decrypt, DescribeKey) and outcome. */
  void keyServiceCall(String operation, String outcome);

  void revoked(String keyArn, boolean scoped);

  void restored(String keyArn);

  /** Registers a gauge of the access state of {@code keyArn} (0 active, 1 scope revoked, 2 revoked). */
  <T> void keyState(String keyArn, T stateHolder, ToDoubleFunction<T> state);

  /** A customer key saw {@code distinctContexts} contexts in a window: probably a per-record context. */
  void contextSpread(String keyArn, int distinctContexts);

  /** CryptoMetrics that record nothing. */
  static CryptoMetrics noop() {
    return NoopMetrics.INSTANCE;
  }
}
