package dev.byok.crypto.internal.format;

import dev.byok.core.InvalidCiphertextException;
import dev.byok.core.keys.PlaintextDataKey;
import java.io.IOException;
import java.io.InputStream;
import java.security.Signature;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;

/**
 * The stream of {@link MessageDecryptor#decryptingStream}. Reads the header on first use, then one
 * frame at a time into a ciphertext buffer, decrypts it into a plaintext buffer and serves that
 * plaintext only after the frame's tag verified. The final frame (and a non-framed body) is served
 * only after the footer's signature verified (signed suites) and the end of the input confirmed.
 * Every failure is latched, whatever its type ({@link InvalidCiphertextException}, an
 * {@link IOException} of the input, a runtime exception of the input or the key resolver): the
 * plaintext buffer is zeroed and every later call throws the same exception again, so no read after
 * a failure can serve a frame whose checks did not all complete. Not thread-safe.
 */
final class DecryptingInputStream extends InputStream {
  private final MessageDecryptor decryptor;
  private final InputStream in;
  private final MessageDecryptor.DataKeyResolver keys;
  private final BodyCrypto crypto = new BodyCrypto();
  private static final int INITIAL_BUFFER_LENGTH = 64 * 1024;

  private final byte[] small = new byte[BodyLayout.FINAL_FRAME_PREFIX];
  private final byte[] one = new byte[1];
  private MessageHeader header;
  private Signature verifier;
  private byte[] cipher;
  private byte[] plain = new byte[0];
  private int plainPos;
  private int plainEnd;
  private long seq = 1;
  private boolean done;
  private boolean closed;
  private Throwable failure; // latched: rethrown by every later read

  DecryptingInputStream(MessageDecryptor decryptor, InputStream in, MessageDecryptor.DataKeyResolver keys) {
    this.decryptor = decryptor;
    this.in = in;
    this.keys = keys;
  }

  @Override
  public int read() throws IOException {
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException("the decrypting stream is closed");
    }
    if (failure != null) {
      throw rethrow(failure);
    }
    if (len == 0) {
      return 0;
    }
    try {
      while (plainPos == plainEnd) {
        if (done) {
          return -1;
        }
        advance();
      }
    } catch (IOException | RuntimeException | Error e) {
      fail(e);
      throw e;
    }
    int n = Math.min(len, plainEnd - plainPos);
    System.arraycopy(plain, plainPos, b, off, n);
    plainPos += n;
    return n;
  }

  @Override
  public int available() {
    return failure == null && !closed ? plainEnd - plainPos : 0;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    crypto.finish();
    Arrays.fill(plain, (byte) 0);
    in.close();
  }

  private void fail(Throwable e) {
    failure = e;
    Arrays.fill(plain, (byte) 0);
    plainPos = plainEnd = 0;
  }

  private static IOException rethrow(Throwable t) {
    if (t instanceof RuntimeException) {
      throw (RuntimeException) t;
    }
    if (t instanceof Error) {
      throw (Error) t;
    }
    return (IOException) t;
  }

  /** Reads the next unit (header, frame, body) and leaves verified plaintext in the buffer. */
  private void advance() throws IOException {
    if (header == null) {
      readHeader();
      return;
    }
    if (!header.framed()) {
      readSingleBlock();
      return;
    }
    readFully(small, 0, 4);
    long marker = Bytes.getUInt32(small, 0);
    int frame = header.frameLength();
    if (marker == BodyLayout.FINAL_FRAME_MARKER) {
      readFully(small, 4, BodyLayout.FINAL_FRAME_PREFIX - 4);
      if (Bytes.getUInt32(small, 4) != seq) {
        throw outOfOrder();
      }
      long len = Bytes.getUInt32(small, 20);
      if (len > frame) {
        throw new InvalidCiphertextException("the final frame is longer than the frame length");
      }
      update(small, 0, BodyLayout.FINAL_FRAME_PREFIX);
      int n = (int) len + AesGcm.TAG_LENGTH_IN_BYTES;
      readCiphertext(n);
      open(BodyCrypto.FINAL_FRAME, 8, n);
      finish();
      return;
    }
    readFully(small, 4, BodyLayout.REGULAR_FRAME_PREFIX - 4);
    if (marker != seq) {
      throw outOfOrder();
    }
    update(small, 0, BodyLayout.REGULAR_FRAME_PREFIX);
    int n = frame + AesGcm.TAG_LENGTH_IN_BYTES;
    readCiphertext(n);
    open(BodyCrypto.FRAME, 4, n);
    seq++;
  }

  private void readHeader() throws IOException {
    HeaderParser.StreamSource source = new HeaderParser.StreamSource(in);
    MessageHeader h = decryptor.parser().parse(source);
    if (h.suite().isSigned() && !decryptor.options().allowSignedStreaming()) {
      throw new InvalidCiphertextException("a signed message is not streamed unless DecryptOptions.allowSignedStreaming "
          + "is set (its plaintext would be released before the signature is checked); decrypt it as a byte array");
    }
    PlaintextDataKey key = Objects.requireNonNull(keys.resolve(h), "the DataKeyResolver returned null");
    decryptor.verifyHeader(h, key, crypto);
    if (h.suite().isSigned()) {
      verifier = decryptor.verifier(h.verificationKey());
      update(h.raw(), 0, h.headerLength());
    }
    header = h;
  }

  private void readSingleBlock() throws IOException {
    readFully(small, 0, BodyLayout.SINGLE_BLOCK_PREFIX);
    long len = Bytes.getUInt64(small, AesGcm.IV_LENGTH_IN_BYTES);
    int max = decryptor.options().maxNonFramedContentLength();
    if (len < 0 || len > max) {
      throw new InvalidCiphertextException("the non-framed content length is over the limit of " + max);
    }
    update(small, 0, BodyLayout.SINGLE_BLOCK_PREFIX);
    readCiphertext((int) len + AesGcm.TAG_LENGTH_IN_BYTES);
    open(BodyCrypto.SINGLE_BLOCK, 0, (int) len + AesGcm.TAG_LENGTH_IN_BYTES);
    finish();
  }

  /**
   * Reads {@code n} bytes of ciphertext and tag into {@code cipher}. The buffer grows with the bytes
   * that actually arrive, never ahead of them to a declared length, so a hostile length costs
   * memory only in proportion to the input; after the first full frame it is reused.
   */
  private void readCiphertext(int n) throws IOException {
    if (cipher == null) {
      cipher = new byte[Math.min(n, INITIAL_BUFFER_LENGTH)];
    }
    int have = 0;
    while (have < n) {
      if (have == cipher.length) {
        cipher = Arrays.copyOf(cipher, (int) Math.min(n, 2L * cipher.length));
      }
      int r = in.read(cipher, have, Math.min(cipher.length, n) - have);
      if (r < 0) {
        throw MessageDecryptor.truncated();
      }
      have += r;
    }
    update(cipher, 0, n);
  }

  /** Decrypts {@code cipher[0, n)} with the IV at {@code small[ivOff]} into {@code plain}. */
  private void open(int kind, int ivOff, int n) {
    if (plain.length < n - AesGcm.TAG_LENGTH_IN_BYTES) {
      Arrays.fill(plain, (byte) 0);
      plain = new byte[n - AesGcm.TAG_LENGTH_IN_BYTES];
    }
    try {
      plainEnd = crypto.open(kind, kind == BodyCrypto.SINGLE_BLOCK ? 1 : seq, small, ivOff, cipher, 0, n, plain, 0);
      plainPos = 0;
    } catch (AEADBadTagException e) {
      throw new InvalidCiphertextException("a frame's authentication tag does not verify");
    }
  }

  /** After the last frame: checks the footer and the end of input before the last plaintext is served. */
  private void finish() throws IOException {
    // Any exception here leaves through read(), which latches it and zeroes the final frame.
    if (verifier != null) {
      readFully(small, 0, 2);
      int sigLen = Bytes.getUInt16(small, 0);
      byte[] sig = new byte[sigLen];
      readFully(sig, 0, sigLen);
      MessageDecryptor.verifySignature(verifier, sig, 0, sigLen);
    }
    if (in.read() >= 0) {
      throw new InvalidCiphertextException("bytes after the end of the message");
    }
    done = true;
    crypto.finish();
  }

  private void update(byte[] b, int off, int len) {
    if (verifier != null) {
      MessageDecryptor.update(verifier, b, off, len);
    }
  }

  private void readFully(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      int n = in.read(b, off, len);
      if (n < 0) {
        throw MessageDecryptor.truncated();
      }
      off += n;
      len -= n;
    }
  }

  private static InvalidCiphertextException outOfOrder() {
    return new InvalidCiphertextException("a frame's sequence number is not the expected one");
  }
}
