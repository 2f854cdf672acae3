package dev.byok.core;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An AWS encryption context: non-secret key-value pairs bound to a message (authenticated in its
 * header, sent to KMS with every data-key call, visible in the customer's CloudTrail and usable in
 * key-policy conditions). Immutable; validated at construction; thread-safe.
 *
 * <p>Canonical serialization, as in the AWS Encryption SDK message format: an empty context is
 * zero bytes; otherwise a UInt16 pair count, then for each pair in ascending order of the UTF-8
 * bytes of its key: UInt16 key length, key, UInt16 value length, value (UTF-8). The whole
 * serialization is at most {@value #MAX_SERIALIZED_BYTES} bytes.
 *
 * <p>Keys starting with {@value #RESERVED_PREFIX} are reserved for the format itself (for example
 * the signing suite's public key) and are rejected from callers; {@link #deserialize} accepts them
 * because messages carry them.
 *
 * <p>Keep it to the scope of the data (tenant, data class), never a per-record ID: the context is
 * also the data-key cache partition, so a context per record costs a KMS call per record.
 *
 * <p>{@code EncryptionContext.of(Map.of("tenant", "acme", "data-class", "messages"))}
 */
public final class EncryptionContext {
  /** The most bytes the serialized context may take (the message header's UInt16 AAD length). */
  public static final int MAX_SERIALIZED_BYTES = 65_535;
  /** Keys with this prefix are reserved for the message format. */
  public static final String RESERVED_PREFIX = "aws-crypto-";

  private static final EncryptionContext EMPTY = new EncryptionContext(Collections.emptyMap(), new byte[0]);
  private static final Comparator<byte[]> UNSIGNED_BYTES = Arrays::compareUnsigned;

  private final Map<String, String> pairs; // insertion order = canonical order
  private final byte[] serialized;

  private EncryptionContext(Map<String, String> pairs, byte[] serialized) {
    this.pairs = pairs;
    this.serialized = serialized;
  }

  /** The empty context. */
  public static EncryptionContext empty() {
    return EMPTY;
  }

  /**
   * A context of the given pairs.
   *
   * @throws IllegalArgumentException naming the pair and the rule: a null or empty key, a null
   *     value, a key with the reserved prefix, a string that is not valid Unicode, or a
   *     serialization over 65,535 bytes
   */
  public static EncryptionContext of(Map<String, String> pairs) {
    Objects.requireNonNull(pairs, "pairs");
    for (Map.Entry<String, String> e : pairs.entrySet()) {
      String k = e.getKey();
      if (k == null || k.isEmpty()) {
        throw new IllegalArgumentException("encryption context: keys must be non-empty strings");
      }
      if (k.startsWith(RESERVED_PREFIX)) {
        throw new IllegalArgumentException("encryption context: key '" + Strings.printable(k)
            + "' uses the reserved prefix '" + RESERVED_PREFIX + "'");
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException("encryption context: value of key '" + Strings.printable(k) + "' is null");
      }
    }
    return build(pairs);
  }

  /** A context of one pair; see {@link #of(Map)}. */
  public static EncryptionContext of(String key, String value) {
    return of(Map.of(key, value));
  }

  /** A builder; pairs may be added in any order. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads a canonical serialization, as found in a message header. Accepts reserved keys.
   *
   * @throws IllegalArgumentException if the bytes are not a well-formed serialization (count,
   *     lengths past the end, trailing bytes, duplicate keys, invalid UTF-8)
   */
  public static EncryptionContext deserialize(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    if (length == 0) {
      return EMPTY;
    }
    if (length > MAX_SERIALIZED_BYTES) {
      throw new IllegalArgumentException("encryption context: serialization longer than " + MAX_SERIALIZED_BYTES + " bytes");
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
    EncryptionContext parsed = build(map);
    return parsed;
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

  private static EncryptionContext build(Map<String, String> pairs) {
    if (pairs.isEmpty()) {
      return EMPTY;
    }
    if (pairs.size() > 0xFFFF) {
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
      if (k.length > 0xFFFF || v.length > 0xFFFF) {
        throw new IllegalArgumentException("encryption context: pair with key '" + Strings.printable(e.getKey())
            + "' is longer than 65,535 bytes");
      }
      total += 4L + k.length + v.length;
      sorted.put(k, v);
      strings.put(k, new String[] {e.getKey(), e.getValue()});
    }
    if (total > MAX_SERIALIZED_BYTES) {
      throw new IllegalArgumentException("encryption context: serializes to " + total
          + " bytes, more than the limit of " + MAX_SERIALIZED_BYTES);
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
    return new EncryptionContext(Collections.unmodifiableMap(ordered), out.array());
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

  /** The pairs in canonical order, unmodifiable. */
  public Map<String, String> asMap() {
    return pairs;
  }

  /** The value of {@code key}, or {@code null}. */
  public String get(String key) {
    return pairs.get(key);
  }

  public int size() {
    return pairs.size();
  }

  public boolean isEmpty() {
    return pairs.isEmpty();
  }

  /** A copy of the canonical serialization (zero bytes for the empty context). */
  public byte[] serialize() {
    return serialized.clone();
  }

  /** The length of {@link #serialize()} without copying it. */
  public int serializedLength() {
    return serialized.length;
  }

  /** Copies the canonical serialization into {@code dest} at {@code offset}. */
  public void serializeInto(byte[] dest, int offset) {
    System.arraycopy(serialized, 0, dest, offset, serialized.length);
  }

  /** Whether every pair of {@code required} is present here with the same value. */
  public boolean containsAll(EncryptionContext required) {
    for (Map.Entry<String, String> e : required.pairs.entrySet()) {
      if (!e.getValue().equals(pairs.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** This context without the reserved {@code aws-crypto-} pairs (what callers see and supply). */
  public EncryptionContext withoutReserved() {
    boolean any = false;
    for (String k : pairs.keySet()) {
      any |= k.startsWith(RESERVED_PREFIX);
    }
    if (!any) {
      return this;
    }
    Map<String, String> m = new LinkedHashMap<>(pairs);
    m.keySet().removeIf(k -> k.startsWith(RESERVED_PREFIX));
    return build(m);
  }

  /**
   * This context plus one reserved pair (for the message format's own use, e.g. the signing key).
   */
  public EncryptionContext withReserved(String key, String value) {
    if (!key.startsWith(RESERVED_PREFIX)) {
      throw new IllegalArgumentException("encryption context: '" + Strings.printable(key) + "' is not a reserved key");
    }
    Map<String, String> m = new LinkedHashMap<>(pairs);
    m.put(key, value);
    return build(m);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncryptionContext && Arrays.equals(((EncryptionContext) o).serialized, serialized);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(serialized);
  }

  /** The pairs (not secret: they are visible in the customer's CloudTrail). */
  @Override
  public String toString() {
    return pairs.toString();
  }

  /** Builds an {@link EncryptionContext}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, String> pairs = new LinkedHashMap<>();

    private Builder() {}

    /** Adds a pair; a second value for the same key is an error. */
    public Builder put(String key, String value) {
      if (pairs.containsKey(key)) {
        throw new IllegalArgumentException("encryption context: key '" + Strings.printable(key) + "' given twice");
      }
      pairs.put(key, value);
      return this;
    }

    public EncryptionContext build() {
      return of(pairs);
    }
  }
}
