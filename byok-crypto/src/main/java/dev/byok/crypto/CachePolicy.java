package dev.byok.crypto;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How long and how much a cached data key may be used, with the semantics of the AWS Encryption
 * SDK's caching materials manager, plus byok's revalidation rule.
 *
 * <ul>
 *   <li>{@code maxAge}: a data key is not used once this old (default 5 minutes);
 *   <li>{@code maxMessages}: a data key encrypts at most this many messages (default 2^32, the
 *       ESDK's limit);
 *   <li>{@code maxBytes}: a data key encrypts at most this many plaintext bytes in total (default
 *       {@link Long#MAX_VALUE}); a single message larger than this is encrypted under a fresh,
 *       uncached data key;
 *   <li>a use that would exceed {@code maxMessages} or {@code maxBytes} retires the entry and gets a
 *       fresh data key; the limits are exact, never exceeded under concurrency;
 *   <li>{@code revalidateAfter}: no cached data key is used more than this long after AWS KMS last
 *       confirmed access to its customer key and encryption context (default 60 s, at least 1 s).
 *       One KMS call confirms every cached key of that key and context; keys in use are
 *       re-confirmed in the background, one call per key and context, at a point drawn from [75%,
 *       80%) of it; this bounds revocation latency;
 *   <li>{@code maxEntries}: entries per cache (encrypt side and decrypt side each; default 10,000).
 * </ul>
 *
 * <p>The encryption context is the cache partition: keep it to the scope of the data (tenant,
 * data class), never a per-record ID, or every record costs a KMS call.
 *
 * <p>Immutable and thread-safe. {@code CachePolicy.builder().maxAge(Duration.ofMinutes(5)).build()}
 */
public final class CachePolicy {
  /** The smallest {@code revalidateAfter} allowed. */
  public static final Duration MIN_REVALIDATE_AFTER = Duration.ofSeconds(1);
  /** The largest number of messages one data key may encrypt (the ESDK's limit). */
  public static final long MAX_MESSAGES_LIMIT = 1L << 32;

  private static final CachePolicy DEFAULTS = builder().build();

  private final Duration maxAge;
  private final long maxMessages;
  private final long maxBytes;
  private final Duration revalidateAfter;
  private final long maxEntries;

  private CachePolicy(Builder b) {
    this.maxAge = b.maxAge;
    this.maxMessages = b.maxMessages;
    this.maxBytes = b.maxBytes;
    this.revalidateAfter = b.revalidateAfter;
    this.maxEntries = b.maxEntries;
  }

  /** The defaults: 5 minutes, 2^32 messages, unlimited bytes, revalidate after 60 s, 10,000 entries. */
  public static CachePolicy defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy; each setting may be set once more. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxAge = maxAge;
    b.maxMessages = maxMessages;
    b.maxBytes = maxBytes;
    b.revalidateAfter = revalidateAfter;
    b.maxEntries = maxEntries;
    return b;
  }

  /** A data key is not used once this old. */
  public Duration maxAge() {
    return maxAge;
  }

  /** The most messages one data key encrypts. */
  public long maxMessages() {
    return maxMessages;
  }

  /** The most plaintext bytes one data key encrypts in total. */
  public long maxBytes() {
    return maxBytes;
  }

  /** No cached data key is used longer than this after KMS last confirmed access to it. */
  public Duration revalidateAfter() {
    return revalidateAfter;
  }

  /** Entries per cache (encrypt side and decrypt side each). */
  public long maxEntries() {
    return maxEntries;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof CachePolicy)) {
      return false;
    }
    CachePolicy p = (CachePolicy) o;
    return maxAge.equals(p.maxAge) && maxMessages == p.maxMessages && maxBytes == p.maxBytes
        && revalidateAfter.equals(p.revalidateAfter) && maxEntries == p.maxEntries;
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxAge, maxMessages, maxBytes, revalidateAfter, maxEntries);
  }

  @Override
  public String toString() {
    return "CachePolicy{maxAge=" + maxAge + ", maxMessages=" + maxMessages + ", maxBytes=" + maxBytes
        + ", revalidateAfter=" + revalidateAfter + ", maxEntries=" + maxEntries + "}";
  }

  /**
   * Builds a {@link CachePolicy}; each setter rejects a bad value, or a second call, at once.
   * Settings not given keep their defaults. Not thread-safe.
   */
  public static final class Builder {
    private Duration maxAge = Duration.ofMinutes(5);
    private long maxMessages = MAX_MESSAGES_LIMIT;
    private long maxBytes = Long.MAX_VALUE;
    private Duration revalidateAfter = Duration.ofSeconds(60);
    private long maxEntries = 10_000;
    private final java.util.Set<String> set = new java.util.HashSet<>();

    private Builder() {}

    private void once(String name) {
      if (!set.add(name)) {
        throw new IllegalStateException("CachePolicy.Builder: " + name + " was already set");
      }
    }

    /** Positive. */
    public Builder maxAge(Duration v) {
      once("maxAge");
      Objects.requireNonNull(v, "maxAge");
      if (v.isZero() || v.isNegative()) {
        throw new IllegalArgumentException("maxAge: must be positive, got " + v);
      }
      this.maxAge = v;
      return this;
    }

    /** 1 to 2^32. */
    public Builder maxMessages(long v) {
      once("maxMessages");
      if (v < 1 || v > MAX_MESSAGES_LIMIT) {
        throw new IllegalArgumentException("maxMessages: must be 1 to 2^32, got " + v);
      }
      this.maxMessages = v;
      return this;
    }

    /** Positive. */
    public Builder maxBytes(long v) {
      once("maxBytes");
      if (v < 1) {
        throw new IllegalArgumentException("maxBytes: must be positive, got " + v);
      }
      this.maxBytes = v;
      return this;
    }

    /** At least {@link #MIN_REVALIDATE_AFTER} (1 s). */
    public Builder revalidateAfter(Duration v) {
      once("revalidateAfter");
      Objects.requireNonNull(v, "revalidateAfter");
      if (v.compareTo(MIN_REVALIDATE_AFTER) < 0) {
        throw new IllegalArgumentException("revalidateAfter: must be at least " + MIN_REVALIDATE_AFTER + ", got " + v);
      }
      this.revalidateAfter = v;
      return this;
    }

    /** Positive. */
    public Builder maxEntries(long v) {
      once("maxEntries");
      if (v < 1) {
        throw new IllegalArgumentException("maxEntries: must be positive, got " + v);
      }
      this.maxEntries = v;
      return this;
    }

    /** The policy. */
    public CachePolicy build() {
      return new CachePolicy(this);
    }
  }
}
