package dev.byok.benchmarks;

import dev.byok.core.AccessReason;
import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyArn;
import dev.byok.core.ReasonCode;
import dev.byok.core.audit.AuditSink;
import dev.byok.crypto.CachePolicy;
import dev.byok.crypto.TenantCrypto;
import dev.byok.core.TenantDirectory;
import dev.byok.aws.kms.AwsKmsKeyService;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * byok through its public entry point, {@link TenantCrypto}, with byok's real
 * {@link AwsKmsKeyService} over the shared {@link FakeKms} (see {@link FakeKmsKeyService}), one
 * tenant, the trial's suite and provider ({@link CryptoChoice}) and the default frame length (64 KiB).
 *
 * <ul>
 *   <li>{@link CacheMode#WARM}: {@link CachePolicy#defaults()}, what a user gets.
 *   <li>{@link CacheMode#OFF}: byok has no switch to turn its cache off (and a {@code maxAge} of
 *       1 ns makes every call fail: "no usable entry after 64 attempts"), so the cache's ticker
 *       jumps past {@code maxAge} before every operation: each encrypt and each decrypt finds its
 *       entry expired and loads from KMS, paying byok's real miss path.
 * </ul>
 *
 * <p>Audit: {@link AuditSink#noop()}, so every operation builds its audit event and hands it to a
 * sink, but no delivery thread competes for the CPU; the enqueue cost of the real sinks is
 * measured on its own by {@code AuditSinkBenchmark}. Thread-safe.
 */
final class ByokEnvelope implements Envelope {
  static final String TENANT = "acme";
  private static final AccessReason REASON = AccessReason.of(ReasonCode.USER_REQUEST);
  private static final EncryptionContext SCOPE_CONTEXT = EncryptionContext.of(SCOPE);

  private final AwsKmsKeyService keys;
  private final TenantCrypto crypto;
  /** Added to the system ticker; with {@link CacheMode#OFF}, grows by more than maxAge per operation. */
  private final AtomicLong tickerOffsetNanos = new AtomicLong();
  private final long stepNanos;

  ByokEnvelope(FakeKms kms, CacheMode cache, CryptoChoice choice) {
    keys = FakeKmsKeyService.over(kms);
    CachePolicy policy = CachePolicy.defaults();
    stepNanos = cache == CacheMode.OFF ? 2 * policy.maxAge().toNanos() : 0;
    TenantCrypto.Builder b = TenantCrypto.builder()
        .keyService(keys)
        .tenants(TenantDirectory.builder().put(TENANT, KeyArn.parse(kms.keyArn())).build())
        .cachePolicy(policy)
        .auditSink(AuditSink.noop())
        .cryptoProvider(choice.byokProvider())
        .algorithmSuite(choice.byokSuite());
    if (cache == CacheMode.OFF) {
      b.ticker(() -> System.nanoTime() + tickerOffsetNanos.get());
    }
    crypto = b.build();
  }

  @Override
  public byte[] encrypt(byte[] plaintext, Map<String, String> context) {
    expireCache();
    return crypto.encrypt(TENANT, context(context), REASON, plaintext);
  }

  @Override
  public byte[] decrypt(byte[] message, Map<String, String> context) {
    expireCache();
    return crypto.decrypt(TENANT, context(context), REASON, message);
  }

  private void expireCache() {
    if (stepNanos != 0) {
      tickerOffsetNanos.addAndGet(stepNanos);
    }
  }

  private static EncryptionContext context(Map<String, String> context) {
    return context == SCOPE ? SCOPE_CONTEXT : EncryptionContext.of(context);
  }

  @Override
  public void close() {
    crypto.close();
    keys.close();
  }
}
