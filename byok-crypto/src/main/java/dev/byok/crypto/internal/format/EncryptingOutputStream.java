package dev.byok.crypto.internal.format;

import java.io.IOException;
import java.io.OutputStream;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Arrays;

/**
 * The stream of {@link MessageEncryptor#encryptingStream}: buffers at most one frame of plaintext,
 * writes a regular frame only once more plaintext follows it, and the final frame (and signature)
 * on close. Writes of more than a frame are encrypted straight from the caller's array. Not
 * thread-safe.
 */
final class EncryptingOutputStream extends OutputStream {
  private static final long MAX_REGULAR_SEQUENCE_NUMBER = BodyLayout.FINAL_FRAME_MARKER - 1;

  private final MessageEncryptor encryptor;
  private final EncryptionMaterials materials;
  private final OutputStream out;
  private final int frame;
  private final byte[] plain;
  private final byte[] cipher;
  private final BodyCrypto crypto = new BodyCrypto();
  private final byte[] one = new byte[1];
  private Signature signer;
  private int buffered;
  private long seq = 1;
  private boolean started;
  private boolean closed;
  private boolean failed;

  EncryptingOutputStream(MessageEncryptor encryptor, EncryptionMaterials materials, OutputStream out) {
    this.encryptor = encryptor;
    this.materials = materials;
    this.out = out;
    this.frame = materials.frameLength();
    this.plain = new byte[frame];
    this.cipher = new byte[BodyLayout.FINAL_FRAME_PREFIX + frame + AesGcm.TAG_LENGTH_IN_BYTES];
  }

  @Override
  public void write(int b) throws IOException {
    one[0] = (byte) b;
    write(one, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    ensureUsable();
    try {
      start();
      while (len > 0) {
        if (buffered == frame) {
          emitRegular(plain, 0);
          buffered = 0;
        }
        if (buffered == 0 && len > frame) {
          emitRegular(b, off);
          off += frame;
          len -= frame;
          continue;
        }
        int n = Math.min(frame - buffered, len);
        System.arraycopy(b, off, plain, buffered, n);
        buffered += n;
        off += n;
        len -= n;
      }
    } catch (IOException | RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  @Override
  public void flush() throws IOException {
    ensureUsable();
    out.flush();
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (OutputStream o = out) {
      if (!failed) {
        start();
        int n = MessageEncryptor.writeFinalFrame(crypto, seq, plain, 0, buffered, cipher, 0);
        emit(cipher, n);
        if (signer != null) {
          byte[] sig;
          try {
            sig = signer.sign();
          } catch (SignatureException e) {
            throw new IllegalStateException("ECDSA signing failed", e);
          }
          byte[] footer = new byte[2 + sig.length];
          Bytes.putUInt16(footer, 0, sig.length);
          System.arraycopy(sig, 0, footer, 2, sig.length);
          out.write(footer);
        }
        o.flush();
      }
    } catch (IOException | RuntimeException e) {
      failed = true;
      throw e;
    } finally {
      crypto.finish();
      Arrays.fill(plain, (byte) 0);
    }
  }

  private void ensureUsable() throws IOException {
    if (closed) {
      throw new IOException("the encrypting stream is closed");
    }
    if (failed) {
      throw new IOException("the encrypting stream failed earlier; the message is incomplete");
    }
  }

  private void start() throws IOException {
    if (started) {
      return;
    }
    started = true;
    byte[] messageId = new byte[MessageHeader.MESSAGE_ID_LENGTH_IN_BYTES];
    Randomness.nextBytes(messageId, 0, messageId.length);
    byte[] header = new byte[materials.headerLength()];
    int commitmentOff = materials.writeHeaderBodyPrefix(messageId, header, 0);
    crypto.start(encryptor.aesGcm, materials.deriveMessageKey(encryptor.keyDerivation, messageId, header, commitmentOff),
        messageId, 0);
    int headerBody = materials.headerBodyLength();
    crypto.sealHeader(header, 0, headerBody, header, headerBody);
    if (materials.suite().isSigned()) {
      signer = encryptor.signer(materials);
    }
    emit(header, header.length);
  }

  private void emitRegular(byte[] b, int off) throws IOException {
    if (seq > MAX_REGULAR_SEQUENCE_NUMBER) {
      throw new IOException("message too long: the format allows at most 2^32 - 1 frames");
    }
    int n = MessageEncryptor.writeRegularFrame(crypto, seq, b, off, frame, cipher, 0);
    seq++;
    emit(cipher, n);
  }

  private void emit(byte[] b, int n) throws IOException {
    if (signer != null) {
      MessageDecryptor.update(signer, b, 0, n);
    }
    out.write(b, 0, n);
  }
}
