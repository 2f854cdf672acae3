package dev.byok.core.internal;

import dev.byok.core.EncryptionContext;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The canonical serialization of an {@link EncryptionContext}, as in the AWS Encryption SDK message
 * format: an empty context is zero bytes; otherwise a UInt16 pair count, then for each pair in
 * ascending order of the UTF-8 bytes of its key: UInt16 key length, key, UInt16 value length,
 * value (UTF-8). At most {@value EncryptionContext#MAX_SERIALIZED_BYTES} bytes in all.
 *
 * <p>Two byok modules need the same bytes: byok-crypto writes and reads them in the message
 * header, byok-local uses them as the AAD of its raw-AES-keyring data keys. Not public API: this
 * package is exported only to byok's own modules. Contexts made here may carry the reserved
 * {@value EncryptionContext#RESERVED_PREFIX} keys, which {@link EncryptionContext#of} refuses from
 * callers. Stateless and thread-safe.
 */
public final class ContextWireFormat {
  private static final Comparator<byte[]> UNSIGNED_BYTES = Arrays::compareUnsigned;
  private static final int MAX_PAIRS = 0xFFFF;
  private static final int MAX_PART_BYTES = 0xFFFF;

  private static volatile @Nullable Access access;

  private ContextWireFormat() {}

  /**
   * How this class reaches the non-public state of {@link EncryptionContext}. Installed once, by
   * {@code EncryptionContext} itself when it is initialized.
   */
  public interface Access {
    /** The context's serialization; not copied, must not be changed. */
    byte[] serialized(EncryptionContext context);

    /** A context of pairs already in canonical order, with their serialization (both taken over). */
    EncryptionContext fromCanonical(Map<String, String> orderedPairs, byte[] serialized);
  }

  /**
   * Called once by {@code EncryptionContext}'s static initializer.
   *
   * @throws IllegalStateException on a second call
   */
  public static synchronized void install(Access a) {
    if (access != null) {
      throw new IllegalStateException("ContextWireFormat: access already installed");
    }
    access = Objects.requireNonNull(a, "access");
  }

  private static Access access() {
    Access a = access;
    if (a == null) {
      EncryptionContext.empty(); // initializes EncryptionContext, which installs its access
      a = Objects.requireNonNull(access, "EncryptionContext did not install its access");
    }
    return a;
  }

  /** The length of the serialization of {@code context} (0 for the empty context). */
  public static int serializedLength(EncryptionContext context) {
    return access().serialized(context).length;
  }

  /** A copy of the serialization of {@code context} (zero bytes for the empty context). */
  public static byte[] serialize(EncryptionContext context) {
    return access().serialized(context).clone();
  }

  /** Copies the serialization of {@code context} into {@code dest} at {@code offset}. */
  public static void serializeInto(EncryptionContext context, byte[] dest, int offset) {
    byte[] s = access().serialized(context);
    System.arraycopy(s, 0, dest, offset, s.length);
  }

  /**
   * {@code context} plus one reserved pair (for the message format's own use, e.g. the signing key).
   *
   * @throws IllegalArgumentException if {@code key} does not start with the reserved prefix
   */
  public static EncryptionContext withReserved(EncryptionContext context, String key, String value) {
    if (!key.startsWith(EncryptionContext.RESERVED_PREFIX)) {
      throw new IllegalArgumentException("encryption context: '" + Strings.printable(key) + "' is not a reserved key");
    }
    Map<String, String> m = new LinkedHashMap<>(context.asMap());
    m.put(key, value);
    return canonical(m);
  }

  /**
   * Reads a canonical serialization, as found in a message header. Accepts reserved keys and pairs
   * in any order (they are put in canonical order).
   *
   * @throws IllegalArgumentException if the bytes are not a well-formed serialization (count,
   *     lengths past the end, trailing bytes, duplicate keys, invalid UTF-8)
   * @throws IndexOutOfBoundsException if the slice is not inside {@code bytes}
   */
  public static EncryptionContext deserialize(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    if (length == 0) {
      return EncryptionContext.empty();
    }
    if (length > EncryptionContext.MAX_SERIALIZED_BYTES) {
      throw new IllegalArgumentException("encryption context: serialization longer than "
          + EncryptionContext.MAX_SERIALIZED_BYTES + " bytes");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
    if (in.remaining() < 2) {
      throw new IllegalArgumentException("encryption context: truncated pair count");
    }
    int count = Short.toUnsignedInt(in.getShort());
    if (count == 0) {
      throw new IllegalArgumentException("encryption context: a non-empty serialization with a pair count of 0");
    }
    Map<String, String> map = new TreeMap<>();
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    for (int i = 0; i < count; i++) {
      String k = readString(in, decoder, "key of pair " + i);
      String v = readString(in, decoder, "value of pair " + i);
      if (map.put(k, v) != null) {
        throw new IllegalArgumentException("encryption context: duplicate key in pair " + i);
      }
    }
    if (in.hasRemaining()) {
      throw new IllegalArgumentException("encryption context: " + in.remaining() + " bytes after the last pair");
    }
    return canonical(map);
  }

  private static String readString(ByteBuffer in, CharsetDecoder decoder, String what) {
    if (in.remaining() < 2) {
      throw new IllegalArgumentException("encryption context: truncated length of " + what);
    }
    int len = Short.toUnsignedInt(in.getShort());
    if (in.remaining() < len) {
      throw new IllegalArgumentException("encryption context: length of " + what + " points past the end");
    }
    ByteBuffer slice = in.slice();
    slice.limit(len);
    in.position(in.position() + len);
    try {
      return decoder.decode(slice).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("encryption context: " + what + " is not valid UTF-8", e);
    }
  }

  /**
   * A context of {@code pairs} in canonical order with its serialization. Reserved keys are
   * accepted; every other rule of {@link EncryptionContext#of(Map)} holds (keys and values must be
   * valid Unicode, each at most 65,535 bytes, the whole at most 65,535 bytes).
   *
   * @throws IllegalArgumentException naming the pair and the rule
   */
  public static EncryptionContext canonical(Map<String, String> pairs) {
    if (pairs.isEmpty()) {
      return EncryptionContext.empty();
    }
    if (pairs.size() > MAX_PAIRS) {
      throw new IllegalArgumentException("encryption context: more than 65,535 pairs");
    }
    CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    TreeMap<byte[], byte[]> sorted = new TreeMap<>(UNSIGNED_BYTES);
    TreeMap<byte[], String[]> strings = new TreeMap<>(UNSIGNED_BYTES);
    long total = 2;
    for (Map.Entry<String, String> e : pairs.entrySet()) {
      byte[] k = encode(encoder, e.getKey(), "key '" + Strings.printable(e.getKey()) + "'");
      byte[] v = encode(encoder, e.getValue(), "value of key '" + Strings.printable(e.getKey()) + "'");
      if (k.length > MAX_PART_BYTES || v.length > MAX_PART_BYTES) {
        throw new IllegalArgumentException("encryption context: pair with key '" + Strings.printable(e.getKey())
            + "' is longer than 65,535 bytes");
      }
      total += 4L + k.length + v.length;
      sorted.put(k, v);
      strings.put(k, new String[] {e.getKey(), e.getValue()});
    }
    if (total > EncryptionContext.MAX_SERIALIZED_BYTES) {
      throw new IllegalArgumentException("encryption context: serializes to " + total
          + " bytes, more than the limit of " + EncryptionContext.MAX_SERIALIZED_BYTES);
    }
    ByteBuffer out = ByteBuffer.allocate((int) total);
    out.putShort((short) sorted.size());
    for (Map.Entry<byte[], byte[]> e : sorted.entrySet()) {
      out.putShort((short) e.getKey().length).put(e.getKey());
      out.putShort((short) e.getValue().length).put(e.getValue());
    }
    Map<String, String> ordered = new LinkedHashMap<>();
    for (String[] kv : strings.values()) {
      ordered.put(kv[0], kv[1]);
    }
    return access().fromCanonical(ordered, out.array());
  }

  private static byte[] encode(CharsetEncoder encoder, String s, String what) {
    try {
      ByteBuffer b = encoder.encode(CharBuffer.wrap(s));
      byte[] out = new byte[b.remaining()];
      b.get(out);
      return out;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("encryption context: " + what + " is not valid Unicode (unpaired surrogate)", e);
    }
  }
}
