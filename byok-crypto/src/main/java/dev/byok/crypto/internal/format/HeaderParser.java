package dev.byok.crypto.internal.format;

import dev.byok.core.EncryptionContext;
import dev.byok.core.InvalidCiphertextException;
import dev.byok.core.internal.ContextWireFormat;
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
 * caps before reading on. Everything malformed is an {@link InvalidCiphertextException}.
 *
 * <p>Header-section cache (byte arrays only): messages under one cached data key share the
 * section from the AAD length through the last encrypted data key byte for byte, and parsing it
 * (UTF-8 decoding and re-validating the context, copying the data keys) is most of the cost of a
 * header. Each thread remembers the last {@value #RECENT_SECTIONS} sections whose header was
 * <em>authenticated</em> by its data key ({@link #remember}, called by {@link MessageDecryptor}
 * after the key commitment and header tag verified), never a header that merely parsed: a hostile
 * header costs memory only while it is being decrypted. What a thread remembers is bounded by
 * {@value #RETAINED_BYTES_PER_THREAD} bytes (a private copy of the section bytes, counted twice
 * for the parsed context, data keys and verification key kept beside it); a larger section is not
 * remembered, and older ones are dropped to make room. A header whose suite and section bytes are
 * <em>equal in full</em> to a
 * remembered one reuses its parsed objects; everything else of the header (version, suite, message
 * ID, content type, frame length, commitment, tag) is read from the message every time. Equal bytes
 * parse to equal values, so the cache cannot change a result; the section is public header data,
 * so the comparison needs no constant time. A header that does not scan cleanly takes the full
 * parse and its error.
 *
 * <p>Thread-safe: options are immutable and the cache is per thread.
 */
final class HeaderParser {
  /** Header offset of the section: after version (1), suite (2) and message ID. */
  private static final int SECTION_START = 3 + MessageHeader.MESSAGE_ID_LENGTH_IN_BYTES;
  /** Header bytes between the section and the commitment key: content type (1) and frame length (4). */
  private static final int TAIL_BEFORE_COMMITMENT = 5;
  private static final int[] LEGACY_SUITES = {0x0014, 0x0046, 0x0078, 0x0114, 0x0146, 0x0178, 0x0214, 0x0346, 0x0378};

  /** How many header sections each thread remembers. */
  static final int RECENT_SECTIONS = 4;

  /** The most one thread keeps of remembered sections: bytes and parsed values (estimated). */
  static final int RETAINED_BYTES_PER_THREAD = 64 * 1024;

  /** Fixed cost counted per remembered section on top of twice its bytes. */
  private static final int SECTION_OVERHEAD_BYTES = 256;

  private final DecryptOptions options;
  private final ThreadLocal<Recent> recent = ThreadLocal.withInitial(Recent::new);

  HeaderParser(DecryptOptions options) {
    this.options = options;
  }

  /** A successfully parsed header section: its bytes (a private copy) and what they parse to. */
  private static final class Section {
    final AlgorithmSuite suite;
    final byte[] bytes;
    final EncryptionContext context;
    final List<EncryptedDataKey> edks;
    final PublicKey verificationKey;

    Section(AlgorithmSuite suite, byte[] bytes, EncryptionContext context, List<EncryptedDataKey> edks,
        PublicKey verificationKey) {
      this.suite = suite;
      this.bytes = bytes;
      this.context = context;
      this.edks = edks;
      this.verificationKey = verificationKey;
    }

    /** What keeping this section costs: its bytes, about as much again parsed, and a fixed overhead. */
    static int cost(int sectionLength) {
      return 2 * sectionLength + SECTION_OVERHEAD_BYTES;
    }

    boolean matches(AlgorithmSuite s, byte[] buf, int from, int to) {
      return suite == s && bytes.length == to - from && Arrays.equals(bytes, 0, bytes.length, buf, from, to);
    }
  }

  /** One thread's recently authenticated sections, replaced round-robin within the byte bound. */
  private static final class Recent {
    final Section[] sections = new Section[RECENT_SECTIONS];
    int next;
    int retained;

    Section find(AlgorithmSuite suite, byte[] buf, int from, int to) {
      for (Section s : sections) {
        if (s != null && s.matches(suite, buf, from, to)) {
          return s;
        }
      }
      return null;
    }

    /** Adds {@code s} (whose cost is within the bound) in the oldest slot, dropping the next oldest until it fits. */
    void add(Section s) {
      int cost = Section.cost(s.bytes.length);
      for (int i = 0; i < sections.length; i++) {
        int slot = (next + i) % sections.length;
        if (i > 0 && retained + cost <= RETAINED_BYTES_PER_THREAD) {
          break;
        }
        Section old = sections[slot];
        if (old != null) {
          retained -= Section.cost(old.bytes.length);
          sections[slot] = null;
        }
      }
      sections[next] = s;
      retained += cost;
      next = (next + 1) % sections.length;
    }
  }

  /**
   * Remembers the section of {@code h}, whose key commitment and header tag have just verified
   * under its data key, unless it came from this thread's memory already or is over the bound.
   */
  void remember(MessageHeader h) {
    if (h.sharesParsedSection()) {
      return;
    }
    int from = SECTION_START;
    int to = h.headerBodyLength() - KeyDerivation.COMMITMENT_LENGTH_IN_BYTES - TAIL_BEFORE_COMMITMENT;
    if (to <= from || Section.cost(to - from) > RETAINED_BYTES_PER_THREAD) {
      return;
    }
    byte[] raw = h.raw();
    Recent mine = recent.get();
    if (mine.find(h.suite(), raw, from, to) == null) {
      mine.add(new Section(h.suite(), Arrays.copyOfRange(raw, from, to), h.context(), h.edks(), h.verificationKey()));
    }
  }

  /** What this thread keeps remembered now (estimated bytes; for tests). */
  int retainedBytes() {
    return recent.get().retained;
  }

  /**
   * The end (header offset) of the section that starts at header offset {@code start} (the AAD
   * length field), or -1 when it does not scan cleanly within {@code length} bytes and the caps:
   * the full parse then reports what is wrong. Reads lengths only; allocates nothing.
   */
  private int sectionEnd(byte[] buf, int base, int length, int start) {
    int p = start;
    if (p + 2 > length) {
      return -1;
    }
    p += 2 + Bytes.getUInt16(buf, base + p);
    if (p + 2 > length) {
      return -1;
    }
    int edkCount = Bytes.getUInt16(buf, base + p);
    p += 2;
    if (edkCount == 0 || edkCount > options.maxEncryptedDataKeys()) {
      return -1;
    }
    for (int i = 0; i < edkCount * 3; i++) { // provider ID, provider info, ciphertext
      if (p + 2 > length) {
        return -1;
      }
      p += 2 + Bytes.getUInt16(buf, base + p);
    }
    return p > length ? -1 : p;
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
    int sectionStart = SECTION_START;
    if (s instanceof ArraySource) {
      Recent mine = recent.get();
      int length = ((ArraySource) s).length;
      int end = sectionEnd(s.buf, s.base, length, sectionStart);
      if (end >= 0) {
        Section hit = mine.find(suite, s.buf, s.base + sectionStart, s.base + end);
        if (hit != null) {
          return parseTail(s, suite, hit.context, hit.edks, end, hit);
        }
      }
    }
    int p = sectionStart;
    s.need(p + 2);
    int aadLength = Bytes.getUInt16(s.buf, s.base + p);
    p += 2;
    s.need(p + aadLength);
    EncryptionContext context;
    try {
      context = ContextWireFormat.deserialize(s.buf, s.base + p, aadLength);
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
    return parseTail(s, suite, context, Collections.unmodifiableList(edks), p, null);
  }

  /**
   * Parses the header from the content type on ({@code p}) and builds it; {@code known} is the
   * remembered section whose verification key applies, or {@code null} to decode it.
   */
  private MessageHeader parseTail(Source s, AlgorithmSuite suite, EncryptionContext context,
      List<EncryptedDataKey> edks, int p, Section known) throws IOException {
    s.need(p + 1 + 4);
    byte contentType = s.buf[s.base + p];
    long frameLength = Bytes.getUInt32(s.buf, s.base + p + 1);
    p += TAIL_BEFORE_COMMITMENT;
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
    PublicKey verificationKey = known != null ? known.verificationKey : verificationKey(suite, context);
    byte[] messageId = Arrays.copyOfRange(s.buf, s.base + 3, s.base + 3 + MessageHeader.MESSAGE_ID_LENGTH_IN_BYTES);
    byte[] raw = Arrays.copyOfRange(s.buf, s.base, s.base + p);
    return new MessageHeader(suite, messageId, context, edks, framed, (int) frameLength, raw, verificationKey,
        known != null);
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
