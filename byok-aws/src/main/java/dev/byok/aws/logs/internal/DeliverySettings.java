package dev.byok.aws.logs.internal;

import dev.byok.aws.logs.AuditMetrics;
import dev.byok.aws.logs.OverflowPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the {@link DeliveryEngine} is told, made once by {@code CloudWatchLogsAuditSink.Builder}
 * (whose setters document each value) and never changed. Immutable.
 *
 * @param name the sink's name (its instance ID), for thread names
 * @param maxQueuedEvents events held in memory at most
 * @param maxQueuedEventsPerTenant events of one tenant held in memory at most (its share)
 * @param overflowPolicy what {@link Intake} does when that many are held
 * @param flushInterval how long an event may wait for a fuller batch
 * @param batchLimits what one PutLogEvents request may hold
 * @param retryBackoff the wait between attempts at a failing tenant
 * @param createMissingLogGroup whether a tenant's missing log group is created
 * @param deliveryThreads threads making AWS calls
 * @param manualDispatch no threads at all: the caller drives the dispatcher (tests)
 * @param clock the time of flush intervals, backoff and timestamps
 * @param metrics where delivery measurements go
 * @param durableAuditTenants tenants that require a durable audit record: past their share, or while
 *     their delivery fails, each event is forced to a spill file before {@code emit} returns, or
 *     {@code emit} fails
 */
public record DeliverySettings(
    String name,
    int maxQueuedEvents,
    int maxQueuedEventsPerTenant,
    OverflowPolicy overflowPolicy,
    Duration flushInterval,
    BatchLimits batchLimits,
    RetryBackoff retryBackoff,
    boolean createMissingLogGroup,
    int deliveryThreads,
    boolean manualDispatch,
    Clock clock,
    AuditMetrics metrics,
    Set<String> durableAuditTenants) {

  /** Settings with one share for all (each tenant may take the whole memory) and no tenant requiring a durable record (tests). */
  public DeliverySettings(String name, int maxQueuedEvents, OverflowPolicy overflowPolicy, Duration flushInterval,
      BatchLimits batchLimits, RetryBackoff retryBackoff, boolean createMissingLogGroup, int deliveryThreads,
      boolean manualDispatch, Clock clock, AuditMetrics metrics) {
    this(name, maxQueuedEvents, maxQueuedEvents, overflowPolicy, flushInterval, batchLimits, retryBackoff,
        createMissingLogGroup, deliveryThreads, manualDispatch, clock, metrics, Set.of());
  }

  /**
   * Checks that nothing is missing or out of range.
   *
   * @throws NullPointerException naming a missing value
   * @throws IllegalArgumentException naming a value out of range
   */
  public DeliverySettings {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(overflowPolicy, "overflowPolicy");
    Objects.requireNonNull(flushInterval, "flushInterval");
    Objects.requireNonNull(batchLimits, "batchLimits");
    Objects.requireNonNull(retryBackoff, "retryBackoff");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(metrics, "metrics");
    durableAuditTenants = Set.copyOf(Objects.requireNonNull(durableAuditTenants, "durableAuditTenants"));
    if (maxQueuedEvents < 1) {
      throw new IllegalArgumentException("maxQueuedEvents must be at least 1, got " + maxQueuedEvents);
    }
    if (maxQueuedEventsPerTenant < 1 || maxQueuedEventsPerTenant > maxQueuedEvents) {
      throw new IllegalArgumentException("maxQueuedEventsPerTenant must be 1 to maxQueuedEvents (" + maxQueuedEvents
          + "), got " + maxQueuedEventsPerTenant);
    }
    if (flushInterval.isNegative() || flushInterval.isZero()) {
      throw new IllegalArgumentException("flushInterval must be positive, got " + flushInterval);
    }
    if (deliveryThreads < 1) {
      throw new IllegalArgumentException("deliveryThreads must be at least 1, got " + deliveryThreads);
    }
  }
}
