package dev.byok.aws.logs.internal;

import dev.byok.aws.logs.AuditMetrics;
import dev.byok.aws.logs.AuditSinkStats;
import dev.byok.aws.logs.TenantAuditHealth;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;

/**
 * The sink's counters, and the {@link AuditMetrics} told of the same changes: each method names one
 * thing that happened and updates every count it touches. {@link #snapshot} makes the
 * {@link AuditSinkStats} callers see. Written by producers (acceptance, overflow spills) and the
 * dispatcher; read from any thread.
 */
final class DeliveryStats {
  private final AuditMetrics metrics;
  private final LongAdder queued = new LongAdder();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong possibleDuplicates = new AtomicLong();
  private final AtomicLong spilled = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong replayed = new AtomicLong();
  /** Spilled on overflow in this run. */
  private final AtomicLong overflowSpilled = new AtomicLong();
  /** Lines read back in this run from spill files this run wrote. Dispatcher-owned. */
  private long replayedOwn;
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong largestBatch = new AtomicLong();
  private volatile long lastLagMillis;
  private volatile long maxLagMillis;
  private final Map<String, String> tenantErrors = new ConcurrentHashMap<>();
  private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();

  /** One tenant's counts. */
  private static final class Tenant {
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong spilled = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong waits = new AtomicLong();
    volatile int failures;
    volatile String lastError;
  }

  private Tenant tenant(String t) {
    Tenant c = tenants.get(t);
    return c != null ? c : tenants.computeIfAbsent(t, x -> new Tenant());
  }

  DeliveryStats(AuditMetrics metrics) {
    this.metrics = metrics;
  }

  /** An event was taken into memory by {@code emit}. */
  void accepted() {
    queued.increment();
  }

  /** An accepted event was taken back: the sink closed before the dispatcher saw it. */
  void acceptanceWithdrawn() {
    queued.decrement();
  }

  /** An event of {@code tenant} went to its spill file: its share or memory was full, or it requires a durable record. */
  void spilledOnOverflow(String tenant) {
    tenant(tenant).spilled.incrementAndGet();
    spilled.incrementAndGet();
    overflowSpilled.incrementAndGet();
    metrics.spilled(1);
  }

  /** Events left undelivered at close went to the spill file. */
  void spilledAtClose(long events) {
    spilled.addAndGet(events);
    if (events > 0) {
      metrics.spilled(events);
    }
  }

  /**
   * Events were read back from a spill file.
   *
   * @param events the audit events among the lines read
   * @param ownLines the lines read, if the file was written in this run; else 0
   */
  void replayed(int events, int ownLines) {
    replayed.addAndGet(events);
    replayedOwn += ownLines;
    if (events > 0) {
      metrics.replayed(events);
    }
  }

  /** The service stored {@code events} of a batch of {@code batchBytes}, {@code lagMillis} after its oldest event. */
  void batchStored(int events, long batchBytes, long lagMillis) {
    delivered.addAndGet(events);
    batches.incrementAndGet();
    bytes.addAndGet(batchBytes);
    largestBatch.accumulateAndGet(batchBytes, Math::max);
    lastLagMillis = lagMillis;
    if (lagMillis > maxLagMillis) {
      maxLagMillis = lagMillis;
    }
    metrics.delivered(events, batchBytes, Duration.ofMillis(lagMillis));
  }

  /** A failed batch's events are queued again. */
  void batchRetried(int events) {
    retried.addAndGet(events);
    metrics.retried(events);
  }

  /** One event the service refused for its time is sent again stamped with the time of sending (it may be stored twice). */
  void resentStampedNow() {
    retried.incrementAndGet();
    possibleDuplicates.incrementAndGet();
  }

  /** Events are sent again after an attempt the service may have stored anyway. */
  void possibleDuplicates(long events) {
    possibleDuplicates.addAndGet(events);
  }

  /** A producer of {@code tenant} had to wait for room in its share (overflow policy BLOCK). */
  void producerWaited(String tenant) {
    tenant(tenant).waits.incrementAndGet();
  }

  /** The service stored {@code events} of {@code tenant}. */
  void tenantDelivered(String tenant, int events) {
    tenant(tenant).delivered.addAndGet(events);
  }

  /** A tenant's channel was made (its first event in this run): reported healthy until a delivery fails. */
  void tenantSeen(String tenant) {
    tenant(tenant);
    metrics.tenantHealth(tenant, true);
  }

  /** An event of {@code tenant} was refused for good. */
  void rejected(String tenant) {
    tenant(tenant).rejected.incrementAndGet();
    rejected.incrementAndGet();
    metrics.rejected(1);
  }

  /** Delivery to {@code tenant} is failing with {@code message}, {@code failures} attempts in a row. */
  void tenantFailing(String tenant, String message, int failures) {
    Tenant t = tenant(tenant);
    boolean wasHealthy = t.failures == 0;
    t.failures = failures;
    t.lastError = message;
    tenantErrors.put(tenant, message);
    if (wasHealthy) {
      metrics.tenantHealth(tenant, false);
    }
  }

  /** Delivery to {@code tenant} works again. */
  void tenantRecovered(String tenant) {
    Tenant t = tenant(tenant);
    boolean wasFailing = t.failures > 0;
    t.failures = 0;
    t.lastError = null;
    tenantErrors.remove(tenant);
    if (wasFailing) {
      metrics.tenantHealth(tenant, true);
    }
  }

  /** Events spilled on overflow in this run and not read back in it: still in spill files, so undelivered. */
  long spilledOnOverflowNotReplayed() {
    return Math.max(0, overflowSpilled.get() - replayedOwn);
  }

  /** The counters now, with {@code pending} events in memory, {@code pendingOf} of each tenant. */
  AuditSinkStats snapshot(long pending, ToLongFunction<String> pendingOf) {
    Map<String, TenantAuditHealth> health = new HashMap<>();
    tenants.forEach((name, t) -> {
      int failures = t.failures;
      health.put(name, new TenantAuditHealth(failures == 0, pendingOf.applyAsLong(name), t.delivered.get(),
          t.spilled.get(), t.rejected.get(), t.waits.get(), failures, failures == 0 ? null : t.lastError));
    });
    return new AuditSinkStats(queued.sum(), replayed.get(), delivered.get(), retried.get(), possibleDuplicates.get(),
        spilled.get(), rejected.get(), pending, batches.get(), bytes.get(), largestBatch.get(),
        Duration.ofMillis(lastLagMillis), Duration.ofMillis(maxLagMillis), Map.copyOf(tenantErrors), health);
  }

  /** The counters now, with {@code pending} events in memory and no per-tenant pending counts (tests). */
  AuditSinkStats snapshot(long pending) {
    return snapshot(pending, t -> 0);
  }
}
