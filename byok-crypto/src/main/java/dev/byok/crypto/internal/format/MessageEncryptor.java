package dev.byok.crypto.internal.format;

import dev.byok.crypto.CryptoProvider;
import java.io.OutputStream;
import java.security.Provider;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;

/**
 * Writes AWS Encryption SDK messages of format version 2, always framed, in the suite of the
 * {@link EncryptionMaterials}. Per message: a random 32-byte message ID, one HKDF-SHA512 extract
 * and two expands (AES key and commitment key), the header tag, one AES-GCM call per frame, and
 * for 0x0578 an ECDSA P-384 signature as the footer. The header around the message ID and
 * commitment is copied from the materials, where it was serialized once.
 *
 * <p>Framing: plaintext is cut into frames of the materials' frame length; the last 0 to
 * frame-length bytes (the whole plaintext when shorter) go into the final frame, so a plaintext of
 * an exact multiple of the frame length ends with a full final frame (the specification's
 * "SHOULD") and an empty plaintext is one empty final frame.
 *
 * <h2>Security guarantees</h2>
 * Each message has its own random message ID and so its own AES key; IVs are the frame sequence
 * numbers, unique within the message. The key commitment binds the message to exactly one data key.
 * Header (context, data keys, frame length) and every frame are authenticated; frame order,
 * truncation and the final frame are bound by the body AAD.
 *
 * <p>Thread-safe and stateless: one instance can serve all threads ({@link #create} returns a
 * shared one per provider). Streams are not thread-safe.
 */
public final class MessageEncryptor {
  private static final MessageEncryptor JDK = new MessageEncryptor(CryptoProvider.JDK);
  private static volatile MessageEncryptor accp;

  private final CryptoProvider provider;
  final AesGcm aesGcm;
  final KeyDerivation keyDerivation;
  private final Provider signatureProvider;

  private MessageEncryptor(CryptoProvider resolved) {
    this.provider = resolved;
    this.aesGcm = AesGcm.of(resolved);
    this.keyDerivation = KeyDerivation.of(resolved);
    this.signatureProvider = CryptoProviders.jcaProvider(resolved);
  }

  /** The (stateless, shared) encryptor of {@link CryptoProvider#AUTO}. */
  public static MessageEncryptor create() {
    return create(CryptoProvider.AUTO);
  }

  /**
   * The (stateless, shared) encryptor on {@code cryptoProvider}.
   *
   * @throws IllegalStateException for {@code ACCP} when it is absent or unhealthy
   */
  public static MessageEncryptor create(CryptoProvider cryptoProvider) {
    if (CryptoProviders.resolve(cryptoProvider) == CryptoProvider.JDK) {
      return JDK;
    }
    MessageEncryptor e = accp;
    if (e == null) {
      e = new MessageEncryptor(CryptoProvider.ACCP);
      accp = e;
    }
    return e;
  }

  /** The provider in use, {@code JDK} or {@code ACCP}. */
  public CryptoProvider provider() {
    return provider;
  }

  /** {@code encrypt(m, plaintext, 0, plaintext.length)}. */
  public byte[] encrypt(EncryptionMaterials m, byte[] plaintext) {
    return encrypt(m, plaintext, 0, plaintext.length);
  }

  /**
   * Encrypts {@code plaintext[offset, offset+length)} into one message.
   *
   * @throws IllegalArgumentException if the message would not fit a byte array (use the stream)
   * @throws IllegalStateException if {@code m} has been destroyed
   */
  public byte[] encrypt(EncryptionMaterials m, byte[] plaintext, int offset, int length) {
    Objects.requireNonNull(m, "materials");
    Objects.checkFromIndexSize(offset, length, plaintext.length);
    int frame = m.frameLength();
    long frames = length == 0 ? 1 : (length + (long) frame - 1) / frame;
    long regular = frames - 1;
    int finalLength = (int) (length - regular * frame);
    boolean signed = m.suite().isSigned();
    long size = m.headerLength() + regular * (BodyLayout.REGULAR_FRAME_PREFIX + frame + AesGcm.TAG_LENGTH_IN_BYTES)
        + BodyLayout.FINAL_FRAME_PREFIX + finalLength + AesGcm.TAG_LENGTH_IN_BYTES
        + (signed ? 2 + EcdsaP384.MAX_SIGNATURE_LENGTH_IN_BYTES : 0);
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("message of " + length + " bytes is too large for a byte array; use the stream");
    }
    byte[] out = new byte[(int) size];
    byte[] messageId = new byte[MessageHeader.MESSAGE_ID_LENGTH_IN_BYTES];
    Randomness.nextBytes(messageId, 0, messageId.length);
    int commitmentOff = m.writeHeaderBodyPrefix(messageId, out, 0);
    SecretKeySpec key = m.deriveMessageKey(keyDerivation, messageId, out, commitmentOff);
    BodyCrypto crypto = BodyCrypto.perThread();
    crypto.start(aesGcm, key, messageId, 0);
    try {
      int headerBody = m.headerBodyLength();
      crypto.sealHeader(out, 0, headerBody, out, headerBody);
      int p = headerBody + AesGcm.TAG_LENGTH_IN_BYTES;
      int in = offset;
      for (long seq = 1; seq <= regular; seq++) {
        p = writeRegularFrame(crypto, seq, plaintext, in, frame, out, p);
        in += frame;
      }
      p = writeFinalFrame(crypto, frames, plaintext, in, finalLength, out, p);
      if (!signed) {
        return out;
      }
      Signature signer = signer(m);
      byte[] sig;
      try {
        signer.update(out, 0, p);
        sig = signer.sign();
      } catch (SignatureException e) {
        throw new IllegalStateException("ECDSA signing failed", e);
      }
      Bytes.putUInt16(out, p, sig.length);
      System.arraycopy(sig, 0, out, p + 2, sig.length);
      p += 2 + sig.length;
      return p == out.length ? out : Arrays.copyOf(out, p);
    } finally {
      crypto.finish();
    }
  }

  /**
   * A stream that encrypts what is written to it into one message on {@code out}. The header is
   * written with the first bytes (or on close); a frame is written when it is full and more
   * plaintext follows; {@code close()} writes the final frame and, for a signed suite, the
   * signature, then closes {@code out}. Memory: two buffers of about the frame length, whatever
   * the message size. {@code flush()} flushes {@code out} but cannot write a partial frame.
   * After an {@link java.io.IOException} from {@code out} the stream fails every later call and
   * {@code close()} only closes {@code out} (the message is incomplete and will not decrypt).
   */
  public OutputStream encryptingStream(EncryptionMaterials m, OutputStream out) {
    return new EncryptingOutputStream(this, Objects.requireNonNull(m, "materials"), Objects.requireNonNull(out, "out"));
  }

  Signature signer(EncryptionMaterials m) {
    return EcdsaP384.signer(m.signingKey(), signatureProvider);
  }

  static int writeRegularFrame(BodyCrypto crypto, long seq, byte[] in, int inOff, int len, byte[] out, int p) {
    Bytes.putUInt32(out, p, seq);
    BodyCrypto.writeIv(seq, out, p + 4);
    return p + BodyLayout.REGULAR_FRAME_PREFIX + crypto.seal(BodyCrypto.FRAME, seq, in, inOff, len, out,
        p + BodyLayout.REGULAR_FRAME_PREFIX);
  }

  static int writeFinalFrame(BodyCrypto crypto, long seq, byte[] in, int inOff, int len, byte[] out, int p) {
    Bytes.putUInt32(out, p, BodyLayout.FINAL_FRAME_MARKER);
    Bytes.putUInt32(out, p + 4, seq);
    BodyCrypto.writeIv(seq, out, p + 8);
    Bytes.putUInt32(out, p + 20, len);
    return p + BodyLayout.FINAL_FRAME_PREFIX + crypto.seal(BodyCrypto.FINAL_FRAME, seq, in, inOff, len, out,
        p + BodyLayout.FINAL_FRAME_PREFIX);
  }
}
