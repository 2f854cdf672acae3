package dev.byok.benchmarks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.awscore.DefaultAwsResponseMetadata;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.util.AwsHeader;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptRequest;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.DescribeKeyRequest;
import software.amazon.awssdk.services.kms.model.DescribeKeyResponse;
import software.amazon.awssdk.services.kms.model.EncryptRequest;
import software.amazon.awssdk.services.kms.model.EncryptResponse;
import software.amazon.awssdk.services.kms.model.EncryptionAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyRequest;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsResponse;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/**
 * An in-process stand-in for AWS KMS with one symmetric customer key, shared by every competitor
 * of the benchmarks so that each pays the same "KMS" cost. Data keys are wrapped with AES-256-GCM
 * under an in-memory master key; the encryption context is the GCM associated data, so a decrypt
 * with a different context fails as it does in KMS. Every response carries a request ID in its
 * response metadata; calls are counted per operation; an optional latency (e.g. 5 ms, a typical
 * same-region KMS round trip) is added to every call to show what caching saves.
 *
 * <p>CiphertextBlob layout (not KMS's, which is opaque anyway): UInt16 ARN length, ARN (UTF-8),
 * 12-byte IV, AES-GCM ciphertext of the plaintext followed by the 16-byte tag.
 *
 * <p>For benchmarks and tests only; never a model of KMS's security. Thread-safe.
 */
public final class FakeKms implements KmsClient {
  /** The region of the fake key. */
  public static final String REGION = "us-east-1";
  /** The account of the fake key (the one local-kms also uses). */
  public static final String ACCOUNT = "111122223333";

  private static final int IV_SIZE_IN_BYTES = 12;
  private static final int TAG_SIZE_IN_BITS = 128;

  private final String keyArn;
  private final byte[] keyArnBytes;
  private final SecretKeySpec masterKey;
  private final Duration latency;
  private final SecureRandom random = new SecureRandom();
  private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(FakeKms::newGcmCipher);
  private final AtomicLong requestIds = new AtomicLong();
  private final LongAdder generateDataKeyCalls = new LongAdder();
  private final LongAdder encryptCalls = new LongAdder();
  private final LongAdder decryptCalls = new LongAdder();
  private final LongAdder describeKeyCalls = new LongAdder();

  private FakeKms(String keyId, Duration latency) {
    this.keyArn = "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/" + keyId;
    this.keyArnBytes = keyArn.getBytes(StandardCharsets.UTF_8);
    byte[] key = new byte[32];
    random.nextBytes(key);
    this.masterKey = new SecretKeySpec(key, "AES");
    this.latency = latency;
  }

  /** A fake KMS with one key and no added latency. */
  public static FakeKms create() {
    return create(Duration.ZERO);
  }

  /** A fake KMS with one key whose every call takes at least {@code latency} longer. */
  public static FakeKms create(Duration latency) {
    Objects.requireNonNull(latency, "latency");
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative, was " + latency);
    }
    return new FakeKms("0f8f2c8e-4c1b-4d7e-9a57-6a4c2b9e1d01", latency);
  }

  /** The ARN of the one customer key. */
  public String keyArn() {
    return keyArn;
  }

  /** The added latency per call. */
  public Duration latency() {
    return latency;
  }

  public long generateDataKeyCalls() {
    return generateDataKeyCalls.sum();
  }

  public long encryptCalls() {
    return encryptCalls.sum();
  }

  public long decryptCalls() {
    return decryptCalls.sum();
  }

  public long describeKeyCalls() {
    return describeKeyCalls.sum();
  }

  /** All calls of every operation. */
  public long totalCalls() {
    return generateDataKeyCalls() + encryptCalls() + decryptCalls() + describeKeyCalls();
  }

  @Override
  public GenerateDataKeyResponse generateDataKey(GenerateDataKeyRequest request) {
    generateDataKeyCalls.increment();
    pause();
    requireKey(request.keyId());
    int length;
    if (request.numberOfBytes() != null) {
      length = request.numberOfBytes();
    } else if (request.keySpec() == DataKeySpec.AES_128) {
      length = 16;
    } else {
      length = 32;
    }
    byte[] plaintext = new byte[length];
    random.nextBytes(plaintext);
    byte[] blob = wrap(plaintext, request.encryptionContext());
    return (GenerateDataKeyResponse) withRequestId(GenerateDataKeyResponse.builder()
        .keyId(keyArn)
        .plaintext(SdkBytes.fromByteArrayUnsafe(plaintext))
        .ciphertextBlob(SdkBytes.fromByteArrayUnsafe(blob)))
        .build();
  }

  @Override
  public EncryptResponse encrypt(EncryptRequest request) {
    encryptCalls.increment();
    pause();
    requireKey(request.keyId());
    byte[] blob = wrap(request.plaintext().asByteArrayUnsafe(), request.encryptionContext());
    return (EncryptResponse) withRequestId(EncryptResponse.builder()
        .keyId(keyArn)
        .encryptionAlgorithm(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT)
        .ciphertextBlob(SdkBytes.fromByteArrayUnsafe(blob)))
        .build();
  }

  @Override
  public DecryptResponse decrypt(DecryptRequest request) {
    decryptCalls.increment();
    pause();
    if (request.keyId() != null) {
      requireKey(request.keyId());
    }
    byte[] plaintext = unwrap(request.ciphertextBlob().asByteArrayUnsafe(), request.encryptionContext());
    return (DecryptResponse) withRequestId(DecryptResponse.builder()
        .keyId(keyArn)
        .encryptionAlgorithm(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT)
        .plaintext(SdkBytes.fromByteArrayUnsafe(plaintext)))
        .build();
  }

  @Override
  public DescribeKeyResponse describeKey(DescribeKeyRequest request) {
    describeKeyCalls.increment();
    pause();
    requireKey(request.keyId());
    KeyMetadata metadata = KeyMetadata.builder()
        .arn(keyArn)
        .keyId(keyArn.substring(keyArn.lastIndexOf('/') + 1))
        .awsAccountId(ACCOUNT)
        .enabled(true)
        .keyState(KeyState.ENABLED)
        .keyUsage(KeyUsageType.ENCRYPT_DECRYPT)
        .keySpec(KeySpec.SYMMETRIC_DEFAULT)
        .keyManager(KeyManagerType.CUSTOMER)
        .multiRegion(false)
        .build();
    return (DescribeKeyResponse) withRequestId(DescribeKeyResponse.builder().keyMetadata(metadata)).build();
  }

  @Override
  public String serviceName() {
    return SERVICE_NAME;
  }

  @Override
  public void close() {
    // nothing to release
  }

  @Override
  public String toString() {
    return "FakeKms{keyArn=" + keyArn + ", latency=" + latency + "}";
  }

  private void pause() {
    if (!latency.isZero()) {
      // parkNanos may return early (spuriously or on interrupt): loop to the deadline.
      long deadline = System.nanoTime() + latency.toNanos();
      for (long left = latency.toNanos(); left > 0; left = deadline - System.nanoTime()) {
        LockSupport.parkNanos(left);
      }
    }
  }

  private void requireKey(String keyId) {
    // Accept the ARN or the bare key ID, as KMS does; aliases are not modelled.
    if (keyId == null || !(keyId.equals(keyArn) || keyArn.endsWith(":key/" + keyId))) {
      throw (NotFoundException) NotFoundException.builder()
          .message("Key '" + keyId + "' does not exist")
          .awsErrorDetails(AwsErrorDetails.builder().errorCode("NotFoundException").serviceName("KMS").build())
          .requestId(nextRequestId())
          .statusCode(400)
          .build();
    }
  }

  private byte[] wrap(byte[] plaintext, Map<String, String> context) {
    byte[] blob = new byte[2 + keyArnBytes.length + IV_SIZE_IN_BYTES + plaintext.length + TAG_SIZE_IN_BITS / 8];
    ByteBuffer.wrap(blob).putShort((short) keyArnBytes.length).put(keyArnBytes);
    int ivOffset = 2 + keyArnBytes.length;
    byte[] iv = new byte[IV_SIZE_IN_BYTES];
    random.nextBytes(iv);
    System.arraycopy(iv, 0, blob, ivOffset, IV_SIZE_IN_BYTES);
    try {
      Cipher cipher = ciphers.get();
      cipher.init(Cipher.ENCRYPT_MODE, masterKey, new GCMParameterSpec(TAG_SIZE_IN_BITS, iv));
      cipher.updateAAD(serialize(context));
      cipher.doFinal(plaintext, 0, plaintext.length, blob, ivOffset + IV_SIZE_IN_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("fake KMS: AES-GCM failed", e);
    }
    return blob;
  }

  private byte[] unwrap(byte[] blob, Map<String, String> context) {
    int arnLength = blob.length >= 2 ? ByteBuffer.wrap(blob).getShort() & 0xFFFF : -1;
    int ivOffset = 2 + arnLength;
    int ctOffset = ivOffset + IV_SIZE_IN_BYTES;
    int ctLength = blob.length - ctOffset;
    if (arnLength < 0 || ctLength < TAG_SIZE_IN_BITS / 8
        || !ByteBuffer.wrap(blob, 2, arnLength).equals(ByteBuffer.wrap(keyArnBytes))) {
      throw invalidCiphertext();
    }
    try {
      Cipher cipher = ciphers.get();
      cipher.init(Cipher.DECRYPT_MODE, masterKey, new GCMParameterSpec(TAG_SIZE_IN_BITS, blob, ivOffset, IV_SIZE_IN_BYTES));
      cipher.updateAAD(serialize(context));
      return cipher.doFinal(blob, ctOffset, ctLength);
    } catch (GeneralSecurityException e) {
      // Wrong context or tampered blob: KMS says InvalidCiphertextException for both.
      throw invalidCiphertext();
    }
  }

  private InvalidCiphertextException invalidCiphertext() {
    return (InvalidCiphertextException) InvalidCiphertextException.builder()
        .message("The ciphertext or the encryption context is invalid")
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("InvalidCiphertextException").serviceName("KMS").build())
        .requestId(nextRequestId())
        .statusCode(400)
        .build();
  }

  /** Length-prefixed key/value pairs in key order: a stable AAD for the context. */
  private static byte[] serialize(Map<String, String> context) {
    if (context == null || context.isEmpty()) {
      return new byte[0];
    }
    ByteBuffer out = ByteBuffer.allocate(64);
    for (Map.Entry<String, String> e : new TreeMap<>(context).entrySet()) {
      byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
      byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8);
      if (out.remaining() < 8 + k.length + v.length) {
        ByteBuffer bigger = ByteBuffer.allocate(2 * out.capacity() + 8 + k.length + v.length);
        out.flip();
        out = bigger.put(out);
      }
      out.putInt(k.length).put(k).putInt(v.length).put(v);
    }
    byte[] bytes = new byte[out.position()];
    out.flip().get(bytes);
    return bytes;
  }

  private KmsResponse.Builder withRequestId(KmsResponse.Builder builder) {
    return builder.responseMetadata(DefaultAwsResponseMetadata.create(Map.of(AwsHeader.AWS_REQUEST_ID, nextRequestId())));
  }

  private String nextRequestId() {
    // Shaped like a KMS request ID (a UUID); unique within this process.
    String hex = Long.toHexString(requestIds.incrementAndGet());
    return "00000000-0000-4000-8000-" + "000000000000".substring(Math.min(12, hex.length())) + hex;
  }

  private static Cipher newGcmCipher() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM/NoPadding is not available", e);
    }
  }
}
