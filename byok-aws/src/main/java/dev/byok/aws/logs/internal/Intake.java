package dev.byok.aws.logs.internal;

import dev.byok.aws.logs.OverflowPolicy;
import dev.byok.core.audit.KeyUseEvent;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Where events enter: {@link #offer} on the producer's thread, bounded by the count of events in
 * memory not yet delivered ({@code pending}, at most {@code maxQueuedEvents}), with the
 * {@link OverflowPolicy} applied when full. Also holds the sink's open/closing/closed state: an
 * event is either accepted or its producer gets an exception, never dropped.
 *
 * <p>Thread-safe. The fast path is lock-free: one counter increment and one queue insert.
 */
final class Intake {
  private static final int OPEN = 0;
  private static final int CLOSING = 1;
  private static final int SEALED = 2;
  private static final int WAKE_EVERY_MASK = 1023;
  private static final long BLOCK_PARK_NANOS = 200_000;

  private final int capacity;
  private final OverflowPolicy policy;
  private final SpillStore spill;
  private final DeliveryStats stats;
  private final Wakeup wakeup;
  private final ConcurrentLinkedQueue<KeyUseEvent> inbox = new ConcurrentLinkedQueue<>();
  /** Events in memory not yet delivered: queued, buffered, in flight, read back from spill files. */
  private final AtomicLong pending = new AtomicLong();
  private volatile int state = OPEN;
  private volatile boolean spillFailureLogged;

  /** @param spill the spill store, or {@code null} for none */
  Intake(int capacity, OverflowPolicy policy, SpillStore spill, DeliveryStats stats, Wakeup wakeup) {
    this.capacity = capacity;
    this.policy = policy;
    this.spill = spill;
    this.stats = stats;
    this.wakeup = wakeup;
  }

  /**
   * Accepts one event. When memory is full, follows the overflow policy.
   *
   * @throws IllegalStateException naming the event, when the sink is closed or the waiting producer is interrupted
   */
  void offer(KeyUseEvent e) {
    if (state != OPEN) {
      throw closed(e);
    }
    long p = pending.getAndIncrement();
    if (p >= capacity) {
      pending.getAndDecrement();
      overflow(e);
      return;
    }
    enqueue(e, p);
  }

  private void enqueue(KeyUseEvent e, long position) {
    inbox.offer(e);
    stats.accepted();
    if (state == SEALED && inbox.remove(e)) {
      // Raced with close after its last drain: not accepted, and the caller is told.
      pending.decrementAndGet();
      stats.acceptanceWithdrawn();
      throw closed(e);
    }
    if ((position & WAKE_EVERY_MASK) == WAKE_EVERY_MASK) {
      wakeup.wake();
    }
  }

  private void overflow(KeyUseEvent e) {
    if (policy == OverflowPolicy.SPILL && spill != null) {
      try {
        spill.append(e);
        stats.spilledOnOverflow();
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
    while (true) {
      if (state != OPEN) {
        throw closed(e);
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new IllegalStateException("interrupted while waiting for room in the audit queue; audit event "
            + e.eventId() + " was not accepted");
      }
      LockSupport.parkNanos(this, BLOCK_PARK_NANOS);
      long p = pending.getAndIncrement();
      if (p < capacity) {
        enqueue(e, p);
        return;
      }
      pending.getAndDecrement();
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

  /** An event read back from a spill file joins those in memory (not bounded: replay checks {@link #replayRoom} first). */
  void admitReplayed() {
    pending.incrementAndGet();
  }

  /** {@code events} left memory: stored, refused for good, or kept elsewhere at close. */
  void settled(long events) {
    pending.addAndGet(-events);
  }

  /** How many events replay may read back now: it keeps three quarters of the room for producers. */
  long replayRoom() {
    return capacity / 4 - pending.get();
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
