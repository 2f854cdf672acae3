package dev.byok.crypto.internal.format;

import dev.byok.crypto.CryptoProvider;
import java.security.GeneralSecurityException;
import java.security.Provider;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The AES-256-GCM primitive of the message format (96-bit IV, 128-bit tag) on
 * {@code AES/GCM/NoPadding} of one provider ({@link #of}: the JDK's or ACCP's), with one
 * {@link Cipher} per thread and provider, re-initialised per call: no state spans two calls, so
 * interleaved messages on one thread are safe.
 *
 * <p>{@link #open} writes plaintext only after the tag verified (both providers buffer GCM
 * ciphertext until {@code doFinal}; the Wycheproof test checks it for each); on a bad tag nothing
 * is written. Thread-safe.
 */
final class AesGcm {
  static final int KEY_LENGTH_IN_BYTES = 32;
  static final int IV_LENGTH_IN_BYTES = 12;
  static final int TAG_LENGTH_IN_BYTES = 16;
  private static final int TAG_LENGTH_IN_BITS = TAG_LENGTH_IN_BYTES * 8;

  private static final AesGcm JDK = new AesGcm(null);
  private static volatile AesGcm accp;

  private final Provider provider; // null: the JCA's usual lookup
  private final ThreadLocal<Cipher> cipher = ThreadLocal.withInitial(this::newCipher);

  private AesGcm(Provider provider) {
    this.provider = provider;
  }

  /** The instance of a resolved provider choice ({@code JDK} or {@code ACCP}). */
  static AesGcm of(CryptoProvider resolved) {
    Provider p = CryptoProviders.jcaProvider(resolved);
    if (p == null) {
      return JDK;
    }
    AesGcm a = accp;
    if (a == null) {
      a = new AesGcm(p);
      accp = a;
    }
    return a;
  }

  private Cipher newCipher() {
    try {
      return provider == null ? Cipher.getInstance("AES/GCM/NoPadding") : Cipher.getInstance("AES/GCM/NoPadding", provider);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the provider lacks AES/GCM/NoPadding: " + (provider == null ? "JDK" : provider.getName()), e);
    }
  }

  /**
   * Encrypts {@code in[inOff, inOff+inLen)} into {@code out} at {@code outOff}: ciphertext then the
   * 16-byte tag. Returns the bytes written ({@code inLen + 16}). The same key and IV must never seal
   * twice (the JDK refuses an immediate repeat on the same thread).
   */
  int seal(SecretKey key, byte[] iv, byte[] aad, int aadOff, int aadLen,
      byte[] in, int inOff, int inLen, byte[] out, int outOff) {
    Cipher c = cipher.get();
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
  int open(SecretKey key, byte[] iv, byte[] aad, int aadOff, int aadLen,
      byte[] in, int inOff, int inLen, byte[] out, int outOff) throws AEADBadTagException {
    if (inLen < TAG_LENGTH_IN_BYTES) {
      throw new AEADBadTagException("input shorter than the tag");
    }
    Cipher c = cipher.get();
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
