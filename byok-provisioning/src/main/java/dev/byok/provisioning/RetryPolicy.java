package dev.byok.provisioning;

import java.time.Duration;
import java.util.Objects;

/**
 * How long apply waits for IAM's eventual consistency: a principal (a role just created, or a
 * vendor account seen for the first time) may be reported as invalid for some seconds. Such calls
 * are retried with exponential backoff, {@link #initialBackoff()} doubling up to
 * {@link #maxBackoff()}, at most {@link #maxAttempts()} attempts in all. Other AWS errors are
 * retried by the SDK's own retry strategy, not here.
 *
 * <p>Immutable and thread-safe.
 */
public final class RetryPolicy {
  /** 8 attempts, 1 s doubling to 16 s: about a minute in all. */
  public static final RetryPolicy DEFAULT = builder().build();

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Sleeper sleeper;

  private RetryPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.sleeper = b.sleeper;
  }

  public static Builder builder() {
    return new Builder();
  }

  public int maxAttempts() { return maxAttempts; }
  public Duration initialBackoff() { return initialBackoff; }
  public Duration maxBackoff() { return maxBackoff; }
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
    return "RetryPolicy{maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff + "}";
  }

  /** Builds a {@link RetryPolicy}; each setter checks its value. */
  public static final class Builder {
    private int maxAttempts = 8;
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(16);
    private Sleeper sleeper = Sleeper.SYSTEM;

    private Builder() {}

    public Builder maxAttempts(int v) {
      if (v < 1 || v > 100) {
        throw new IllegalArgumentException("retry: maxAttempts must be 1-100, got " + v);
      }
      this.maxAttempts = v;
      return this;
    }

    public Builder initialBackoff(Duration v) {
      if (v == null || v.isNegative()) {
        throw new IllegalArgumentException("retry: initialBackoff must be zero or positive, got " + v);
      }
      this.initialBackoff = v;
      return this;
    }

    public Builder maxBackoff(Duration v) {
      if (v == null || v.isNegative()) {
        throw new IllegalArgumentException("retry: maxBackoff must be zero or positive, got " + v);
      }
      this.maxBackoff = v;
      return this;
    }

    public Builder sleeper(Sleeper v) {
      this.sleeper = Objects.requireNonNull(v, "sleeper");
      return this;
    }

    public RetryPolicy build() {
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException("retry: maxBackoff " + maxBackoff + " is shorter than initialBackoff " + initialBackoff);
      }
      return new RetryPolicy(this);
    }
  }
}
