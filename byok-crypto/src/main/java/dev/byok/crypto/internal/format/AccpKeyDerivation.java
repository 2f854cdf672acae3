package dev.byok.crypto.internal.format;

import com.amazon.corretto.crypto.provider.HkdfSpec;
import dev.byok.crypto.AlgorithmSuite;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link KeyDerivation} on ACCP's native {@code HkdfWithHmacSHA512} secret-key factory: one extract
 * (salt = message ID, IKM = data key) and two expands of its PRK (AES key, commitment key), each one
 * native call. Loaded only when ACCP is present. Thread-safe: one factory per thread; the PRK and
 * the commitment copy are zeroed after use.
 */
final class AccpKeyDerivation extends KeyDerivation {
  private static final String ALGORITHM = "HkdfWithHmacSHA512";
  /** Suite ID ‖ "DERIVEKEY" per suite (ACCP copies what it is given, so these are never changed). */
  private static final Map<AlgorithmSuite, byte[]> DERIVE_INFO = new EnumMap<>(AlgorithmSuite.class);

  static {
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      byte[] info = new byte[2 + DERIVE_LABEL.length];
      info[0] = (byte) (suite.id() >>> 8);
      info[1] = (byte) suite.id();
      System.arraycopy(DERIVE_LABEL, 0, info, 2, DERIVE_LABEL.length);
      DERIVE_INFO.put(suite, info);
    }
  }

  private final ThreadLocal<SecretKeyFactory> factory;

  AccpKeyDerivation(Provider accp) {
    this.factory = ThreadLocal.withInitial(() -> {
      try {
        return SecretKeyFactory.getInstance(ALGORITHM, accp);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("ACCP lacks " + ALGORITHM, e);
      }
    });
  }

  @Override
  SecretKeySpec derive(AlgorithmSuite suite, byte[] dataKey, byte[] messageId, int messageIdOff,
      byte[] commitmentOut, int commitmentOff) {
    SecretKeyFactory f = factory.get();
    byte[] salt = Arrays.copyOfRange(messageId, messageIdOff, messageIdOff + MessageHeader.MESSAGE_ID_LENGTH_IN_BYTES);
    byte[] deriveInfo = DERIVE_INFO.get(suite);
    byte[] prk = null;
    byte[] commitment = null;
    try {
      prk = f.generateSecret(HkdfSpec.hkdfExtractSpec(dataKey, salt, "HKDF")).getEncoded();
      SecretKey key = f.generateSecret(HkdfSpec.hkdfExpandSpec(prk, deriveInfo, AesGcm.KEY_LENGTH_IN_BYTES, "AES"));
      commitment = f.generateSecret(HkdfSpec.hkdfExpandSpec(prk, COMMIT_LABEL, COMMITMENT_LENGTH_IN_BYTES, "HKDF"))
          .getEncoded();
      System.arraycopy(commitment, 0, commitmentOut, commitmentOff, COMMITMENT_LENGTH_IN_BYTES);
      return key instanceof SecretKeySpec ? (SecretKeySpec) key : toSpec(key);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HKDF-SHA512 (ACCP) failed", e);
    } finally {
      if (prk != null) {
        Arrays.fill(prk, (byte) 0);
      }
      if (commitment != null) {
        Arrays.fill(commitment, (byte) 0);
      }
    }
  }

  private static SecretKeySpec toSpec(SecretKey key) {
    byte[] raw = key.getEncoded();
    try {
      return new SecretKeySpec(raw, "AES");
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }
}
