package dev.byok.crypto.internal.format;

import dev.byok.core.InvalidCiphertextException;
import dev.byok.core.keys.PlaintextDataKey;
import dev.byok.crypto.CryptoProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reads AWS Encryption SDK messages of format version 2 (suites 0x0478 and 0x0578, framed and
 * non-framed, any number of encrypted data keys up to the cap).
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>Plaintext is returned only from an authenticated message: the key commitment (compared in
 *       constant time), the header tag, every frame's tag and, for 0x0578, the ECDSA P-384
 *       signature all verified; the byte-array {@link #decrypt} checks all of them before it
 *       returns anything.
 *   <li>A stream never releases a frame's plaintext before that frame's tag verified, never
 *       releases the final frame before the message's end (and signature) is confirmed, and ends in
 *       an exception, not end-of-file, when the message is truncated or followed by more bytes.
 *   <li>Every malformed, truncated, tampered or over-limit message is answered by exactly one
 *       {@link InvalidCiphertextException}; its text never contains key or plaintext bytes. Lengths
 *       read from the message are checked against the bytes present and the caps of
 *       {@link DecryptOptions} before anything is allocated for them.
 *   <li>Legacy suites without key commitment (format version 1) are rejected.
 * </ul>
 *
 * <p>What this class cannot know: whether the data key is the right one for the caller (key
 * commitment only proves the message was made with <em>this</em> key) and whether the context is
 * the expected one; see {@link MessageHeader#requireContext}.
 *
 * <p>Thread-safe: one instance may serve all threads (per-thread {@code Cipher} and digest
 * instances are used internally). Streams are not thread-safe.
 */
public final class MessageDecryptor {
  private final DecryptOptions options;
  private final HeaderParser parser;
  private final CryptoProvider provider;
  private final AesGcm aesGcm;
  private final KeyDerivation keyDerivation;
  private final Provider signatureProvider;

  private MessageDecryptor(DecryptOptions options, CryptoProvider resolved) {
    this.options = options;
    this.parser = new HeaderParser(options);
    this.provider = resolved;
    this.aesGcm = AesGcm.of(resolved);
    this.keyDerivation = KeyDerivation.of(resolved);
    this.signatureProvider = CryptoProviders.jcaProvider(resolved);
  }

  /** A decryptor with {@code options} on {@link CryptoProvider#AUTO}. */
  public static MessageDecryptor create(DecryptOptions options) {
    return create(options, CryptoProvider.AUTO);
  }

  /**
   * A decryptor with {@code options} on {@code cryptoProvider}.
   *
   * @throws IllegalStateException for {@code ACCP} when it is absent or unhealthy
   */
  public static MessageDecryptor create(DecryptOptions options, CryptoProvider cryptoProvider) {
    return new MessageDecryptor(Objects.requireNonNull(options, "options"), CryptoProviders.resolve(cryptoProvider));
  }

  /** A decryptor with {@link DecryptOptions#defaults()} on {@link CryptoProvider#AUTO}. */
  public static MessageDecryptor create() {
    return create(DecryptOptions.defaults());
  }

  public DecryptOptions options() {
    return options;
  }

  /** The provider in use, {@code JDK} or {@code ACCP}. */
  public CryptoProvider provider() {
    return provider;
  }

  /** Gives the plaintext data key of a message, given its (unauthenticated) header. */
  @FunctionalInterface
  public interface DataKeyResolver {
    /**
     * The data key of {@code header}, e.g. from a cache or by unwrapping one of
     * {@code header.edks()} with {@code header.context()}. Exceptions thrown here pass through the
     * decryptor unchanged.
     */
    PlaintextDataKey resolve(MessageHeader header);
  }

  /**
   * Parses the header at the start of {@code message[offset, offset+length)} (the body may follow).
   *
   * @throws InvalidCiphertextException if it is malformed, truncated or over a cap
   */
  public MessageHeader parseHeader(byte[] message, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, message.length);
    try {
      return parser.parse(new HeaderParser.ArraySource(message, offset, length));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not reachable: the array source does no I/O
    }
  }

  /** Parses the header, asks {@code keys} for the data key and decrypts; see {@link #decrypt(MessageHeader, PlaintextDataKey, byte[], int, int)}. */
  public byte[] decrypt(byte[] message, int offset, int length, DataKeyResolver keys) {
    MessageHeader header = parseHeader(message, offset, length);
    PlaintextDataKey key = Objects.requireNonNull(keys.resolve(header), "the DataKeyResolver returned null");
    return decrypt(header, key, message, offset, length);
  }

  /**
   * Verifies the key commitment (constant time) and header tag, decrypts every frame (or the single
   * block), verifies the signature of a signed suite, and checks that the message ends exactly at
   * {@code offset + length}.
   *
   * @param header the result of {@link #parseHeader} on this same message
   * @return the plaintext, only when everything authenticated
   * @throws InvalidCiphertextException otherwise (no partial plaintext is ever returned)
   */
  public byte[] decrypt(MessageHeader header, PlaintextDataKey dataKey, byte[] message, int offset, int length) {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(dataKey, "dataKey");
    Objects.checkFromIndexSize(offset, length, message.length);
    if (!header.isHeaderOf(message, offset, length)) {
      throw new InvalidCiphertextException("the header does not belong to this message");
    }
    int end = offset + length;
    int bodyStart = offset + header.headerLength();
    BodyLayout layout = BodyLayout.scan(header, options, message, bodyStart, end);
    BodyCrypto crypto = BodyCrypto.perThread();
    byte[] plaintext = null;
    try {
      verifyHeader(header, dataKey, crypto);
      parser.remember(header); // only now: the data key authenticated the header
      plaintext = new byte[layout.plaintextLength];
      int out = 0;
      int p = bodyStart;
      if (header.framed()) {
        int frame = header.frameLength();
        for (long seq = 1; seq < layout.finalSequenceNumber; seq++) {
          out += crypto.open(BodyCrypto.FRAME, seq, message, p + 4, message, p + BodyLayout.REGULAR_FRAME_PREFIX,
              frame + AesGcm.TAG_LENGTH_IN_BYTES, plaintext, out);
          p += BodyLayout.REGULAR_FRAME_PREFIX + frame + AesGcm.TAG_LENGTH_IN_BYTES;
        }
        int last = layout.plaintextLength - out;
        crypto.open(BodyCrypto.FINAL_FRAME, layout.finalSequenceNumber, message, p + 8, message,
            p + BodyLayout.FINAL_FRAME_PREFIX,
            last + AesGcm.TAG_LENGTH_IN_BYTES, plaintext, out);
      } else {
        crypto.open(BodyCrypto.SINGLE_BLOCK, 1, message, p, message, p + BodyLayout.SINGLE_BLOCK_PREFIX,
            layout.plaintextLength + AesGcm.TAG_LENGTH_IN_BYTES, plaintext, 0);
      }
      if (header.suite().isSigned()) {
        Signature verifier = verifier(header.verificationKey());
        update(verifier, message, offset, layout.footerStart - offset);
        verifySignature(verifier, message, layout.footerStart + 2, end - layout.footerStart - 2);
      }
      byte[] result = plaintext;
      plaintext = null;
      return result;
    } catch (AEADBadTagException e) {
      throw new InvalidCiphertextException("a frame's authentication tag does not verify");
    } finally {
      crypto.finish();
      if (plaintext != null) {
        Arrays.fill(plaintext, (byte) 0);
      }
    }
  }

  /**
   * A stream of the plaintext of the message read from {@code in}. The header is read on the first
   * {@code read}; then {@code keys} is asked for the data key; then each frame's plaintext is
   * released once its tag verified. Memory is bounded by about twice the frame length (a
   * non-framed body is held whole, up to its cap). The stream reads {@code in} to its end: more
   * bytes after the message are an error. {@code close()} closes {@code in}.
   *
   * <p>A signed message fails right after its header unless
   * {@link DecryptOptions.Builder#allowSignedStreaming} is set; with it, regular frames are
   * released before the signature is checked and a caller must discard what it read if the stream
   * ends in an exception.
   *
   * <p>{@code read} throws {@link InvalidCiphertextException} (unchecked) for a malformed, truncated
   * or tampered message, at the first frame that shows it; {@link IOException}s of {@code in} and
   * exceptions of {@code in} or {@code keys} pass through unchanged. Every failure is latched: each
   * later {@code read} throws the same exception again and never serves plaintext.
   */
  public InputStream decryptingStream(InputStream in, DataKeyResolver keys) {
    return new DecryptingInputStream(this, Objects.requireNonNull(in, "in"), Objects.requireNonNull(keys, "keys"));
  }

  HeaderParser parser() {
    return parser;
  }

  /**
   * Checks the data key length, the key commitment (constant time) and the header tag, and starts
   * {@code crypto} on the message key.
   */
  void verifyHeader(MessageHeader header, PlaintextDataKey dataKey, BodyCrypto crypto) {
    if (dataKey.length() != AesGcm.KEY_LENGTH_IN_BYTES) {
      throw new InvalidCiphertextException("the data key has the wrong length for the message's suite");
    }
    byte[] key = dataKey.copyBytes();
    byte[] commitment = new byte[KeyDerivation.COMMITMENT_LENGTH_IN_BYTES];
    SecretKeySpec messageKey;
    try {
      messageKey = keyDerivation.derive(header.suite(), key, header.messageIdInternal(), 0, commitment, 0);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
    byte[] raw = header.raw();
    int c = header.commitmentOffset();
    boolean same = MessageDigest.isEqual(commitment,
        Arrays.copyOfRange(raw, c, c + KeyDerivation.COMMITMENT_LENGTH_IN_BYTES));
    Arrays.fill(commitment, (byte) 0);
    if (!same) {
      throw new InvalidCiphertextException("key commitment does not match: the message was not made with this data key");
    }
    crypto.start(aesGcm, messageKey, header.messageIdInternal(), 0);
    try {
      crypto.openHeader(raw, 0, header.headerBodyLength(), raw, header.headerBodyLength());
    } catch (AEADBadTagException e) {
      throw new InvalidCiphertextException("the header authentication tag does not verify");
    }
  }

  /** A {@code SHA384withECDSA} verifier of this decryptor's provider, initialised with {@code key}. */
  Signature verifier(PublicKey key) {
    return EcdsaP384.verifier(key, signatureProvider);
  }

  static void update(Signature s, byte[] b, int off, int len) {
    try {
      s.update(b, off, len);
    } catch (SignatureException e) {
      throw new IllegalStateException("signature object not initialised", e);
    }
  }

  static void verifySignature(Signature verifier, byte[] sig, int off, int len) {
    boolean ok;
    try {
      ok = verifier.verify(sig, off, len);
    } catch (SignatureException | RuntimeException e) {
      ok = false;
    }
    if (!ok) {
      throw new InvalidCiphertextException("the message signature does not verify");
    }
  }

  static InvalidCiphertextException truncated() {
    return new InvalidCiphertextException("the message is truncated or a length points past its end");
  }
}
