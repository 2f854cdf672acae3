package dev.byok.crypto.internal.format;

import dev.byok.core.EncryptionContext;
import dev.byok.core.InvalidCiphertextException;
import dev.byok.core.keys.EncryptedDataKey;
import dev.byok.crypto.AlgorithmSuite;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;

/**
 * The parsed header of a message, <em>not yet authenticated</em>: nothing in it may be trusted
 * until {@link MessageDecryptor} has verified the key commitment and the header tag with the data
 * key. It is what the envelope layer needs to find that data key: the suite, the message ID, the
 * encryption context as stored (reserved pairs included: that is the context KMS Decrypt needs) and
 * the encrypted data keys.
 *
 * <p>Wire layout (format version 2, big-endian): version {@code 02} · suite ID (2) · message ID (32)
 * · AAD length (UInt16) · serialized encryption context · EDK count (UInt16) · per EDK: provider ID,
 * provider info, ciphertext, each UInt16-length-prefixed · content type ({@code 01} non-framed,
 * {@code 02} framed) · frame length (UInt32, 0 when non-framed) · commitment key (32) · header
 * authentication tag (16).
 *
 * <p>Immutable and thread-safe; accessors return copies where the value is mutable.
 */
public final class MessageHeader {
  static final byte VERSION_2 = 0x02;
  static final byte CONTENT_TYPE_NON_FRAMED = 0x01;
  static final byte CONTENT_TYPE_FRAMED = 0x02;
  static final int MESSAGE_ID_LENGTH_IN_BYTES = 32;

  private final AlgorithmSuite suite;
  private final byte[] messageId;
  private final EncryptionContext context;
  private final List<EncryptedDataKey> edks;
  private final boolean framed;
  private final int frameLength;
  private final byte[] raw; // header body ‖ tag, exactly as read
  private final PublicKey verificationKey; // signed suites only
  private final boolean sharesParsedSection; // context and data keys came from the parser's memory

  MessageHeader(AlgorithmSuite suite, byte[] messageId, EncryptionContext context, List<EncryptedDataKey> edks,
      boolean framed, int frameLength, byte[] raw, PublicKey verificationKey, boolean sharesParsedSection) {
    this.suite = suite;
    this.messageId = messageId;
    this.context = context;
    this.edks = edks;
    this.framed = framed;
    this.frameLength = frameLength;
    this.raw = raw;
    this.verificationKey = verificationKey;
    this.sharesParsedSection = sharesParsedSection;
  }

  public AlgorithmSuite suite() {
    return suite;
  }

  /** A copy of the 32-byte message ID. */
  public byte[] messageId() {
    return messageId.clone();
  }

  /** The encryption context as stored, including reserved {@code aws-crypto-} pairs. */
  public EncryptionContext context() {
    return context;
  }

  /** The encrypted data keys in header order, unmodifiable. */
  public List<EncryptedDataKey> edks() {
    return edks;
  }

  /** Whether the body is framed (every message byok writes is). */
  public boolean framed() {
    return framed;
  }

  /** The frame length; 0 for a non-framed body. */
  public int frameLength() {
    return frameLength;
  }

  /** The header's length in bytes, up to and including the header authentication tag. */
  public int headerLength() {
    return raw.length;
  }

  /**
   * Checks that every pair of {@code required} is in this header's context with the same value
   * (reserved pairs of the header are ignored; extra pairs in the header are allowed).
   *
   * @throws InvalidCiphertextException if one is missing or differs (which one is not said)
   */
  public void requireContext(EncryptionContext required) {
    if (!context.containsAll(required)) {
      throw new InvalidCiphertextException("the message's encryption context does not match the required one");
    }
  }

  /** The header bytes (body and tag), not copied: callers must not change them. */
  byte[] raw() {
    return raw;
  }

  int headerBodyLength() {
    return raw.length - AesGcm.TAG_LENGTH_IN_BYTES;
  }

  int commitmentOffset() {
    return headerBodyLength() - KeyDerivation.COMMITMENT_LENGTH_IN_BYTES;
  }

  byte[] messageIdInternal() {
    return messageId;
  }

  PublicKey verificationKey() {
    return verificationKey;
  }

  /** Whether the parsed context and data keys were reused from an earlier, authenticated header. */
  boolean sharesParsedSection() {
    return sharesParsedSection;
  }

  /** Whether {@code message[offset...]} starts with exactly this header. */
  boolean isHeaderOf(byte[] message, int offset, int length) {
    return length >= raw.length && Arrays.equals(raw, 0, raw.length, message, offset, offset + raw.length);
  }

  @Override
  public String toString() {
    StringBuilder id = new StringBuilder();
    for (byte b : messageId) {
      id.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
    }
    return "MessageHeader{suite=" + suite + ", messageId=" + id + ", context=" + context + ", edks=" + edks
        + ", " + (framed ? "framed, frameLength=" + frameLength : "non-framed") + ", headerLength=" + raw.length + "}";
  }
}
