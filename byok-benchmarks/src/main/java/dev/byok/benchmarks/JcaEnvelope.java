package dev.byok.benchmarks;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Raw AES-256-GCM (the JDK's or ACCP's, by the trial's {@link CryptoChoice}) under one fixed key, no KMS, no header, no key derivation. The
 * plaintext is cut into 64 KiB pieces (the size at which the JDK's GCM runs fastest here), each
 * sealed with its own 12-byte nonce: a random 12-byte base per message whose last four bytes are
 * XORed with the piece index. Message: base nonce (12 bytes), then each piece's ciphertext and
 * 16-byte tag. The context is ignored. Thread-safe (one {@code Cipher} per thread).
 */
final class JcaEnvelope implements Envelope {
  static final int PIECE_SIZE_IN_BYTES = 64 * 1024;
  private static final int NONCE_SIZE_IN_BYTES = 12;
  private static final int TAG_SIZE_IN_BYTES = 16;

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();
  private final java.security.Provider provider; // null: the JDK's
  private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(this::newCipher);

  JcaEnvelope(CryptoChoice choice) {
    provider = choice.jcaProvider();
    byte[] k = new byte[32];
    random.nextBytes(k);
    key = new SecretKeySpec(k, "AES");
  }

  @Override
  public byte[] encrypt(byte[] plaintext, Map<String, String> context) {
    int pieces = pieces(plaintext.length);
    byte[] out = new byte[NONCE_SIZE_IN_BYTES + plaintext.length + pieces * TAG_SIZE_IN_BYTES];
    byte[] nonce = new byte[NONCE_SIZE_IN_BYTES];
    random.nextBytes(nonce);
    System.arraycopy(nonce, 0, out, 0, NONCE_SIZE_IN_BYTES);
    Cipher cipher = ciphers.get();
    int in = 0;
    int at = NONCE_SIZE_IN_BYTES;
    try {
      for (int i = 0; i < pieces; i++) {
        int len = Math.min(PIECE_SIZE_IN_BYTES, plaintext.length - in);
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_SIZE_IN_BYTES * 8, pieceNonce(nonce, i)));
        at += cipher.doFinal(plaintext, in, len, out, at);
        in += len;
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encrypt failed", e);
    }
    return out;
  }

  @Override
  public byte[] decrypt(byte[] message, Map<String, String> context) {
    int body = message.length - NONCE_SIZE_IN_BYTES;
    int pieces = body <= TAG_SIZE_IN_BYTES ? 1 : (body + PIECE_SIZE_IN_BYTES + TAG_SIZE_IN_BYTES - 1) / (PIECE_SIZE_IN_BYTES + TAG_SIZE_IN_BYTES);
    int length = body - pieces * TAG_SIZE_IN_BYTES;
    if (length < 0 || pieces(length) != pieces) {
      throw new IllegalArgumentException("jca: malformed message");
    }
    byte[] out = new byte[length];
    byte[] nonce = new byte[NONCE_SIZE_IN_BYTES];
    System.arraycopy(message, 0, nonce, 0, NONCE_SIZE_IN_BYTES);
    Cipher cipher = ciphers.get();
    int at = NONCE_SIZE_IN_BYTES;
    int outAt = 0;
    try {
      for (int i = 0; i < pieces; i++) {
        int len = Math.min(PIECE_SIZE_IN_BYTES, length - outAt) + TAG_SIZE_IN_BYTES;
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_SIZE_IN_BYTES * 8, pieceNonce(nonce, i)));
        outAt += cipher.doFinal(message, at, len, out, outAt);
        at += len;
      }
    } catch (AEADBadTagException e) {
      throw new IllegalArgumentException("jca: tag mismatch", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decrypt failed", e);
    }
    return out;
  }

  private static int pieces(int length) {
    return Math.max(1, (length + PIECE_SIZE_IN_BYTES - 1) / PIECE_SIZE_IN_BYTES);
  }

  /** {@code base} with its last four bytes XORed with {@code index}; {@code base} is left as it was. */
  private static byte[] pieceNonce(byte[] base, int index) {
    byte[] n = base.clone();
    n[8] ^= (byte) (index >>> 24);
    n[9] ^= (byte) (index >>> 16);
    n[10] ^= (byte) (index >>> 8);
    n[11] ^= (byte) index;
    return n;
  }

  private Cipher newCipher() {
    try {
      return provider == null ? Cipher.getInstance("AES/GCM/NoPadding") : Cipher.getInstance("AES/GCM/NoPadding", provider);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM/NoPadding is not available", e);
    }
  }
}
