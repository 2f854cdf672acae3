package dev.byok.aws.logs.internal;

import dev.byok.aws.logs.OverflowPolicy;
import dev.byok.core.audit.KeyUseEvent;
import dev.byok.core.internal.EventJson;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Where events enter: {@link #offer} on the producer's thread. Memory is bounded twice: all events
 * in memory not yet delivered ({@code pending}, at most {@code maxQueuedEvents}) and each tenant's
 * share of them ({@link TenantShare}, at most {@code maxQueuedEventsPerTenant}). A tenant past its
 * share (or when memory is full) is handled by the {@link OverflowPolicy}, for that tenant's events
 * only: they go to that tenant's own spill files, or its producers wait. So a tenant whose
 * destination fails fills its own share, never the others' room.
 *
 * <p>A tenant that requires a durable audit record ({@code requireDurableAudit}) never waits and
 * never has an event held only in memory past its share or while its delivery fails: the event is
 * written to its spill file and forced to disk before {@code offer} returns, or {@code offer} throws
 * and the key use fails, for that tenant only.
 *
 * <p>Also holds the sink's open/closing/closed state: an event is either accepted or its producer
 * gets an exception, never dropped. Thread-safe. The fast path is lock-free: two counter increments
 * and one queue insert.
 */
final class Intake {
  private static final int OPEN = 0;
  private static final int CLOSING = 1;
  private static final int SEALED = 2;
  private static final int WAKE_EVERY_MASK = 1023;
  private static final long BLOCK_PARK_NANOS = 200_000;

  /** One tenant's part of memory, and whether its delivery is failing now. */
  static final class TenantShare {
    final String tenant;
    final boolean durableRequired;
    /** This tenant's events in memory not yet delivered. */
    final AtomicLong pending = new AtomicLong();
    /** Set by the dispatcher while the tenant's delivery fails. */
    volatile boolean failing;

    TenantShare(String tenant, boolean durableRequired) {
      this.tenant = tenant;
      this.durableRequired = durableRequired;
    }
  }

  private final int capacity;
  private final int share;
  private final OverflowPolicy policy;
  private final SpillStore spill;
  private final DeliveryStats stats;
  private final Wakeup wakeup;
  private final Predicate<String> durableRequired;
  private final Map<String, TenantShare> shares = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<KeyUseEvent> inbox = new ConcurrentLinkedQueue<>();
  /** Events in memory not yet delivered: queued, buffered, in flight, read back from spill files. */
  private final AtomicLong pending = new AtomicLong();
  private volatile int state = OPEN;
  private volatile boolean spillFailureLogged;

  /** @param spill the spill store, or {@code null} for none */
  Intake(int capacity, OverflowPolicy policy, SpillStore spill, DeliveryStats stats, Wakeup wakeup) {
    this(capacity, capacity, policy, spill, stats, wakeup, t -> false);
  }

  /**
   * @param capacity events in memory at most
   * @param share events of one tenant in memory at most
   * @param spill the spill store, or {@code null} for none
   * @param durableRequired the tenants that require a durable audit record
   */
  Intake(int capacity, int share, OverflowPolicy policy, SpillStore spill, DeliveryStats stats, Wakeup wakeup,
      Predicate<String> durableRequired) {
    this.capacity = capacity;
    this.share = Math.min(share, capacity);
    this.policy = policy;
    this.spill = spill;
    this.stats = stats;
    this.wakeup = wakeup;
    this.durableRequired = durableRequired;
  }

  /** The share of {@code tenant}, made on first use. */
  TenantShare share(String tenant) {
    TenantShare s = shares.get(tenant);
    return s != null ? s : shares.computeIfAbsent(tenant, t -> new TenantShare(t, durableRequired.test(t)));
  }

  /**
   * Accepts one event. When its tenant's share or memory is full, follows the overflow policy.
   *
   * @throws IllegalStateException naming the event, when the sink is closed, the waiting producer is
   *     interrupted, or a tenant that requires a durable record cannot have one
   */
  void offer(KeyUseEvent e) {
    if (state != OPEN) {
      throw closed(e);
    }
    TenantShare s = share(e.tenant());
    if (s.durableRequired && s.failing) {
      keepDurably(e, s, "its delivery is failing");
      return;
    }
    long p = reserve(s);
    if (p < 0) {
      overflow(e, s);
      return;
    }
    enqueue(e, s, p);
  }

  /** Takes room for one event of {@code s}: the position in memory, or -1 when its share or memory is full. */
  private long reserve(TenantShare s) {
    if (s.pending.getAndIncrement() >= share) {
      s.pending.getAndDecrement();
      return -1;
    }
    long p = pending.getAndIncrement();
    if (p >= capacity) {
      pending.getAndDecrement();
      s.pending.getAndDecrement();
      return -1;
    }
    return p;
  }

  private void enqueue(KeyUseEvent e, TenantShare s, long position) {
    inbox.offer(e);
    stats.accepted();
    if (state == SEALED && inbox.remove(e)) {
      // Raced with close after its last drain: not accepted, and the caller is told.
      pending.decrementAndGet();
      s.pending.decrementAndGet();
      stats.acceptanceWithdrawn();
      throw closed(e);
    }
    if ((position & WAKE_EVERY_MASK) == WAKE_EVERY_MASK) {
      wakeup.wake();
    }
  }

  private void keepDurably(KeyUseEvent e, TenantShare s, String why) {
    if (spill == null) {
      throw new IllegalStateException("audit event " + e.eventId() + " of tenant '" + EventJson.wellFormed(s.tenant)
          + "' was not accepted: the tenant requires a durable audit record, " + why + ", and the sink has no spill directory");
    }
    try {
      spill.append(e, true);
    } catch (IOException | RuntimeException ex) {
      throw new IllegalStateException("audit event " + e.eventId() + " of tenant '" + EventJson.wellFormed(s.tenant)
          + "' was not accepted: the tenant requires a durable audit record, " + why + ", and the spill directory "
          + spill.directory() + " cannot be written (" + ex.getMessage() + ")", ex);
    }
    stats.spilledOnOverflow(s.tenant);
  }

  private void overflow(KeyUseEvent e, TenantShare s) {
    if (s.durableRequired) {
      keepDurably(e, s, "its share of memory is full");
      return;
    }
    if (policy == OverflowPolicy.SPILL && spill != null) {
      try {
        spill.append(e);
        stats.spilledOnOverflow(s.tenant);
        return;
      } catch (IOException | RuntimeException ex) {
        if (!spillFailureLogged) {
          spillFailureLogged = true;
          DeliveryEngine.LOG.error("audit spill file in {} cannot be written ({}); producers now wait for room instead",
              spill.directory(), ex.toString());
        }
      }
    }
    wakeup.wake();
    stats.producerWaited(s.tenant);
    while (true) {
      if (state != OPEN) {
        throw closed(e);
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new IllegalStateException("interrupted while waiting for room in the audit queue of tenant '"
            + EventJson.wellFormed(s.tenant) + "'; audit event " + e.eventId() + " was not accepted",
            new InterruptedException());
      }
      LockSupport.parkNanos(this, BLOCK_PARK_NANOS);
      long p = reserve(s);
      if (p >= 0) {
        enqueue(e, s, p);
        return;
      }
    }
  }

  private static IllegalStateException closed(KeyUseEvent e) {
    return new IllegalStateException("audit sink is closed; audit event " + e.eventId() + " was not accepted");
  }

  /** The next accepted event, or {@code null} (dispatcher). */
  KeyUseEvent poll() {
    return inbox.poll();
  }

  /** Events in memory not yet delivered. */
  long pending() {
    return pending.get();
  }

  /** An event of {@code s} read back from a spill file joins those in memory (not bounded: replay checks {@link #replayRoom} first). */
  void admitReplayed(TenantShare s) {
    pending.incrementAndGet();
    s.pending.incrementAndGet();
  }

  /** {@code events} of {@code s} left memory: stored, refused for good, or kept elsewhere at close. */
  void settled(TenantShare s, long events) {
    s.pending.addAndGet(-events);
    pending.addAndGet(-events);
  }

  /**
   * How many events replay may read back now: it leaves a quarter of memory free for producers
   * (who are bounded by their shares anyway).
   */
  long replayRoom() {
    return capacity - capacity / 4 - pending.get();
  }

  /** How many events of {@code s} replay may read back now: half its share, less what it holds, within {@link #replayRoom}. */
  long replayRoom(TenantShare s) {
    return Math.min(replayRoom(), Math.max(1, share / 2) - s.pending.get());
  }

  /** Events of {@code tenant} in memory not yet delivered. */
  long pendingOf(String tenant) {
    TenantShare s = shares.get(tenant);
    return s == null ? 0 : s.pending.get();
  }

  /** Each tenant's share of memory. */
  int share() {
    return share;
  }

  /** Whether {@link #offer} still accepts events. */
  boolean isOpen() {
    return state == OPEN;
  }

  /** Stops accepting events ({@link #offer} throws from now on); delivery goes on. */
  void stopAccepting() {
    state = CLOSING;
    wakeup.wake();
  }

  /** Before the last drain at close: an event that races past it is taken back and refused. */
  void seal() {
    state = SEALED;
  }
}
