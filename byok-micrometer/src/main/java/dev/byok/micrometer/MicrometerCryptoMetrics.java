package dev.byok.micrometer;

import dev.byok.core.KeyArn;
import dev.byok.crypto.CryptoMetrics;
import dev.byok.crypto.CryptoProvider;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

/**
 * {@link CryptoMetrics} on a Micrometer {@link MeterRegistry}: pass
 * {@code MicrometerCryptoMetrics.create(registry)} to {@code TenantCrypto.Builder.metrics}. byok-crypto
 * itself never refers to Micrometer. Thread-safe.
 *
 * <p>Meters: {@code byok.cache.requests} (tags {@code side}, {@code result} hit|miss),
 * {@code byok.kms.calls} ({@code operation}, {@code outcome}), {@code byok.revocations}
 * ({@code scope} key|context), {@code byok.restorations}, {@code byok.key.state} (gauge per
 * {@code key}: 0 active, 1 a context scope revoked, 2 revoked) and {@code byok.cache.context.spread}
 * (gauge per {@code key}: distinct encryption contexts loaded in the last window).
 */
public final class MicrometerCryptoMetrics implements CryptoMetrics {
  private final MeterRegistry registry;
  private final Counter encryptHits;
  private final Counter encryptMisses;
  private final Counter decryptHits;
  private final Counter decryptMisses;
  private final ConcurrentHashMap<KeyArn, AtomicInteger> spread = new ConcurrentHashMap<>();

  private MicrometerCryptoMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.encryptHits = cacheCounter("encrypt", "hit");
    this.encryptMisses = cacheCounter("encrypt", "miss");
    this.decryptHits = cacheCounter("decrypt", "hit");
    this.decryptMisses = cacheCounter("decrypt", "miss");
  }

  /** CryptoMetrics that register their meters on {@code registry}. */
  public static MicrometerCryptoMetrics create(MeterRegistry registry) {
    return new MicrometerCryptoMetrics(Objects.requireNonNull(registry, "registry"));
  }

  private Counter cacheCounter(String side, String result) {
    return Counter.builder("byok.cache.requests").description("data-key cache look-ups")
        .tag("side", side).tag("result", result).register(registry);
  }

  @Override
  public void cacheHit(Side side) {
    (side == Side.ENCRYPT ? encryptHits : decryptHits).increment();
  }

  @Override
  public void cacheMiss(Side side) {
    (side == Side.ENCRYPT ? encryptMisses : decryptMisses).increment();
  }

  @Override
  public void keyServiceCall(String operation, String outcome) {
    registry.counter("byok.kms.calls", "operation", operation, "outcome", outcome).increment();
  }

  @Override
  public void revoked(KeyArn keyArn, boolean scoped) {
    registry.counter("byok.revocations", "scope", scoped ? "context" : "key").increment();
  }

  @Override
  public void restored(KeyArn keyArn) {
    registry.counter("byok.restorations").increment();
  }

  @Override
  public <T> void keyState(KeyArn keyArn, T stateHolder, ToDoubleFunction<T> state) {
    Gauge.builder("byok.key.state", stateHolder, state)
        .description("access to the customer key: 0 active, 1 a context scope revoked, 2 revoked")
        .tag("key", keyArn.toString()).register(registry);
  }

  @Override
  public void cryptoProvider(CryptoProvider resolved) {
    Gauge.builder("byok.crypto.provider", () -> 1).tag("provider", resolved.name())
        .description("1 for the crypto provider in use (JDK or ACCP)").register(registry);
  }

  @Override
  public void contextSpread(KeyArn keyArn, int distinctContexts) {
    spread.computeIfAbsent(keyArn, k -> {
      AtomicInteger v = new AtomicInteger();
      Gauge.builder("byok.cache.context.spread", v, AtomicInteger::get)
          .description("distinct encryption contexts loaded for the key in the last window").tag("key", keyArn.toString())
          .register(registry);
      return v;
    }).set(distinctContexts);
  }
}
