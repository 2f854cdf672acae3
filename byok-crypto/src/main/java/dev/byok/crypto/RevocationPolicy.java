package dev.byok.crypto;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How revoked keys are re-checked and how much availability an outage may buy.
 *
 * <ul>
 *   <li>{@code checkInterval}: how often a revoked key (or revoked encryption-context scope) is
 *       probed to see whether access has returned (default 30 s, at least 100 ms);
 *   <li>{@code outageGrace}: how long past {@code revalidateAfter} a cached data key may still be
 *       used while AWS KMS answers only with transient errors (throttling, 5xx, network). Zero by
 *       default: during an outage cached keys serve until the revalidation rule's hard expiry and
 *       no longer. A non-zero grace delays revocation by as much (a customer who disables the key
 *       during an outage is obeyed up to {@code outageGrace} later); it is logged at start-up and
 *       whenever it is used.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class RevocationPolicy {
  /** The smallest {@code checkInterval} allowed. */
  public static final Duration MIN_CHECK_INTERVAL = Duration.ofMillis(100);

  private static final RevocationPolicy DEFAULTS = builder().build();

  private final Duration checkInterval;
  private final Duration outageGrace;

  private RevocationPolicy(Duration checkInterval, Duration outageGrace) {
    this.checkInterval = checkInterval;
    this.outageGrace = outageGrace;
  }

  /** Check every 30 s; no outage grace. */
  public static RevocationPolicy defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** How often a revoked key or scope is probed. */
  public Duration checkInterval() {
    return checkInterval;
  }

  /** How long past {@code revalidateAfter} a cached data key may serve while KMS fails transiently. */
  public Duration outageGrace() {
    return outageGrace;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof RevocationPolicy && ((RevocationPolicy) o).checkInterval.equals(checkInterval)
        && ((RevocationPolicy) o).outageGrace.equals(outageGrace);
  }

  @Override
  public int hashCode() {
    return Objects.hash(checkInterval, outageGrace);
  }

  @Override
  public String toString() {
    return "RevocationPolicy{checkInterval=" + checkInterval + ", outageGrace=" + outageGrace + "}";
  }

  /**
   * Builds a {@link RevocationPolicy}; each setter rejects a bad value, or a second call, at once.
   * Settings not given keep their defaults. Not thread-safe.
   */
  public static final class Builder {
    private @Nullable Duration checkInterval;
    private @Nullable Duration outageGrace;

    private Builder() {}

    private static void once(@Nullable Object current, String name) {
      if (current != null) {
        throw new IllegalStateException("RevocationPolicy.Builder: " + name + " was already set");
      }
    }

    /** At least {@link #MIN_CHECK_INTERVAL}. */
    public Builder checkInterval(Duration v) {
      once(checkInterval, "checkInterval");
      Objects.requireNonNull(v, "checkInterval");
      if (v.compareTo(MIN_CHECK_INTERVAL) < 0) {
        throw new IllegalArgumentException("checkInterval: must be at least " + MIN_CHECK_INTERVAL + ", got " + v);
      }
      this.checkInterval = v;
      return this;
    }

    /** Zero or positive; see the class description before making it positive. */
    public Builder outageGrace(Duration v) {
      once(outageGrace, "outageGrace");
      Objects.requireNonNull(v, "outageGrace");
      if (v.isNegative()) {
        throw new IllegalArgumentException("outageGrace: must not be negative, got " + v);
      }
      this.outageGrace = v;
      return this;
    }

    /** The policy. */
    public RevocationPolicy build() {
      return new RevocationPolicy(checkInterval != null ? checkInterval : Duration.ofSeconds(30),
          outageGrace != null ? outageGrace : Duration.ZERO);
    }
  }
}
