package dev.byok.aws.kms;

import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyArn;
import dev.byok.core.keys.DecryptedDataKey;
import dev.byok.core.keys.EncryptedDataKey;
import dev.byok.core.keys.GeneratedDataKey;
import dev.byok.core.keys.KeyDescription;
import dev.byok.core.keys.KeyService;
import dev.byok.core.keys.KeyServiceException;
import dev.byok.core.keys.KeyServiceException.ErrorClass;
import dev.byok.core.keys.KeyState;
import dev.byok.core.keys.PlaintextDataKey;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.DescribeKeyResponse;
import software.amazon.awssdk.services.kms.model.EncryptionAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.KmsResponse;
import software.amazon.awssdk.services.kms.model.KmsResponseMetadata;

/**
 * The {@link KeyService} on AWS KMS, through the AWS SDK v2 {@link KmsClient}: GenerateDataKey,
 * Decrypt and DescribeKey on customer keys named by key ARN, so keys in the customers' own AWS
 * accounts are used cross-account.
 *
 * <p>Data keys are written exactly as the AWS Encryption SDK's KMS keyring writes them: provider
 * ID {@code aws-kms}, provider info the key ARN KMS reports, ciphertext the KMS CiphertextBlob.
 * Decrypt always passes the key ARN as {@code KeyId} (required for cross-account use and what the
 * ESDK does) and the message's whole encryption context, and checks that KMS answered with that
 * key.
 *
 * <p>Errors are {@link KeyServiceException}s classified for revocation (definitive: access
 * denied, disabled, invalid state, not found, key unavailable; transient: throttling, internal
 * errors, dependency time-outs, network errors, 5xx; bad input: invalid ciphertext, incorrect key,
 * ...; see {@code docs/revocation.md}), carrying the KMS error code and request ID. Retries are the
 * SDK's retry strategy ({@link RetryMode#STANDARD} by default), so one
 * {@code KeyServiceException} means the SDK gave up.
 *
 * <p>One {@link KmsClient} per region, built lazily from the client-builder supplier; clients and
 * the HTTP client this service builds are closed by {@link #close()}. Thread-safe.
 *
 * <pre>{@code
 * AwsKmsKeyService kms = AwsKmsKeyService.builder().retryMode(RetryMode.ADAPTIVE_V2).build();
 * }</pre>
 */
public final class AwsKmsKeyService implements KeyService, AutoCloseable {
  /** The provider ID of data keys wrapped by AWS KMS. */
  public static final String PROVIDER_ID = EncryptedDataKey.AWS_KMS_PROVIDER_ID;

  private static final int DATA_KEY_SIZE_IN_BYTES = 32;

  private final Supplier<KmsClientBuilder> clientBuilder;
  private final @Nullable URI endpointOverride;
  private final @Nullable AwsCredentialsProvider credentials;
  private final RetryStrategy retryStrategy;
  private final @Nullable Duration apiCallTimeout;
  private final @Nullable Duration apiCallAttemptTimeout;
  private final @Nullable SdkHttpClient givenHttpClient; // not owned
  private final ConcurrentHashMap<String, KmsClient> clients = new ConcurrentHashMap<>();
  private final Object httpClientLock = new Object();
  private @Nullable SdkHttpClient httpClient; // guarded by httpClientLock; built on first use, owned
  private volatile boolean closed;

  private AwsKmsKeyService(Builder b) {
    this.clientBuilder = b.clientBuilder;
    this.endpointOverride = b.endpointOverride;
    this.credentials = b.credentials;
    this.retryStrategy = AwsRetryStrategy.forRetryMode(b.retryMode).toBuilder().maxAttempts(b.maxAttempts).build();
    this.apiCallTimeout = b.apiCallTimeout;
    this.apiCallAttemptTimeout = b.apiCallAttemptTimeout;
    this.givenHttpClient = b.httpClient;
  }

  /** A builder; every setting has a default. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String providerId() {
    return PROVIDER_ID;
  }

  /** Whether {@code edk} is a KMS data key whose provider info is a KMS key ARN. */
  @Override
  public boolean canDecrypt(EncryptedDataKey edk) {
    if (!PROVIDER_ID.equals(edk.providerId())) {
      return false;
    }
    try {
      KeyArn.parse(edk.providerInfoAsString());
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public GeneratedDataKey generateDataKey(KeyArn keyArn, EncryptionContext context) {
    KmsClient kms = clientFor(keyArn);
    String keyId = keyArn.toString();
    GenerateDataKeyResponse r;
    try {
      r = kms.generateDataKey(b -> b.keyId(keyId).keySpec(DataKeySpec.AES_256).encryptionContext(context.asMap()));
    } catch (RuntimeException e) {
      throw classified("GenerateDataKey", keyArn, e);
    }
    String requestId = requestIdOf(r);
    // asByteArrayUnsafe: the SDK's own array, so destroying the data key zeroes the only copy we
    // can reach.
    byte[] plaintext = r.plaintext() == null ? null : r.plaintext().asByteArrayUnsafe();
    KeyArn wrappedBy = r.keyId() == null ? null : answered(keyArn, r.keyId());
    if (plaintext == null || plaintext.length != DATA_KEY_SIZE_IN_BYTES || r.ciphertextBlob() == null || wrappedBy == null) {
      if (plaintext != null) {
        Arrays.fill(plaintext, (byte) 0);
      }
      throw new KeyServiceException(ErrorClass.TRANSIENT, "MalformedResponse", keyId, requestId,
          "GenerateDataKey returned no 32-byte plaintext, ciphertext or key ARN", null);
    }
    EncryptedDataKey edk = EncryptedDataKey.of(PROVIDER_ID, r.keyId().getBytes(StandardCharsets.UTF_8),
        r.ciphertextBlob().asByteArrayUnsafe());
    return new GeneratedDataKey(PlaintextDataKey.wrap(plaintext), edk, wrappedBy, requestId);
  }

  /**
   * The key ARN KMS answered with: {@code requested} itself when the text is the same (no parsing),
   * otherwise the parsed answer (KMS answers with the key ARN when asked by alias ARN); {@code null}
   * when the answer is not a key ARN.
   */
  private static @Nullable KeyArn answered(KeyArn requested, String answer) {
    if (requested.toString().equals(answer)) {
      return requested;
    }
    try {
      return KeyArn.parse(answer);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public DecryptedDataKey decryptDataKey(KeyArn keyArn, EncryptedDataKey edk, EncryptionContext context) {
    KmsClient kms = clientFor(keyArn);
    String keyId = keyArn.toString();
    DecryptResponse r;
    try {
      r = kms.decrypt(b -> b.keyId(keyId).ciphertextBlob(SdkBytes.fromByteArrayUnsafe(edk.ciphertext()))
          .encryptionContext(context.asMap()).encryptionAlgorithm(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT));
    } catch (RuntimeException e) {
      throw classified("Decrypt", keyArn, e);
    }
    String requestId = requestIdOf(r);
    byte[] plaintext = r.plaintext() == null ? null : r.plaintext().asByteArrayUnsafe();
    if (plaintext == null || plaintext.length != DATA_KEY_SIZE_IN_BYTES || !keyId.equals(r.keyId())) {
      if (plaintext != null) {
        Arrays.fill(plaintext, (byte) 0);
      }
      // What the ESDK's KMS keyring also refuses: an answer for another key, or not a data key.
      throw new KeyServiceException(ErrorClass.BAD_INPUT, "UnexpectedDecryptResponse", keyId, requestId,
          "Decrypt answered with key " + r.keyId() + " or without a 32-byte data key", null);
    }
    return new DecryptedDataKey(PlaintextDataKey.wrap(plaintext), keyArn, requestId);
  }

  @Override
  public KeyDescription describeKey(KeyArn keyArn) {
    KmsClient kms = clientFor(keyArn);
    String keyId = keyArn.toString();
    DescribeKeyResponse r;
    try {
      r = kms.describeKey(b -> b.keyId(keyId));
    } catch (RuntimeException e) {
      throw classified("DescribeKey", keyArn, e);
    }
    KeyState state;
    switch (r.keyMetadata().keyState()) {
      case ENABLED:
        state = KeyState.ENABLED;
        break;
      case DISABLED:
        state = KeyState.DISABLED;
        break;
      case PENDING_DELETION:
        state = KeyState.PENDING_DELETION;
        break;
      default:
        state = KeyState.OTHER;
    }
    String requestId = requestIdOf(r);
    KeyArn described = r.keyMetadata().arn() == null ? null : answered(keyArn, r.keyMetadata().arn());
    if (described == null) {
      throw new KeyServiceException(ErrorClass.TRANSIENT, "MalformedResponse", keyId, requestId,
          "DescribeKey returned no key ARN", null);
    }
    return new KeyDescription(described, state, requestId);
  }

  /** The response's request ID, or {@code null} when KMS sent none (never the SDK's "UNKNOWN"). */
  private static @Nullable String requestIdOf(KmsResponse r) {
    KmsResponseMetadata m = r.responseMetadata();
    return m == null ? null : KmsErrorClassifier.knownRequestId(m.requestId());
  }

  private static KeyServiceException classified(String operation, KeyArn keyArn, RuntimeException e) {
    if (e instanceof KeyServiceException) {
      return (KeyServiceException) e;
    }
    ErrorClass c = KmsErrorClassifier.classify(e);
    String code = KmsErrorClassifier.errorCode(e);
    // The SDK's message names the key and the error; it never holds key material.
    return new KeyServiceException(c, code, keyArn.toString(), KmsErrorClassifier.requestId(e),
        operation + " failed: " + e.getMessage(), e);
  }

  /** The client of the key's region, built on first use. */
  KmsClient clientFor(KeyArn keyArn) {
    if (closed) {
      throw new IllegalStateException("AwsKmsKeyService is closed");
    }
    String region = keyArn.region();
    KmsClient c = clients.get(region);
    return c != null ? c : clients.computeIfAbsent(region, this::newClient);
  }

  private KmsClient newClient(String region) {
    KmsClientBuilder b = clientBuilder.get();
    Objects.requireNonNull(b, "the client-builder supplier returned null");
    b.region(Region.of(region));
    if (endpointOverride != null) {
      b.endpointOverride(endpointOverride);
    }
    if (credentials != null) {
      b.credentialsProvider(credentials);
    }
    b.httpClient(givenHttpClient != null ? givenHttpClient : sharedHttpClient());
    ClientOverrideConfiguration current = b.overrideConfiguration();
    ClientOverrideConfiguration.Builder o = current == null ? ClientOverrideConfiguration.builder() : current.toBuilder();
    o.retryStrategy(retryStrategy);
    if (apiCallTimeout != null) {
      o.apiCallTimeout(apiCallTimeout);
    }
    if (apiCallAttemptTimeout != null) {
      o.apiCallAttemptTimeout(apiCallAttemptTimeout);
    }
    return b.overrideConfiguration(o.build()).build();
  }

  private SdkHttpClient sharedHttpClient() {
    synchronized (httpClientLock) {
      if (httpClient == null) {
        // Not the Apache client: under attempt time-outs its connection pool (50 leases) lost leases
        // until every KMS call waited for a connection and failed, for minutes (the soak,
        // docs/reliability.md). HttpURLConnection has no lease to lose; an aborted call closes its
        // connection.
        httpClient = UrlConnectionHttpClient.builder().build();
      }
      return httpClient;
    }
  }

  /** Closes every client this service built, and its HTTP client. */
  @Override
  public void close() {
    closed = true;
    List<RuntimeException> errors = new ArrayList<>();
    for (Map.Entry<String, KmsClient> e : clients.entrySet()) {
      try {
        e.getValue().close();
      } catch (RuntimeException ex) {
        errors.add(ex);
      }
    }
    clients.clear();
    synchronized (httpClientLock) {
      if (httpClient != null) {
        httpClient.close();
        httpClient = null;
      }
    }
    if (!errors.isEmpty()) {
      throw errors.get(0);
    }
  }

  @Override
  public String toString() {
    return "AwsKmsKeyService{regions=" + clients.keySet() + (endpointOverride == null ? "" : ", endpoint=" + endpointOverride) + "}";
  }

  /**
   * Builds an {@link AwsKmsKeyService}. Each setter fails fast on a bad value or when called twice
   * ({@link IllegalStateException}); {@link #build()} checks the time-outs against each other.
   * Every setting has a default. Not thread-safe.
   */
  public static final class Builder {
    private Supplier<KmsClientBuilder> clientBuilder = KmsClient::builder;
    private @Nullable URI endpointOverride;
    private @Nullable AwsCredentialsProvider credentials;
    private RetryMode retryMode = RetryMode.STANDARD;
    private int maxAttempts = 3;
    private @Nullable Duration apiCallTimeout;
    private @Nullable Duration apiCallAttemptTimeout;
    private @Nullable SdkHttpClient httpClient;
    private final Set<String> set = new HashSet<>();

    private Builder() {}

    private void once(String name) {
      if (!set.add(name)) {
        throw new IllegalStateException("AwsKmsKeyService.Builder: " + name + " was already set");
      }
    }

    /**
     * The HTTP client of every region's KMS client; the caller keeps ownership and closes it. By
     * default the service builds one {@code UrlConnectionHttpClient}, shared among its regions, and closes it.
     */
    public Builder httpClient(SdkHttpClient v) {
      once("httpClient");
      this.httpClient = Objects.requireNonNull(v, "httpClient");
      return this;
    }

    /**
     * Supplies a fresh {@link KmsClientBuilder} for each region (default {@code KmsClient::builder}).
     * This service sets the region, and the endpoint override, credentials, retry strategy and
     * time-outs given here, and the HTTP client (see {@link #httpClient}); other settings of the
     * supplied builder (execution interceptors, metric publishers, ...) are kept.
     */
    public Builder clientBuilder(Supplier<KmsClientBuilder> v) {
      once("clientBuilder");
      this.clientBuilder = Objects.requireNonNull(v, "clientBuilder");
      return this;
    }

    /** Sends every region's calls to this endpoint (an emulator such as local-kms). */
    public Builder endpointOverride(URI v) {
      once("endpointOverride");
      Objects.requireNonNull(v, "endpointOverride");
      if (v.getScheme() == null || v.getHost() == null) {
        throw new IllegalArgumentException("endpointOverride: expected an absolute http(s) URI, got '" + v + "'");
      }
      this.endpointOverride = v;
      return this;
    }

    /** The credentials of the vendor's own account (default: the SDK's default chain). */
    public Builder credentialsProvider(AwsCredentialsProvider v) {
      once("credentialsProvider");
      this.credentials = Objects.requireNonNull(v, "credentialsProvider");
      return this;
    }

    /** The SDK retry mode: {@code STANDARD} (default), {@code ADAPTIVE_V2} or {@code LEGACY}. */
    public Builder retryMode(RetryMode v) {
      once("retryMode");
      this.retryMode = Objects.requireNonNull(v, "retryMode");
      return this;
    }

    /** Attempts per call including the first (default 3; 1 = no retries). */
    public Builder maxAttempts(int v) {
      once("maxAttempts");
      if (v < 1 || v > 10) {
        throw new IllegalArgumentException("maxAttempts: must be 1 to 10, got " + v);
      }
      this.maxAttempts = v;
      return this;
    }

    /** The time limit of one call including retries (default: the SDK's, none). */
    public Builder apiCallTimeout(Duration v) {
      once("apiCallTimeout");
      this.apiCallTimeout = positive(v, "apiCallTimeout");
      return this;
    }

    /** The time limit of one attempt (default: the SDK's, none). */
    public Builder apiCallAttemptTimeout(Duration v) {
      once("apiCallAttemptTimeout");
      this.apiCallAttemptTimeout = positive(v, "apiCallAttemptTimeout");
      return this;
    }

    private static Duration positive(Duration v, String name) {
      Objects.requireNonNull(v, name);
      if (v.isNegative() || v.isZero()) {
        throw new IllegalArgumentException(name + ": must be positive, got " + v);
      }
      return v;
    }

    /**
     * Builds the service; no client is made until the first call.
     *
     * @throws IllegalArgumentException if the attempt time-out exceeds the call time-out
     */
    public AwsKmsKeyService build() {
      if (apiCallTimeout != null && apiCallAttemptTimeout != null && apiCallAttemptTimeout.compareTo(apiCallTimeout) > 0) {
        throw new IllegalArgumentException("apiCallAttemptTimeout (" + apiCallAttemptTimeout
            + ") must not exceed apiCallTimeout (" + apiCallTimeout + ")");
      }
      return new AwsKmsKeyService(this);
    }
  }
}
