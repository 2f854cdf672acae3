package dev.byok.crypto.internal.format;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The AES-256-GCM primitive of the message format (96-bit IV, 128-bit tag) on the JDK's
 * {@code AES/GCM/NoPadding}, with one {@link Cipher} per thread, re-initialised per call: no state
 * spans two calls, so interleaved messages on one thread are safe.
 *
 * <p>{@link #open} writes plaintext only after the tag verified (the JDK buffers GCM ciphertext until
 * {@code doFinal}); on a bad tag nothing is written. Thread-safe.
 */
final class AesGcm {
  static final int KEY_LENGTH_IN_BYTES = 32;
  static final int IV_LENGTH_IN_BYTES = 12;
  static final int TAG_LENGTH_IN_BYTES = 16;
  private static final int TAG_LENGTH_IN_BITS = TAG_LENGTH_IN_BYTES * 8;

  private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(AesGcm::newCipher);

  private AesGcm() {}

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK lacks AES/GCM/NoPadding", e);
    }
  }

  /**
   * Encrypts {@code in[inOff, inOff+inLen)} into {@code out} at {@code outOff}: ciphertext then the
   * 16-byte tag. Returns the bytes written ({@code inLen + 16}). The same key and IV must never seal
   * twice (the JDK refuses an immediate repeat on the same thread).
   */
  static int seal(SecretKey key, byte[] iv, byte[] aad, int aadOff, int aadLen,
      byte[] in, int inOff, int inLen, byte[] out, int outOff) {
    Cipher c = CIPHER.get();
    try {
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH_IN_BITS, iv, 0, IV_LENGTH_IN_BYTES));
      if (aadLen > 0) {
        c.updateAAD(aad, aadOff, aadLen);
      }
      return c.doFinal(in, inOff, inLen, out, outOff);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /**
   * Decrypts {@code in[inOff, inOff+inLen)} (ciphertext then tag) into {@code out} at {@code outOff}
   * and returns the plaintext length ({@code inLen - 16}).
   *
   * @throws AEADBadTagException if the tag does not verify (or {@code inLen < 16}); nothing has been
   *     written to {@code out} then
   */
  static int open(SecretKey key, byte[] iv, byte[] aad, int aadOff, int aadLen,
      byte[] in, int inOff, int inLen, byte[] out, int outOff) throws AEADBadTagException {
    if (inLen < TAG_LENGTH_IN_BYTES) {
      throw new AEADBadTagException("input shorter than the tag");
    }
    Cipher c = CIPHER.get();
    try {
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH_IN_BITS, iv, 0, IV_LENGTH_IN_BYTES));
      if (aadLen > 0) {
        c.updateAAD(aad, aadOff, aadLen);
      }
      return c.doFinal(in, inOff, inLen, out, outOff);
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
  }
}
