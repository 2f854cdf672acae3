package dev.byok.crypto;

import dev.byok.core.TenantDirectory;
import dev.byok.core.AccessReason;
import dev.byok.core.EncryptionContext;
import dev.byok.core.audit.AuditSink;
import dev.byok.core.keys.KeyService;
import dev.byok.crypto.internal.BackgroundExecutor;
import dev.byok.crypto.internal.CryptoSettings;
import dev.byok.crypto.internal.format.CryptoProviders;
import dev.byok.crypto.internal.envelope.EnvelopeCrypto;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Envelope encryption of each tenant's data under that tenant's customer key (AWS KMS in the
 * customer's account), in the AWS Encryption SDK message format v2: every message decrypts with
 * any AWS Encryption SDK given access to the key, and the other way round.
 *
 * <pre>{@code
 * TenantCrypto crypto = TenantCrypto.builder()
 *     .keyService(AwsKmsKeyService.builder().build())
 *     .tenants(TenantDirectory.fromBundleDirectory(Path.of("bundles")))
 *     .auditSink(sink)
 *     .build();
 * EncryptionContext scope = EncryptionContext.of(Map.of("tenant", "acme", "data-class", "messages"));
 * byte[] msg = crypto.encrypt("acme", scope, AccessReason.of(ReasonCode.USER_REQUEST), plaintext);
 * byte[] back = crypto.decrypt("acme", scope, AccessReason.of(ReasonCode.SEARCH_INDEXING), msg);
 * }</pre>
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>Confidentiality and integrity of the plaintext and of the encryption context
 *       (AES-256-GCM, HKDF-SHA512, key commitment; with suite 0x0578 also an ECDSA P-384
 *       signature). Decrypt returns plaintext only from a message that authenticated completely;
 *       a stream releases a frame only after its tag verified. Every malformed, tampered or
 *       mismatched message is one {@link dev.byok.core.InvalidCiphertextException}.
 *   <li>A message decrypts only under the tenant's own customer key, and only when its encryption
 *       context contains every pair of the context the caller requires.
 *   <li>The encryption context is sent to KMS with every data-key call, so it appears in the
 *       customer's CloudTrail and key-policy conditions on it hold. Keep it to the scope of the
 *       data (tenant, data class), never a per-record ID: it is also the data-key cache partition.
 *   <li>Revocation is bounded: no cached data key is used more than
 *       {@link CachePolicy#revalidateAfter()} after KMS last confirmed access to its key and
 *       encryption context (plus
 *       {@link RevocationPolicy#outageGrace()}, zero by default, while KMS fails transiently). A
 *       definitive KMS error revokes the key (or the denied context scope) at once: later calls
 *       fail with {@link dev.byok.core.KeyAccessRevokedException} without calling KMS until a
 *       probe finds access restored. Transient errors
 *       ({@link dev.byok.core.KeyServiceUnavailableException}) never revoke.
 *   <li>Every encrypt and decrypt is one audit event with its {@link AccessReason}, whether the data
 *       key came from the cache or from KMS (then with the KMS request ID).
 *   <li>Plaintext data keys are zeroed when dropped from the cache (best effort) and never appear
 *       in logs, exceptions or {@code toString}.
 * </ul>
 *
 * <p>Thread-safe: one instance serves all threads and tenants. Streams are not thread-safe.
 * {@link #close()} zeroes the cached keys and stops probing; it does not close the key service or
 * the audit sink, which the caller owns.
 */
public interface TenantCrypto extends AutoCloseable {

  /**
   * Encrypts {@code plaintext} for {@code tenant} into one message bound to {@code context}.
   *
   * @throws IllegalArgumentException for an unknown tenant or a context with reserved keys
   * @throws dev.byok.core.KeyAccessRevokedException when the customer has revoked access
   * @throws dev.byok.core.KeyServiceUnavailableException when KMS is unavailable (retryable)
   */
  byte[] encrypt(String tenant, EncryptionContext context, AccessReason reason, byte[] plaintext);

  /**
   * Decrypts a message of {@code tenant} whose encryption context contains every pair of
   * {@code requiredContext} ({@link EncryptionContext#empty()} requires nothing).
   *
   * @throws dev.byok.core.InvalidCiphertextException for any malformed, tampered or mismatched
   *     message, including one not made under the tenant's key; nothing is returned
   * @throws dev.byok.core.KeyAccessRevokedException when the customer has revoked access
   * @throws dev.byok.core.KeyServiceUnavailableException when KMS is unavailable (retryable)
   */
  byte[] decrypt(String tenant, EncryptionContext requiredContext, AccessReason reason, byte[] message);

  /**
   * A stream that encrypts what is written to it into one message on {@code out}; {@code close()}
   * writes the end of the message and closes {@code out}. Memory is bounded by the frame length.
   * Messages of unknown size get their own data key (one KMS call), as in the AWS Encryption SDK's
   * caching. The audit event is emitted on {@code close()}.
   */
  OutputStream encryptingStream(String tenant, EncryptionContext context, AccessReason reason, OutputStream out);

  /**
   * A stream of the plaintext of the message read from {@code in}: each frame is released only
   * after it authenticated, and a truncated or tampered message ends in an
   * {@link dev.byok.core.InvalidCiphertextException}, never in end-of-file. Signed (0x0578)
   * messages are refused here (their signature can only be checked at the end, after plaintext has
   * been released) unless {@link Builder#allowSignedStreamingDecrypt} opted in, as in the AWS
   * Encryption SDK; decrypt them with {@link #decrypt}, which checks the signature first. The audit
   * event is emitted on {@code close()}.
   */
  InputStream decryptingStream(String tenant, EncryptionContext requiredContext, AccessReason reason, InputStream in);

  /** Revocation controls and status for operators. */
  KeyAccessControl keyAccess();

  /** Zeroes every cached data key and stops probing. Idempotent. */
  @Override
  void close();

  /** A builder; {@link Builder#keyService} and {@link Builder#tenants} are required. */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a {@link TenantCrypto}. Each setter rejects a bad value, or a second call, at once;
   * {@link #build()} checks the rest. Not thread-safe.
   */
  final class Builder {
    private static final int DEFAULT_FRAME_LENGTH = 64 * 1024;

    private @Nullable KeyService keyService;
    private @Nullable TenantDirectory tenants;
    private @Nullable CachePolicy cachePolicy;
    private @Nullable RevocationPolicy revocationPolicy;
    private @Nullable AuditSink auditSink;
    private @Nullable CryptoMetrics metrics;
    private @Nullable Ticker ticker;
    private @Nullable Clock clock;
    private @Nullable Executor executor;
    private @Nullable Scheduler scheduler;
    private @Nullable AlgorithmSuite algorithmSuite;
    private @Nullable Integer frameLength;
    private @Nullable Boolean allowSignedStreamingDecrypt;
    private @Nullable Long refreshJitterSeed;
    private @Nullable CryptoProvider cryptoProvider;

    private Builder() {}

    private static void once(@Nullable Object current, String name) {
      if (current != null) {
        throw new IllegalStateException("TenantCrypto.Builder: " + name + " was already set");
      }
    }

    /** The key service: {@code AwsKmsKeyService}, or {@code LocalKeyService} for development. Required; not closed. */
    public Builder keyService(KeyService v) {
      once(keyService, "keyService");
      this.keyService = Objects.requireNonNull(v, "keyService");
      return this;
    }

    /** Where each tenant's customer key is found. Required. */
    public Builder tenants(TenantDirectory v) {
      once(tenants, "tenants");
      this.tenants = Objects.requireNonNull(v, "tenants");
      return this;
    }

    /** Data-key cache limits (default {@link CachePolicy#defaults()}). */
    public Builder cachePolicy(CachePolicy v) {
      once(cachePolicy, "cachePolicy");
      this.cachePolicy = Objects.requireNonNull(v, "cachePolicy");
      return this;
    }

    /** Probing and outage grace (default {@link RevocationPolicy#defaults()}). */
    public Builder revocationPolicy(RevocationPolicy v) {
      once(revocationPolicy, "revocationPolicy");
      this.revocationPolicy = Objects.requireNonNull(v, "revocationPolicy");
      return this;
    }

    /**
     * Where key-use events go (default: none are built; {@link AuditSink#noop()} builds and drops
     * them). Not closed by {@link TenantCrypto#close()}.
     */
    public Builder auditSink(AuditSink v) {
      once(auditSink, "auditSink");
      this.auditSink = Objects.requireNonNull(v, "auditSink");
      return this;
    }

    /**
     * Where cache, key-service and revocation measurements go (default: nowhere). The
     * {@code byok-micrometer} module's {@code MicrometerCryptoMetrics} publishes them to Micrometer.
     */
    public Builder metrics(CryptoMetrics v) {
      once(metrics, "metrics");
      this.metrics = Objects.requireNonNull(v, "metrics");
      return this;
    }

    /** The time source of cache expiry and probing (default {@link Ticker#system()}). */
    public Builder ticker(Ticker v) {
      once(ticker, "ticker");
      this.ticker = Objects.requireNonNull(v, "ticker");
      return this;
    }

    /** The clock of audit-event times (default {@link Clock#systemUTC()}). */
    public Builder clock(Clock v) {
      once(clock, "clock");
      this.clock = Objects.requireNonNull(v, "clock");
      return this;
    }

    /**
     * Runs background re-confirmations and probes, which block on KMS round trips (default: byok's
     * own up to 8 daemon threads, stopped by {@link TenantCrypto#close()}; never the common pool). A
     * caller's executor is not shut down by {@code close()}.
     */
    public Builder executor(Executor v) {
      once(executor, "executor");
      this.executor = Objects.requireNonNull(v, "executor");
      return this;
    }

    /**
     * Schedules probes of revoked keys (default {@link Scheduler#system()}; e.g.
     * {@code Scheduler.of(ses)}).
     */
    public Builder scheduler(Scheduler v) {
      once(scheduler, "scheduler");
      this.scheduler = Objects.requireNonNull(v, "scheduler");
      return this;
    }

    /** The suite of new messages (default 0x0478; 0x0578 adds a signature). Both are always read. */
    public Builder algorithmSuite(AlgorithmSuite v) {
      once(algorithmSuite, "algorithmSuite");
      this.algorithmSuite = Objects.requireNonNull(v, "algorithmSuite");
      return this;
    }

    /** The frame length of new messages, 1 byte to 4 MiB (default 64 KiB). */
    public Builder frameLength(int v) {
      once(frameLength, "frameLength");
      if (v < 1 || v > CryptoSettings.MAX_FRAME_LENGTH) {
        throw new IllegalArgumentException("frameLength: must be 1 to 4,194,304 bytes, got " + v);
      }
      this.frameLength = v;
      return this;
    }

    /**
     * Whether {@link TenantCrypto#decryptingStream} may release frames of a signed (0x0578) message
     * before its signature, at the end, has been verified (default {@code false}: such messages are
     * refused by the stream). Each frame is still released only after its own tag verified; a bad
     * signature then ends the stream in {@link dev.byok.core.InvalidCiphertextException} after
     * plaintext was read, so only opt in where the reader can discard what it read.
     */
    public Builder allowSignedStreamingDecrypt(boolean v) {
      once(allowSignedStreamingDecrypt, "allowSignedStreamingDecrypt");
      this.allowSignedStreamingDecrypt = v;
      return this;
    }

    /**
     * The seed of the refresh-ahead jitter (default: a random one per instance). Each revalidation
     * cycle of a cached scope (customer key and encryption context) starts its one background
     * re-confirmation at a point drawn from [75%, 80%) of {@link CachePolicy#revalidateAfter()}, so
     * that a fleet started together does not call KMS in lockstep. Set it in tests and simulations
     * to make the points repeatable; give each instance its own. It does not weaken the revalidation
     * bound, which the hard expiry enforces.
     */
    public Builder refreshJitterSeed(long v) {
      once(refreshJitterSeed, "refreshJitterSeed");
      this.refreshJitterSeed = v;
      return this;
    }

    /**
     * Which implementation of AES-GCM, HKDF and ECDSA to use (default {@link CryptoProvider#AUTO}:
     * the Amazon Corretto Crypto Provider when present and healthy, else the JDK). The messages are
     * the same either way. The provider is never installed globally.
     */
    public Builder cryptoProvider(CryptoProvider v) {
      once(cryptoProvider, "cryptoProvider");
      this.cryptoProvider = Objects.requireNonNull(v, "cryptoProvider");
      return this;
    }

    /**
     * Builds the instance, with the defaults of every setting not given.
     *
     * @throws IllegalStateException naming the missing setting ({@code keyService} or {@code tenants}),
     *     or for {@link CryptoProvider#ACCP} when ACCP is absent or unhealthy
     */
    public TenantCrypto build() {
      KeyService ks = keyService;
      TenantDirectory td = tenants;
      if (ks == null) {
        throw new IllegalStateException("TenantCrypto: keyService is required");
      }
      if (td == null) {
        throw new IllegalStateException("TenantCrypto: tenants is required");
      }
      CryptoSettings settings = new CryptoSettings(ks, td,
          cachePolicy != null ? cachePolicy : CachePolicy.defaults(),
          revocationPolicy != null ? revocationPolicy : RevocationPolicy.defaults(),
          auditSink,
          metrics != null ? metrics : CryptoMetrics.noop(),
          ticker != null ? ticker : Ticker.system(),
          clock != null ? clock : Clock.systemUTC(),
          executor != null ? executor : BackgroundExecutor.create(),
          scheduler != null ? scheduler : Scheduler.system(),
          algorithmSuite != null ? algorithmSuite : AlgorithmSuite.defaultSuite(),
          frameLength != null ? frameLength : DEFAULT_FRAME_LENGTH,
          allowSignedStreamingDecrypt != null && allowSignedStreamingDecrypt,
          OptionalLong.of(refreshJitterSeed != null ? refreshJitterSeed : ThreadLocalRandom.current().nextLong()),
          CryptoProviders.resolve(cryptoProvider != null ? cryptoProvider : CryptoProvider.AUTO));
      return EnvelopeCrypto.create(settings, RevocationKeyAccess::new);
    }
  }
}
