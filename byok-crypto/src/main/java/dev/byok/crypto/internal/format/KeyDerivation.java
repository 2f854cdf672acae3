package dev.byok.crypto.internal.format;

import dev.byok.crypto.AlgorithmSuite;
import dev.byok.crypto.CryptoProvider;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF-SHA512 (RFC 5869) as the committing ESDK suites use it: one extract (salt = the 32-byte
 * message ID, IKM = the data key) and two single-block expands of the same PRK, info = suite ID ‖
 * "DERIVEKEY" for the 32-byte AES key and "COMMITKEY" for the 32-byte commitment key.
 *
 * <p>HMAC-SHA512 (RFC 2104) is written out here on one {@code SHA-512} {@link MessageDigest} per
 * thread: key ⊕ ipad block, message, inner hash; key ⊕ opad block, inner hash, outer hash. That is
 * the same 12 SHA-512 compressions as the JDK's {@code HmacSHA512} {@code Mac} (4 for the extract,
 * 4 per expand), but without its per-call allocations (a {@code SecretKeySpec} and a key copy per
 * {@code init}, a result array per {@code doFinal}): about 500 bytes less per message at the same
 * speed. Saving the two compressions of the PRK's ipad/opad blocks for the second expand would need
 * {@code MessageDigest.clone()}, which allocates about 0.9 KB per clone and measured no faster on
 * the benchmark machine, so it is not done. The tests compare this against the JDK {@code Mac}.
 *
 * <p>That is the {@code JDK} implementation. With ACCP ({@link #of}), {@link AccpKeyDerivation} calls
 * ACCP's native {@code HkdfWithHmacSHA512} instead (one native call per extract or expand; HMAC
 * through ACCP's {@code Mac} would gain nothing, being one native call per update).
 *
 * <p>The salt is the message ID, which is the HMAC key of the extract step, so nothing of the
 * extract can be precomputed per data key. Thread-safe; scratch buffers are per thread and zeroed
 * after use.
 */
abstract class KeyDerivation {
  static final int COMMITMENT_LENGTH_IN_BYTES = 32;
  private static final byte[] COMMIT_INFO = "COMMITKEY".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DERIVE_INFO = "DERIVEKEY".getBytes(StandardCharsets.US_ASCII);
  private static final int HASH_LENGTH_IN_BYTES = 64;
  private static final int BLOCK_LENGTH_IN_BYTES = 128;
  private static final byte IPAD = 0x36;
  private static final byte OPAD = 0x5c;

  static final byte[] COMMIT_LABEL = COMMIT_INFO.clone();
  static final byte[] DERIVE_LABEL = DERIVE_INFO.clone();

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
  private static final KeyDerivation JDK = new Jdk();
  private static volatile KeyDerivation accp;

  KeyDerivation() {}

  /** The implementation of a resolved provider choice ({@code JDK} or {@code ACCP}). */
  static KeyDerivation of(CryptoProvider resolved) {
    if (CryptoProviders.jcaProvider(resolved) == null) {
      return JDK;
    }
    KeyDerivation k = accp;
    if (k == null) {
      k = new AccpKeyDerivation(CryptoProviders.jcaProvider(resolved));
      accp = k;
    }
    return k;
  }

  /** The JDK implementation (the tests compare the others against it). */
  static KeyDerivation jdk() {
    return JDK;
  }

  /**
   * Derives the message's AES-256 key and writes its 32-byte commitment key into
   * {@code commitmentOut} at {@code commitmentOff}.
   *
   * @param dataKey the 32-byte plaintext data key (IKM)
   * @param messageId the array holding the 32-byte message ID (salt) at {@code messageIdOff}
   */
  abstract SecretKeySpec derive(AlgorithmSuite suite, byte[] dataKey, byte[] messageId, int messageIdOff,
      byte[] commitmentOut, int commitmentOff);

  private static final class Jdk extends KeyDerivation {
    @Override
    SecretKeySpec derive(AlgorithmSuite suite, byte[] dataKey, byte[] messageId, int messageIdOff,
        byte[] commitmentOut, int commitmentOff) {
      return deriveOnJdk(suite, dataKey, messageId, messageIdOff, commitmentOut, commitmentOff);
    }
  }

  private static final class Scratch {
    final MessageDigest sha512;
    final byte[] pad = new byte[BLOCK_LENGTH_IN_BYTES];
    final byte[] inner = new byte[HASH_LENGTH_IN_BYTES];
    final byte[] prk = new byte[HASH_LENGTH_IN_BYTES];
    final byte[] okm = new byte[HASH_LENGTH_IN_BYTES];
    final byte[] deriveInfo = new byte[2 + DERIVE_INFO.length + 1];
    final byte[] commitInfo = new byte[COMMIT_INFO.length + 1];

    Scratch() {
      try {
        sha512 = MessageDigest.getInstance("SHA-512");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("this JDK lacks SHA-512", e);
      }
      System.arraycopy(DERIVE_INFO, 0, deriveInfo, 2, DERIVE_INFO.length);
      deriveInfo[deriveInfo.length - 1] = 1; // HKDF expand counter of the first (only) block
      System.arraycopy(COMMIT_INFO, 0, commitInfo, 0, COMMIT_INFO.length);
      commitInfo[commitInfo.length - 1] = 1;
    }

    /** HMAC-SHA512 with key {@code key[keyOff, keyOff+keyLen)} ({@code keyLen} ≤ 128) over {@code message}, into {@code out}. */
    void hmac(byte[] key, int keyOff, int keyLen, byte[] message, byte[] out) throws DigestException {
      // Branch-free loops (the JIT vectorizes them): key ⊕ ipad, then ipad up to the block length.
      for (int i = 0; i < keyLen; i++) {
        pad[i] = (byte) (key[keyOff + i] ^ IPAD);
      }
      Arrays.fill(pad, keyLen, BLOCK_LENGTH_IN_BYTES, IPAD);
      sha512.update(pad, 0, BLOCK_LENGTH_IN_BYTES);
      sha512.update(message, 0, message.length);
      sha512.digest(inner, 0, HASH_LENGTH_IN_BYTES);
      for (int i = 0; i < BLOCK_LENGTH_IN_BYTES; i++) {
        pad[i] ^= IPAD ^ OPAD; // key ⊕ opad
      }
      sha512.update(pad, 0, BLOCK_LENGTH_IN_BYTES);
      sha512.update(inner, 0, HASH_LENGTH_IN_BYTES);
      sha512.digest(out, 0, HASH_LENGTH_IN_BYTES);
    }

    void clear() {
      Arrays.fill(pad, (byte) 0);
      Arrays.fill(inner, (byte) 0);
      Arrays.fill(prk, (byte) 0);
      Arrays.fill(okm, (byte) 0);
    }
  }

  private static SecretKeySpec deriveOnJdk(AlgorithmSuite suite, byte[] dataKey, byte[] messageId, int messageIdOff,
      byte[] commitmentOut, int commitmentOff) {
    Scratch s = SCRATCH.get();
    try {
      s.hmac(messageId, messageIdOff, MessageHeader.MESSAGE_ID_LENGTH_IN_BYTES, dataKey, s.prk);
      s.deriveInfo[0] = (byte) (suite.id() >>> 8);
      s.deriveInfo[1] = (byte) suite.id();
      s.hmac(s.prk, 0, HASH_LENGTH_IN_BYTES, s.deriveInfo, s.okm);
      SecretKeySpec key = new SecretKeySpec(s.okm, 0, AesGcm.KEY_LENGTH_IN_BYTES, "AES");
      s.hmac(s.prk, 0, HASH_LENGTH_IN_BYTES, s.commitInfo, s.okm);
      System.arraycopy(s.okm, 0, commitmentOut, commitmentOff, COMMITMENT_LENGTH_IN_BYTES);
      return key;
    } catch (DigestException e) {
      s.sha512.reset();
      throw new IllegalStateException("HKDF-SHA512 failed", e);
    } finally {
      s.clear();
    }
  }
}
