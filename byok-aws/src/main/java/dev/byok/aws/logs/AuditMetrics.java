package dev.byok.aws.logs;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Receives an audit sink's delivery measurements. The sink calls it off the producer's thread (never
 * from {@code emit}), once per batch or spill, not once per event; counts that change per event
 * (queued, pending) are read from the {@link AuditSinkStats} supplier given to {@link #attach}.
 * {@link MicrometerAuditMetrics} publishes them to Micrometer; this interface itself needs no
 * Micrometer on the class path. Implementations must be thread-safe and must not throw.
 */
public interface AuditMetrics {

  /** Called once when the sink starts, with a supplier of its current counters. */
  default void attach(String sinkName, Supplier<AuditSinkStats> stats) {}

  /** A batch was stored by the service: {@code lag} is from the oldest event's time to now. */
  default void delivered(int events, long bytes, Duration lag) {}

  /** A batch failed and its events are queued again. */
  default void retried(int events) {}

  /** Events were written to the spill file. */
  default void spilled(long events) {}

  /** Events were read back from a spill file. */
  default void replayed(long events) {}

  /** Events the service refused for good; they were logged at ERROR (and written to the spill directory, if any). */
  default void rejected(long events) {}

  /**
   * A tenant's delivery became healthy ({@code true}: also when the sink sees the tenant first) or
   * started failing ({@code false}). Called on changes only, off the producer's thread.
   */
  default void tenantHealth(String tenant, boolean healthy) {}

  /** Metrics that go nowhere. */
  static AuditMetrics none() {
    return new AuditMetrics() { };
  }
}
