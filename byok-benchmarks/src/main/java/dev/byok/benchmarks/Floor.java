package dev.byok.benchmarks;

import com.amazon.corretto.crypto.provider.HkdfSpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The irreducible cryptographic work of one message in the ESDK format v2, suite 0x0478, on one
 * provider, and nothing else: a 32-byte random message ID (from a per-thread DRBG, drawn 256 bytes
 * at a time as byok does), HKDF-SHA512 extract plus two expands (the AES key and the commitment;
 * the JDK's {@code HmacSHA512 Mac}, or ACCP's native {@code HkdfWithHmacSHA512}), the header tag
 * (AES-GCM of no plaintext with the fresh key, AAD = a prebuilt header body of byok's length) and
 * the body's AES-GCM in 64 KiB frames with the format's per-frame AAD. On decrypt the same
 * derivation, a constant-time commitment check, the header tag check and each frame's open. No data-key
 * cache, no audit, no header building or parsing, no KMS. Thread-safe (per-thread state).
 *
 * <p>Layout (not the ESDK's, but the same bytes of work): message ID ‖ header body ‖ header tag ‖
 * frames (ciphertext ‖ tag each).
 */
final class Floor {
  static final int FRAME_LENGTH = 64 * 1024;
  private static final int ID = 32;
  private static final int TAG = 16;
  private static final byte[] DERIVE_INFO = {0x04, 0x78, 'D', 'E', 'R', 'I', 'V', 'E', 'K', 'E', 'Y'};
  private static final byte[] COMMIT_INFO = "COMMITKEY".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FRAME_STRING = "AWSKMSEncryptionClient Frame".getBytes(StandardCharsets.US_ASCII);

  private final Provider provider; // null: the JDK's
  private final byte[] dataKey = new byte[32];
  private final int headerBodyLength;
  private final ThreadLocal<PerThread> state;

  /** {@code accp} null for the JDK; {@code headerBodyLength} as in byok's messages (commitment included). */
  Floor(Provider accp, int headerBodyLength) {
    this.provider = accp;
    this.headerBodyLength = headerBodyLength;
    new SecureRandom().nextBytes(dataKey);
    this.state = ThreadLocal.withInitial(PerThread::new);
  }

  private final class PerThread {
    final SecureRandom random = drbg();
    final byte[] pool = new byte[256];
    int taken = pool.length;
    final Cipher cipher;
    final Mac mac;
    final SecretKeyFactory hkdf;
    final byte[] headerBody = new byte[headerBodyLength];
    final byte[] aad = new byte[ID + FRAME_STRING.length + 4 + 8];
    final byte[] iv = new byte[12];

    PerThread() {
      try {
        cipher = provider == null ? Cipher.getInstance("AES/GCM/NoPadding") : Cipher.getInstance("AES/GCM/NoPadding", provider);
        mac = provider == null ? Mac.getInstance("HmacSHA512") : null;
        hkdf = provider == null ? null : SecretKeyFactory.getInstance("HkdfWithHmacSHA512", provider);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
      System.arraycopy(FRAME_STRING, 0, aad, ID, FRAME_STRING.length);
    }

    void nextId(byte[] out) {
      if (taken + ID > pool.length) {
        random.nextBytes(pool);
        taken = 0;
      }
      System.arraycopy(pool, taken, out, 0, ID);
      taken += ID;
    }

    /** The message key; writes the commitment into {@code commitment}. */
    SecretKeySpec derive(byte[] message, byte[] commitment) throws GeneralSecurityException {
      byte[] salt = Arrays.copyOf(message, ID);
      if (mac != null) {
        mac.init(new SecretKeySpec(salt, "HmacSHA512"));
        byte[] prk = mac.doFinal(dataKey);
        mac.init(new SecretKeySpec(prk, "HmacSHA512"));
        mac.update(DERIVE_INFO);
        mac.update((byte) 1);
        byte[] okm = mac.doFinal();
        mac.update(COMMIT_INFO);
        mac.update((byte) 1);
        byte[] c = mac.doFinal();
        System.arraycopy(c, 0, commitment, 0, 32);
        return new SecretKeySpec(okm, 0, 32, "AES");
      }
      byte[] prk = hkdf.generateSecret(HkdfSpec.hkdfExtractSpec(dataKey, salt, "HKDF")).getEncoded();
      SecretKey key = hkdf.generateSecret(HkdfSpec.hkdfExpandSpec(prk, DERIVE_INFO, 32, "AES"));
      byte[] c = hkdf.generateSecret(HkdfSpec.hkdfExpandSpec(prk, COMMIT_INFO, 32, "HKDF")).getEncoded();
      System.arraycopy(c, 0, commitment, 0, 32);
      return (SecretKeySpec) key;
    }

    void frameAad(byte[] id, int seq, long length) {
      System.arraycopy(id, 0, aad, 0, ID);
      int p = ID + FRAME_STRING.length;
      aad[p] = (byte) (seq >>> 24);
      aad[p + 1] = (byte) (seq >>> 16);
      aad[p + 2] = (byte) (seq >>> 8);
      aad[p + 3] = (byte) seq;
      for (int i = 0; i < 8; i++) {
        aad[p + 4 + i] = (byte) (length >>> (56 - 8 * i));
      }
      Arrays.fill(iv, (byte) 0);
      iv[8] = (byte) (seq >>> 24);
      iv[9] = (byte) (seq >>> 16);
      iv[10] = (byte) (seq >>> 8);
      iv[11] = (byte) seq;
    }
  }

  private static SecureRandom drbg() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }

  private static int frames(int length) {
    return Math.max(1, (length + FRAME_LENGTH - 1) / FRAME_LENGTH);
  }

  byte[] encrypt(byte[] plaintext) {
    PerThread t = state.get();
    int frames = frames(plaintext.length);
    byte[] out = new byte[ID + headerBodyLength + TAG + plaintext.length + frames * TAG];
    t.nextId(out);
    try {
      SecretKeySpec key = t.derive(out, t.headerBody); // the commitment goes into the header body
      System.arraycopy(t.headerBody, 0, out, ID, headerBodyLength);
      Cipher c = t.cipher;
      Arrays.fill(t.iv, (byte) 0);
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, t.iv));
      c.updateAAD(out, ID, headerBodyLength);
      int p = ID + headerBodyLength + c.doFinal(out, ID, 0, out, ID + headerBodyLength);
      int in = 0;
      for (int seq = 1; seq <= frames; seq++) {
        int len = Math.min(FRAME_LENGTH, plaintext.length - in);
        t.frameAad(out, seq, len);
        c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, t.iv));
        c.updateAAD(t.aad);
        p += c.doFinal(plaintext, in, len, out, p);
        in += len;
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  byte[] decrypt(byte[] message) {
    PerThread t = state.get();
    int body = message.length - ID - headerBodyLength - TAG;
    int frames = Math.max(1, (body + FRAME_LENGTH + TAG - 1) / (FRAME_LENGTH + TAG));
    byte[] out = new byte[body - frames * TAG];
    byte[] commitment = new byte[32];
    try {
      SecretKeySpec key = t.derive(message, commitment);
      if (!MessageDigest.isEqual(commitment, Arrays.copyOfRange(message, ID, ID + 32))) {
        throw new IllegalArgumentException("floor: commitment mismatch");
      }
      Cipher c = t.cipher;
      Arrays.fill(t.iv, (byte) 0);
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, t.iv));
      c.updateAAD(message, ID, headerBodyLength);
      c.doFinal(message, ID + headerBodyLength, TAG, out, 0);
      int p = ID + headerBodyLength + TAG;
      int o = 0;
      for (int seq = 1; seq <= frames; seq++) {
        int len = Math.min(FRAME_LENGTH, out.length - o);
        t.frameAad(message, seq, len);
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, t.iv));
        c.updateAAD(t.aad);
        o += c.doFinal(message, p, len + TAG, out, o);
        p += len + TAG;
      }
      return out;
    } catch (AEADBadTagException e) {
      throw new IllegalArgumentException("floor: tag mismatch", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
