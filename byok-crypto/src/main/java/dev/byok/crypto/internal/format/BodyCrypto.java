package dev.byok.crypto.internal.format;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-GCM calls of one message: the header authentication tag (IV = 12 zero bytes, AAD = the
 * header body, empty plaintext) and each frame or the single block (IV = the sequence number,
 * big-endian, left-padded to 12 bytes; AAD = message ID ‖ body AAD content string ‖ UInt32
 * sequence number ‖ UInt64 plaintext length). Holds the derived key and two small reused buffers.
 *
 * <p>Not thread-safe: one instance per message being written or read (the byte-array paths borrow
 * a per-thread instance, streams own one).
 */
final class BodyCrypto {
  static final int FRAME = 0;
  static final int FINAL_FRAME = 1;
  static final int SINGLE_BLOCK = 2;

  private static final byte[][] CONTENT_STRINGS = {
    "AWSKMSEncryptionClient Frame".getBytes(StandardCharsets.US_ASCII),
    "AWSKMSEncryptionClient Final Frame".getBytes(StandardCharsets.US_ASCII),
    "AWSKMSEncryptionClient Single Block".getBytes(StandardCharsets.US_ASCII),
  };
  private static final int MAX_AAD_LENGTH = MessageHeader.MESSAGE_ID_LENGTH_IN_BYTES + 35 + 4 + 8;
  private static final byte[] EMPTY = new byte[0];
  private static final ThreadLocal<BodyCrypto> PER_THREAD = ThreadLocal.withInitial(BodyCrypto::new);

  private final byte[] aad = new byte[MAX_AAD_LENGTH];
  private final byte[] iv = new byte[AesGcm.IV_LENGTH_IN_BYTES];
  private SecretKeySpec key;
  private AesGcm aesGcm;

  /** The calling thread's instance, for a message processed within one call. */
  static BodyCrypto perThread() {
    return PER_THREAD.get();
  }

  /** Starts a message: the AES-GCM of its provider, its derived key and 32-byte message ID (copied). */
  void start(AesGcm aesGcm, SecretKeySpec messageKey, byte[] messageId, int messageIdOff) {
    this.aesGcm = aesGcm;
    this.key = messageKey;
    System.arraycopy(messageId, messageIdOff, aad, 0, MessageHeader.MESSAGE_ID_LENGTH_IN_BYTES);
  }

  /** Forgets the key and message ID. */
  void finish() {
    key = null;
    aesGcm = null;
    Arrays.fill(aad, (byte) 0);
  }

  /** Writes the 16-byte header authentication tag of {@code headerBody} at {@code out[outOff]}. */
  void sealHeader(byte[] headerBody, int off, int len, byte[] out, int outOff) {
    Arrays.fill(iv, (byte) 0);
    aesGcm.seal(key, iv, headerBody, off, len, EMPTY, 0, 0, out, outOff);
  }

  /** Verifies the header authentication {@code tag} at {@code tagOff} over {@code headerBody}. */
  void openHeader(byte[] headerBody, int off, int len, byte[] tag, int tagOff) throws AEADBadTagException {
    Arrays.fill(iv, (byte) 0);
    aesGcm.open(key, iv, headerBody, off, len, tag, tagOff, AesGcm.TAG_LENGTH_IN_BYTES, EMPTY, 0);
  }

  /** Encrypts one frame (or the single block); writes ciphertext ‖ tag; returns {@code len + 16}. */
  int seal(int kind, long sequenceNumber, byte[] in, int inOff, int len, byte[] out, int outOff) {
    int aadLen = prepare(kind, sequenceNumber, len);
    return aesGcm.seal(key, iv, aad, 0, aadLen, in, inOff, len, out, outOff);
  }

  /**
   * Decrypts one frame (or the single block) of {@code ciphertextAndTagLen} bytes with the IV
   * serialized in the message at {@code ivSource[ivOff]} (every ESDK writer uses the sequence
   * number, but readers use the IV as written, and so does this one: a changed IV fails the tag);
   * returns the plaintext length. Nothing is written unless the tag verified.
   */
  int open(int kind, long sequenceNumber, byte[] ivSource, int ivOff, byte[] in, int inOff, int ciphertextAndTagLen,
      byte[] out, int outOff) throws AEADBadTagException {
    int aadLen = prepare(kind, sequenceNumber, ciphertextAndTagLen - AesGcm.TAG_LENGTH_IN_BYTES);
    System.arraycopy(ivSource, ivOff, iv, 0, AesGcm.IV_LENGTH_IN_BYTES);
    return aesGcm.open(key, iv, aad, 0, aadLen, in, inOff, ciphertextAndTagLen, out, outOff);
  }

  /** Writes the 12-byte IV of {@code sequenceNumber} at {@code out[off]}. */
  static void writeIv(long sequenceNumber, byte[] out, int off) {
    Arrays.fill(out, off, off + 8, (byte) 0);
    Bytes.putUInt32(out, off + 8, sequenceNumber);
  }

  private int prepare(int kind, long sequenceNumber, long plaintextLength) {
    writeIv(sequenceNumber, iv, 0);
    byte[] s = CONTENT_STRINGS[kind];
    int p = MessageHeader.MESSAGE_ID_LENGTH_IN_BYTES;
    System.arraycopy(s, 0, aad, p, s.length);
    p += s.length;
    Bytes.putUInt32(aad, p, sequenceNumber);
    p += 4;
    Bytes.putUInt64(aad, p, plaintextLength);
    return p + 8;
  }
}
