package dev.byok.crypto;

import dev.byok.core.KeyArn;
import java.util.function.ToDoubleFunction;

/**
 * What byok-crypto measures, independent of any metrics library: give an implementation to
 * {@link TenantCrypto.Builder#metrics}. {@link #noop()} records nothing (the default);
 * {@code MicrometerCryptoMetrics} (module byok-micrometer) publishes to Micrometer. Implementations
 * are thread-safe and cheap on the hot path ({@link #cacheHit} and {@link #cacheMiss} are called on
 * every encrypt and decrypt; the others on key-service calls and changes of access).
 */
public interface CryptoMetrics {
  /** Which data-key cache. */
  enum Side {
    /** The cache of encryption materials (per key, suite and context). */
    ENCRYPT,
    /** The cache of unwrapped data keys (per key, encrypted data key and context). */
    DECRYPT
  }

  /** A data key was served from the cache of {@code side}. */
  void cacheHit(Side side);

  /** The cache of {@code side} had no usable data key: one was loaded from the key service. */
  void cacheMiss(Side side);

  /**
   * A call to the key service.
   *
   * @param operation {@code GenerateDataKey}, {@code Decrypt} or {@code DescribeKey}
   * @param outcome {@code success}, {@code definitive}, {@code transient}, {@code bad_input} or
   *     {@code error}
   */
  void keyServiceCall(String operation, String outcome);

  /** Access to {@code keyArn} was revoked: the whole key, or ({@code scoped}) one context scope. */
  void revoked(KeyArn keyArn, boolean scoped);

  /** Access to {@code keyArn} (or one of its scopes) was restored. */
  void restored(KeyArn keyArn);

  /**
   * Registers, once per key, a gauge of the access state of {@code keyArn}: {@code state} applied to
   * {@code stateHolder} gives 0 (active), 1 (a scope revoked) or 2 (revoked).
   */
  <T> void keyState(KeyArn keyArn, T stateHolder, ToDoubleFunction<T> state);

  /** A customer key saw {@code distinctContexts} contexts in a window: probably a per-record context. */
  void contextSpread(KeyArn keyArn, int distinctContexts);

  /**
   * The provider a {@link TenantCrypto} uses, {@code JDK} or {@code ACCP}; reported once, when it is
   * built. Does nothing by default.
   */
  default void cryptoProvider(CryptoProvider resolved) {}

  /** CryptoMetrics that record nothing. */
  static CryptoMetrics noop() {
    return NoopMetrics.INSTANCE;
  }
}
