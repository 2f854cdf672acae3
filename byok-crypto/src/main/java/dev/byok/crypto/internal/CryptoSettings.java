package dev.byok.crypto.internal;

import dev.byok.core.TenantDirectory;
import dev.byok.core.audit.AuditSink;
import dev.byok.core.keys.KeyService;
import dev.byok.crypto.AlgorithmSuite;
import dev.byok.crypto.CachePolicy;
import dev.byok.crypto.CryptoMetrics;
import dev.byok.crypto.CryptoProvider;
import dev.byok.crypto.RevocationPolicy;
import dev.byok.crypto.Scheduler;
import dev.byok.crypto.Ticker;
import java.time.Clock;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Every setting of one {@code TenantCrypto}, defaulted and validated by {@code TenantCrypto.Builder}
 * and handed as one value to the parts that need them (the envelope, the data-key cache, the
 * revocation monitor), so no part copies settings through a long argument list. Immutable.
 *
 * @param keyService the key service (not owned)
 * @param tenants where each tenant's key is found
 * @param cachePolicy the data-key cache limits
 * @param revocationPolicy probing and outage grace
 * @param auditSink where key-use events go; {@code null} when auditing is off (no event is built)
 * @param metrics where measurements go
 * @param ticker the time source of expiry and probing
 * @param clock the clock of audit-event times
 * @param executor runs background re-confirmations and probes
 * @param scheduler schedules probes of revoked keys
 * @param algorithmSuite the suite of new messages
 * @param frameLength the frame length of new messages, in bytes
 * @param allowSignedStreamingDecrypt whether streams may release frames of signed messages before
 *     the signature is verified
 * @param refreshJitterSeed the seed of the refresh-ahead jitter (each cycle's background
 *     re-confirmation starts in [75%, 80%) of {@code revalidateAfter}); empty for no jitter, at
 *     exactly 80% (tests of exact timing)
 * @param cryptoProvider the provider of the primitives, resolved: {@code JDK} or {@code ACCP}
 */
public record CryptoSettings(
    KeyService keyService,
    TenantDirectory tenants,
    CachePolicy cachePolicy,
    RevocationPolicy revocationPolicy,
    @Nullable AuditSink auditSink,
    CryptoMetrics metrics,
    Ticker ticker,
    Clock clock,
    Executor executor,
    Scheduler scheduler,
    AlgorithmSuite algorithmSuite,
    int frameLength,
    boolean allowSignedStreamingDecrypt,
    OptionalLong refreshJitterSeed,
    CryptoProvider cryptoProvider) {

  /** The largest frame length, 4 MiB. */
  public static final int MAX_FRAME_LENGTH = 4 * 1024 * 1024;

  /**
   * Checks that every setting but the audit sink is present, the frame length is in range and the
   * provider resolved.
   */
  public CryptoSettings {
    Objects.requireNonNull(keyService, "keyService");
    Objects.requireNonNull(tenants, "tenants");
    Objects.requireNonNull(cachePolicy, "cachePolicy");
    Objects.requireNonNull(revocationPolicy, "revocationPolicy");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(ticker, "ticker");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(algorithmSuite, "algorithmSuite");
    Objects.requireNonNull(refreshJitterSeed, "refreshJitterSeed");
    Objects.requireNonNull(cryptoProvider, "cryptoProvider");
    if (cryptoProvider == CryptoProvider.AUTO) {
      throw new IllegalArgumentException("cryptoProvider: must be resolved (JDK or ACCP), got AUTO");
    }
    if (frameLength < 1 || frameLength > MAX_FRAME_LENGTH) {
      throw new IllegalArgumentException("frameLength: must be 1 to 4,194,304 bytes, got " + frameLength);
    }
  }
}
