package dev.byok.core;

import dev.byok.core.internal.ContextWireFormat;
import dev.byok.core.internal.Strings;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An AWS encryption context: non-secret key-value pairs bound to a message (authenticated in its
 * header, sent to KMS with every data-key call, visible in the customer's CloudTrail and usable in
 * key-policy conditions). Immutable; validated at construction; thread-safe.
 *
 * <p>The pairs are kept in the canonical order of the AWS Encryption SDK message format (ascending
 * by the UTF-8 bytes of the key), which {@link #asMap()} iterates in. The serialized context (a
 * UInt16 pair count, then each key and value with a UInt16 length) may take at most
 * {@value #MAX_SERIALIZED_BYTES} bytes; a larger context is refused here rather than when a message
 * is written.
 *
 * <p>Keys starting with {@value #RESERVED_PREFIX} are reserved for the message format itself (for
 * example the signing suite's public key) and are refused from callers; contexts read from a
 * message may carry them, and {@link #withoutReserved()} drops them.
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

  static {
    // The message format (byok-crypto) and the embedded key service (byok-local) read the canonical
    // serialization through this; it is not public API.
    ContextWireFormat.install(new ContextWireFormat.Access() {
      @Override
      public byte[] serialized(EncryptionContext context) {
        return context.serialized;
      }

      @Override
      public EncryptionContext fromCanonical(Map<String, String> orderedPairs, byte[] serialized) {
        return orderedPairs.isEmpty() ? EMPTY
            : new EncryptionContext(Collections.unmodifiableMap(orderedPairs), serialized);
      }
    });
  }

  private final Map<String, String> pairs; // insertion order = canonical order
  private final byte[] serialized;
  private final int hash;

  private EncryptionContext(Map<String, String> pairs, byte[] serialized) {
    this.pairs = pairs;
    this.serialized = serialized;
    this.hash = Arrays.hashCode(serialized);
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
    return ContextWireFormat.canonical(pairs);
  }

  /** A context of one pair; see {@link #of(Map)}. */
  public static EncryptionContext of(String key, String value) {
    return of(Map.of(key, value));
  }

  /** A builder; pairs may be added in any order. */
  public static Builder builder() {
    return new Builder();
  }

  /** The pairs in canonical order, unmodifiable. */
  public Map<String, String> asMap() {
    return pairs;
  }

  /** The value of {@code key}, or {@code null}. */
  public @Nullable String get(String key) {
    return pairs.get(key);
  }

  /** The number of pairs. */
  public int size() {
    return pairs.size();
  }

  /** Whether there are no pairs. */
  public boolean isEmpty() {
    return pairs.isEmpty();
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
    return ContextWireFormat.canonical(m);
  }

  /** Equal when the pairs are equal. */
  @Override
  public boolean equals(@Nullable Object o) {
    return o == this || o instanceof EncryptionContext && ((EncryptionContext) o).hash == hash
        && Arrays.equals(((EncryptionContext) o).serialized, serialized);
  }

  /** Computed once. */
  @Override
  public int hashCode() {
    return hash;
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

    /**
     * Adds a pair.
     *
     * @throws IllegalStateException if {@code key} was already given a value
     */
    public Builder put(String key, String value) {
      if (pairs.containsKey(key)) {
        throw new IllegalStateException("encryption context: key '" + Strings.printable(key) + "' given twice");
      }
      pairs.put(key, value);
      return this;
    }

    /**
     * Builds the context.
     *
     * @throws IllegalArgumentException as {@link EncryptionContext#of(Map)} does
     */
    public EncryptionContext build() {
      return of(pairs);
    }
  }
}
