package dev.byok.testing.fakes;

import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyArn;
import dev.byok.core.internal.ContextWireFormat;
import dev.byok.core.keys.DecryptedDataKey;
import dev.byok.core.keys.EncryptedDataKey;
import dev.byok.core.keys.GeneratedDataKey;
import dev.byok.core.keys.KeyDescription;
import dev.byok.core.keys.KeyService;
import dev.byok.core.keys.KeyServiceException;
import dev.byok.core.keys.KeyServiceException.ErrorClass;
import dev.byok.core.keys.KeyState;
import dev.byok.core.keys.PlaintextDataKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * An in-process fake of the {@link KeyService} SPI for unit tests, shaped like AWS KMS (provider
 * ID {@code aws-kms}, provider info = key ARN), with fault injection: key states, AccessDenied
 * rules on data-key calls and on DescribeKey, transient outages, and a gate that holds
 * GenerateDataKey calls. Data keys are really wrapped (AES-GCM, the context as AAD), so a wrong
 * context or a foreign data key fails as KMS would. Counts every call. Thread-safe.
 */
public final class FakeKeyService implements KeyService {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, byte[]> masterKeys = new ConcurrentHashMap<>();
  private final Map<String, KeyState> states = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();
  public final AtomicLong generateCalls = new AtomicLong();
  public final AtomicLong decryptCalls = new AtomicLong();
  public final AtomicLong describeCalls = new AtomicLong();
  private volatile Predicate<EncryptionContext> denyContext = c -> false;
  private volatile boolean denyAll;
  private volatile boolean denyDescribe;
  private volatile String outageCode; // non-null: every call fails with this transient code
  private volatile CountDownLatch generateGate;
  private volatile CountDownLatch generateEntered;

  /** Creates an enabled key and returns its ARN. */
  public String createKey(String account, String id) {
    String arn = "arn:aws:kms:us-east-1:" + account + ":key/" + id;
    byte[] k = new byte[32];
    RANDOM.nextBytes(k);
    masterKeys.put(arn, k);
    states.put(arn, KeyState.ENABLED);
    return arn;
  }

  public void setState(String arn, KeyState state) {
    states.put(arn, state);
  }

  /** Deleted keys answer NotFound. */
  public void delete(String arn) {
    states.remove(arn);
  }

  /** Data-key calls whose context matches get AccessDenied (a key-policy Deny on a context). */
  public void denyContexts(Predicate<EncryptionContext> p) {
    this.denyContext = p;
  }

  /** Every call, DescribeKey included, gets AccessDenied (the vendor was removed from the policy). */
  public void denyAll(boolean v) {
    this.denyAll = v;
  }

  /** DescribeKey gets AccessDenied. */
  public void denyDescribe(boolean v) {
    this.denyDescribe = v;
  }

  /** Every call fails with the transient {@code code} (e.g. ThrottlingException); null ends it. */
  public void outage(String code) {
    this.outageCode = code;
  }

  /**
   * Makes GenerateDataKey wait until {@link #openGate()}; returns a latch counted down when a call
   * arrives at the gate.
   */
  public CountDownLatch closeGate() {
    generateGate = new CountDownLatch(1);
    generateEntered = new CountDownLatch(1);
    return generateEntered;
  }

  public void openGate() {
    CountDownLatch g = generateGate;
    if (g != null) {
      g.countDown();
    }
  }

  public long totalCalls() {
    return generateCalls.get() + decryptCalls.get() + describeCalls.get();
  }

  @Override
  public String providerId() {
    return EncryptedDataKey.AWS_KMS_PROVIDER_ID;
  }

  @Override
  public GeneratedDataKey generateDataKey(KeyArn arn, EncryptionContext context) {
    String keyArn = arn.toString();
    generateCalls.incrementAndGet();
    CountDownLatch gate = generateGate;
    if (gate != null) {
      generateEntered.countDown();
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    String id = requestId();
    byte[] master = check(keyArn, context, id);
    byte[] dataKey = new byte[32];
    RANDOM.nextBytes(dataKey);
    byte[] wrapped = wrap(master, dataKey, context);
    EncryptedDataKey edk = EncryptedDataKey.of(providerId(), keyArn.getBytes(StandardCharsets.UTF_8), wrapped);
    return new GeneratedDataKey(PlaintextDataKey.wrap(dataKey), edk, arn, id);
  }

  @Override
  public DecryptedDataKey decryptDataKey(KeyArn arn, EncryptedDataKey edk, EncryptionContext context) {
    String keyArn = arn.toString();
    decryptCalls.incrementAndGet();
    String id = requestId();
    byte[] master = check(keyArn, context, id);
    if (!edk.providerInfoAsString().equals(keyArn)) {
      throw new KeyServiceException(ErrorClass.BAD_INPUT, "IncorrectKeyException", keyArn, id, "not this key's data key", null);
    }
    return new DecryptedDataKey(PlaintextDataKey.wrap(unwrap(master, edk.ciphertext(), context, keyArn, id)), arn, id);
  }

  @Override
  public KeyDescription describeKey(KeyArn arn) {
    String keyArn = arn.toString();
    describeCalls.incrementAndGet();
    String id = requestId();
    String outage = outageCode;
    if (outage != null) {
      throw new KeyServiceException(ErrorClass.TRANSIENT, outage, keyArn, id, "injected outage", null);
    }
    if (denyAll || denyDescribe) {
      throw new KeyServiceException(ErrorClass.DEFINITIVE, "AccessDeniedException", keyArn, id, "denied", null);
    }
    KeyState s = states.get(keyArn);
    if (s == null) {
      throw new KeyServiceException(ErrorClass.DEFINITIVE, "NotFoundException", keyArn, id, "no such key", null);
    }
    return new KeyDescription(arn, s, id);
  }

  private String requestId() {
    return "req-" + requests.incrementAndGet();
  }

  private byte[] check(String keyArn, EncryptionContext context, String id) {
    String outage = outageCode;
    if (outage != null) {
      throw new KeyServiceException(ErrorClass.TRANSIENT, outage, keyArn, id, "injected outage", null);
    }
    if (denyAll || denyContext.test(context)) {
      throw new KeyServiceException(ErrorClass.DEFINITIVE, "AccessDeniedException", keyArn, id, "denied by key policy", null);
    }
    KeyState s = states.get(keyArn);
    if (s == null) {
      throw new KeyServiceException(ErrorClass.DEFINITIVE, "NotFoundException", keyArn, id, "no such key", null);
    }
    if (s == KeyState.DISABLED) {
      throw new KeyServiceException(ErrorClass.DEFINITIVE, "DisabledException", keyArn, id, "disabled", null);
    }
    if (s != KeyState.ENABLED) {
      throw new KeyServiceException(ErrorClass.DEFINITIVE, "KMSInvalidStateException", keyArn, id, "state " + s, null);
    }
    return masterKeys.get(keyArn);
  }

  private static byte[] wrap(byte[] master, byte[] dataKey, EncryptionContext context) {
    try {
      byte[] iv = new byte[12];
      RANDOM.nextBytes(iv);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(master, "AES"), new GCMParameterSpec(128, iv));
      c.updateAAD(ContextWireFormat.serialize(context));
      byte[] ct = c.doFinal(dataKey);
      return ByteBuffer.allocate(12 + ct.length).put(iv).put(ct).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] unwrap(byte[] master, byte[] wrapped, EncryptionContext context, String keyArn, String id) {
    try {
      if (wrapped.length < 12 + 16) {
        throw new GeneralSecurityException("short");
      }
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(master, "AES"), new GCMParameterSpec(128, wrapped, 0, 12));
      c.updateAAD(ContextWireFormat.serialize(context));
      return c.doFinal(wrapped, 12, wrapped.length - 12);
    } catch (GeneralSecurityException e) {
      throw new KeyServiceException(ErrorClass.BAD_INPUT, "InvalidCiphertextException", keyArn, id, "cannot unwrap", null);
    }
  }
}
