package dev.byok.provisioning;

import java.time.Duration;
import java.util.Objects;

/**
 * How long apply waits for IAM's eventual consistency (propagation): a principal (a role just
 * created, or a vendor account seen for the first time) may be reported as invalid for some
 * seconds. Such calls are retried with exponential backoff, {@link #initialBackoff()} doubling up to
 * {@link #maxBackoff()}, at most {@link #maxAttempts()} attempts in all. Other AWS errors are
 * retried by the SDK's own retry strategy, not here.
 *
 * <pre>{@code
 * PropagationRetry quick = PropagationRetry.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(200)).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class PropagationRetry {
  /** 8 attempts, 1 s doubling to 16 s: about a minute in all. */
  public static final PropagationRetry DEFAULT = builder().build();

  private static final int MAX_ATTEMPTS_LIMIT = 100;

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Sleeper sleeper;

  private PropagationRetry(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.sleeper = b.sleeper;
  }

  /** A builder with the defaults of {@link #DEFAULT}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Attempts in all, the first included. */
  public int maxAttempts() { return maxAttempts; }

  /** The wait after the first failed attempt. */
  public Duration initialBackoff() { return initialBackoff; }

  /** The longest wait between two attempts. */
  public Duration maxBackoff() { return maxBackoff; }

  /** What waits between attempts. */
  public Sleeper sleeper() { return sleeper; }

  /** The wait before attempt {@code attempt + 1}, after {@code attempt} (1-based) failed. */
  public Duration backoff(int attempt) {
    Duration d = initialBackoff;
    for (int i = 1; i < attempt && d.compareTo(maxBackoff) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
  }

  @Override
  public String toString() {
    return "PropagationRetry{maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff + "}";
  }

  /**
   * Builds a {@link PropagationRetry}. Each setter checks its value and may be called once
   * ({@link IllegalStateException} on a second call); {@link #build()} checks that the maximum
   * backoff is not shorter than the initial one. Every value has a default.
   */
  public static final class Builder {
    private int maxAttempts = 8;
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(16);
    private Sleeper sleeper = Sleeper.SYSTEM;
    private final Once once = new Once("retry");

    private Builder() {}

    /** Attempts in all, 1-100; default 8. */
    public Builder maxAttempts(int v) {
      if (v < 1 || v > MAX_ATTEMPTS_LIMIT) {
        throw new IllegalArgumentException("retry: maxAttempts must be 1-100, got " + v);
      }
      once.set("maxAttempts");
      this.maxAttempts = v;
      return this;
    }

    /** The first wait, zero or positive; default 1 s. */
    public Builder initialBackoff(Duration v) {
      if (v == null || v.isNegative()) {
        throw new IllegalArgumentException("retry: initialBackoff must be zero or positive, got " + v);
      }
      once.set("initialBackoff");
      this.initialBackoff = v;
      return this;
    }

    /** The longest wait, zero or positive; default 16 s. */
    public Builder maxBackoff(Duration v) {
      if (v == null || v.isNegative()) {
        throw new IllegalArgumentException("retry: maxBackoff must be zero or positive, got " + v);
      }
      once.set("maxBackoff");
      this.maxBackoff = v;
      return this;
    }

    /** What waits; default {@link Sleeper#SYSTEM}. Tests pass one that records the waits. */
    public Builder sleeper(Sleeper v) {
      Objects.requireNonNull(v, "sleeper");
      once.set("sleeper");
      this.sleeper = v;
      return this;
    }

    /**
     * Builds the policy.
     *
     * @throws IllegalArgumentException when the maximum backoff is shorter than the initial one
     */
    public PropagationRetry build() {
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException("retry: maxBackoff " + maxBackoff + " is shorter than initialBackoff " + initialBackoff);
      }
      return new PropagationRetry(this);
    }
  }
}
