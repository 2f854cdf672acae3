package dev.byok.crypto.internal.format;

import dev.byok.core.EncryptionContext;
import dev.byok.core.InvalidCiphertextException;
import dev.byok.core.keys.EncryptedDataKey;
import dev.byok.crypto.AlgorithmSuite;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Parses a version-2 message header from a byte array or an input stream, one field at a time,
 * checking each declared length against what is present and against the {@link DecryptOptions}
 * caps before reading on. Everything malformed is an {@link InvalidCiphertextException}. Stateless
 * apart from its options; thread-safe.
 */
final class HeaderParser {
  private static final int[] LEGACY_SUITES = {0x0014, 0x0046, 0x0078, 0x0114, 0x0146, 0x0178, 0x0214, 0x0346, 0x0378};

  private final DecryptOptions options;

  HeaderParser(DecryptOptions options) {
    this.options = options;
  }

  /** Bytes of a header being parsed: {@code buf[base + i]} is header byte {@code i}. */
  abstract static class Source {
    byte[] buf;
    int base;

    /** Makes header bytes {@code [0, end)} available, or fails as truncated. */
    abstract void need(int end) throws IOException;
  }

  /** A header at the start of {@code message[offset, offset+length)}. */
  static final class ArraySource extends Source {
    private final int length;

    ArraySource(byte[] message, int offset, int length) {
      this.buf = message;
      this.base = offset;
      this.length = length;
    }

    @Override
    void need(int end) {
      if (end > length) {
        throw MessageDecryptor.truncated();
      }
    }
  }

  /** A header read from a stream; keeps exactly the bytes read. */
  static final class StreamSource extends Source {
    private final InputStream in;
    private int have;

    StreamSource(InputStream in) {
      this.in = in;
      this.buf = new byte[512];
    }

    @Override
    void need(int end) throws IOException {
      if (end <= have) {
        return;
      }
      if (end > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(end, (int) Math.min(Integer.MAX_VALUE - 8, 2L * buf.length)));
      }
      while (have < end) {
        int n = in.read(buf, have, end - have);
        if (n < 0) {
          throw MessageDecryptor.truncated();
        }
        have += n;
      }
    }
  }

  MessageHeader parse(Source s) throws IOException {
    s.need(1);
    int version = s.buf[s.base] & 0xFF;
    if (version == 1) {
      throw new InvalidCiphertextException("message format version 1 (no key commitment) is not accepted");
    }
    if (version != MessageHeader.VERSION_2) {
      throw new InvalidCiphertextException("unknown message format version " + version);
    }
    s.need(3);
    int suiteId = Bytes.getUInt16(s.buf, s.base + 1);
    AlgorithmSuite suite = suiteOf(suiteId);
    int p = 3 + MessageHeader.MESSAGE_ID_LENGTH_IN_BYTES;
    s.need(p + 2);
    int aadLength = Bytes.getUInt16(s.buf, s.base + p);
    p += 2;
    s.need(p + aadLength);
    EncryptionContext context;
    try {
      context = EncryptionContext.deserialize(s.buf, s.base + p, aadLength);
    } catch (IllegalArgumentException e) {
      throw new InvalidCiphertextException("malformed encryption context in the header");
    }
    p += aadLength;
    s.need(p + 2);
    int edkCount = Bytes.getUInt16(s.buf, s.base + p);
    p += 2;
    if (edkCount == 0) {
      throw new InvalidCiphertextException("the header has no encrypted data key");
    }
    if (edkCount > options.maxEncryptedDataKeys()) {
      throw new InvalidCiphertextException("the header has " + edkCount + " encrypted data keys, more than the limit of "
          + options.maxEncryptedDataKeys());
    }
    List<EncryptedDataKey> edks = new ArrayList<>(edkCount);
    for (int i = 0; i < edkCount; i++) {
      s.need(p + 2);
      int idLen = Bytes.getUInt16(s.buf, s.base + p);
      s.need(p + 2 + idLen + 2);
      String providerId = new String(s.buf, s.base + p + 2, idLen, StandardCharsets.UTF_8);
      if (!Arrays.equals(providerId.getBytes(StandardCharsets.UTF_8), 0, idLen, s.buf, s.base + p + 2, s.base + p + 2 + idLen)) {
        throw new InvalidCiphertextException("an encrypted data key's provider ID is not UTF-8");
      }
      p += 2 + idLen;
      int infoLen = Bytes.getUInt16(s.buf, s.base + p);
      s.need(p + 2 + infoLen + 2);
      byte[] info = Arrays.copyOfRange(s.buf, s.base + p + 2, s.base + p + 2 + infoLen);
      p += 2 + infoLen;
      int ctLen = Bytes.getUInt16(s.buf, s.base + p);
      s.need(p + 2 + ctLen);
      byte[] ct = Arrays.copyOfRange(s.buf, s.base + p + 2, s.base + p + 2 + ctLen);
      p += 2 + ctLen;
      edks.add(EncryptedDataKey.of(providerId, info, ct));
    }
    s.need(p + 1 + 4);
    byte contentType = s.buf[s.base + p];
    long frameLength = Bytes.getUInt32(s.buf, s.base + p + 1);
    p += 5;
    boolean framed;
    if (contentType == MessageHeader.CONTENT_TYPE_FRAMED) {
      framed = true;
      if (frameLength == 0) {
        throw new InvalidCiphertextException("a framed message with a frame length of 0");
      }
      if (frameLength > options.maxFrameLength()) {
        throw new InvalidCiphertextException("frame length " + frameLength + " is over the limit of " + options.maxFrameLength());
      }
    } else if (contentType == MessageHeader.CONTENT_TYPE_NON_FRAMED) {
      framed = false;
      if (frameLength != 0) {
        throw new InvalidCiphertextException("a non-framed message with a non-zero frame length");
      }
    } else {
      throw new InvalidCiphertextException("unknown content type " + (contentType & 0xFF));
    }
    p += KeyDerivation.COMMITMENT_LENGTH_IN_BYTES + AesGcm.TAG_LENGTH_IN_BYTES;
    s.need(p);
    PublicKey verificationKey = verificationKey(suite, context);
    byte[] messageId = Arrays.copyOfRange(s.buf, s.base + 3, s.base + 3 + MessageHeader.MESSAGE_ID_LENGTH_IN_BYTES);
    byte[] raw = Arrays.copyOfRange(s.buf, s.base, s.base + p);
    return new MessageHeader(suite, messageId, context, Collections.unmodifiableList(edks), framed, (int) frameLength,
        raw, verificationKey);
  }

  private static AlgorithmSuite suiteOf(int id) {
    for (AlgorithmSuite s : AlgorithmSuite.values()) {
      if (s.id() == id) {
        return s;
      }
    }
    for (int legacy : LEGACY_SUITES) {
      if (legacy == id) {
        throw new InvalidCiphertextException(String.format("algorithm suite 0x%04X has no key commitment and is not accepted", id));
      }
    }
    throw new InvalidCiphertextException(String.format("unknown algorithm suite 0x%04X", id));
  }

  private static PublicKey verificationKey(AlgorithmSuite suite, EncryptionContext context) {
    String value = context.get(EcdsaP384.PUBLIC_KEY_CONTEXT_KEY);
    if (!suite.isSigned()) {
      if (value != null) {
        throw new InvalidCiphertextException("an unsigned message carries a signature public key");
      }
      return null;
    }
    if (value == null) {
      throw new InvalidCiphertextException("a signed message without its public key");
    }
    try {
      return EcdsaP384.decodePublicKey(value);
    } catch (RuntimeException e) {
      throw new InvalidCiphertextException("a signed message with a malformed public key");
    }
  }
}
