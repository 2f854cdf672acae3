package dev.byok.crypto.internal.format;

import dev.byok.crypto.AlgorithmSuite;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF-SHA512 (RFC 5869) as the committing ESDK suites use it, on the JDK's {@code HmacSHA512}
 * with one {@link Mac} per thread: one extract (salt = the 32-byte message ID, IKM = the data key)
 * and two single-block expands of the same PRK, info = suite ID ‖ "DERIVEKEY" for the 32-byte
 * AES key and "COMMITKEY" for the 32-byte commitment key. The PRK is keyed into the Mac once and
 * reused for both expands ({@code doFinal} resets the Mac to the same key).
 *
 * <p>The salt is the message ID, which is the HMAC key of the extract step, so nothing of the
 * extract can be precomputed per data key. Thread-safe; scratch buffers are per thread and zeroed
 * after use.
 */
final class KeyDerivation {
  static final int COMMITMENT_LENGTH_IN_BYTES = 32;
  private static final byte[] COMMIT_INFO = "COMMITKEY".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DERIVE_INFO = "DERIVEKEY".getBytes(StandardCharsets.US_ASCII);
  private static final int HASH_LENGTH_IN_BYTES = 64;

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private KeyDerivation() {}

  private static final class Scratch {
    final Mac mac;
    final byte[] prk = new byte[HASH_LENGTH_IN_BYTES];
    final byte[] okm = new byte[HASH_LENGTH_IN_BYTES];
    final byte[] deriveInfo = new byte[2 + DERIVE_INFO.length + 1];
    final byte[] commitInfo = new byte[COMMIT_INFO.length + 1];

    Scratch() {
      try {
        mac = Mac.getInstance("HmacSHA512");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("this JDK lacks HmacSHA512", e);
      }
      System.arraycopy(DERIVE_INFO, 0, deriveInfo, 2, DERIVE_INFO.length);
      deriveInfo[deriveInfo.length - 1] = 1; // HKDF expand counter of the first (only) block
      System.arraycopy(COMMIT_INFO, 0, commitInfo, 0, COMMIT_INFO.length);
      commitInfo[commitInfo.length - 1] = 1;
    }
  }

  /**
   * Derives the message's AES-256 key and writes its 32-byte commitment key into
   * {@code commitmentOut} at {@code commitmentOff}.
   *
   * @param dataKey the 32-byte plaintext data key (IKM)
   * @param messageId the array holding the 32-byte message ID (salt) at {@code messageIdOff}
   */
  static SecretKeySpec derive(AlgorithmSuite suite, byte[] dataKey, byte[] messageId, int messageIdOff,
      byte[] commitmentOut, int commitmentOff) {
    Scratch s = SCRATCH.get();
    Mac mac = s.mac;
    try {
      mac.init(new SecretKeySpec(messageId, messageIdOff, MessageHeader.MESSAGE_ID_LENGTH_IN_BYTES, "HmacSHA512"));
      mac.update(dataKey);
      mac.doFinal(s.prk, 0);
      mac.init(new SecretKeySpec(s.prk, "HmacSHA512"));
      s.deriveInfo[0] = (byte) (suite.id() >>> 8);
      s.deriveInfo[1] = (byte) suite.id();
      mac.update(s.deriveInfo);
      mac.doFinal(s.okm, 0);
      SecretKeySpec key = new SecretKeySpec(s.okm, 0, AesGcm.KEY_LENGTH_IN_BYTES, "AES");
      mac.update(s.commitInfo);
      mac.doFinal(s.okm, 0);
      System.arraycopy(s.okm, 0, commitmentOut, commitmentOff, COMMITMENT_LENGTH_IN_BYTES);
      return key;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HKDF-SHA512 failed", e);
    } finally {
      Arrays.fill(s.prk, (byte) 0);
      Arrays.fill(s.okm, (byte) 0);
    }
  }
}
