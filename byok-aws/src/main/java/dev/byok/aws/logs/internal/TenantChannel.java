package dev.byok.aws.logs.internal;

import java.util.PriorityQueue;

/**
 * One tenant's buffer and delivery state. The dispatcher thread owns the buffer and the retry
 * fields; the delivery thread owns {@code destination} and {@code streamReady}, and at most one
 * delivery runs per tenant at a time (handed over through the executor and the completion queue).
 */
final class TenantChannel {
  final String tenant;
  /** The tenant's share of memory in the {@link Intake}. */
  final Intake.TenantShare share;
  /** The tenant's part of its spill files' names ({@link SpillStore#tenantKey}). */
  final String spillKey;
  /** A buffer this full is sent without waiting for the interval: half the tenant's share, at most a batch. */
  final int dueAt;
  final PriorityQueue<PreparedEvent> buffer = new PriorityQueue<>(PreparedEvent.BY_TIME);
  long bufferedBytes;
  /** When the oldest data still in the buffer arrived; -1 when empty. */
  long oldestArrivalMillis = -1;
  /** Holds events back from a failed attempt: due as soon as the backoff allows. */
  boolean retryDue;
  boolean inFlight;
  long notBeforeMillis;
  int failures;
  String lastError;
  int batchCap;

  // delivery-thread state
  Destinations.Destination destination;
  boolean streamReady;

  TenantChannel(String tenant, int batchCap, Intake.TenantShare share, int shareEvents) {
    this.tenant = tenant;
    this.batchCap = batchCap;
    this.share = share;
    this.spillKey = SpillStore.tenantKey(tenant);
    this.dueAt = Math.max(1, shareEvents / 2);
  }

  void add(PreparedEvent e, long nowMillis) {
    if (buffer.isEmpty()) {
      oldestArrivalMillis = nowMillis;
    }
    buffer.add(e);
    bufferedBytes += e.bytes + BatchLimits.EVENT_OVERHEAD_BYTES;
  }

  /** Puts back the events of a failed attempt. */
  void requeue(Batch b, long nowMillis) {
    for (PreparedEvent e : b.events) {
      add(e, nowMillis);
    }
    retryDue = true;
  }

  void removed(Batch b) {
    bufferedBytes -= b.bytes;
    if (buffer.isEmpty()) {
      oldestArrivalMillis = -1;
      retryDue = false;
    }
  }

  /** Whether a retry or a full batch is waiting, or the oldest data has waited {@code flushIntervalMillis}. */
  boolean ready(long nowMillis, long flushIntervalMillis, long maxBatchBytes) {
    return retryDue || buffer.size() >= Math.min(batchCap, dueAt) || bufferedBytes >= maxBatchBytes
        || (oldestArrivalMillis >= 0 && nowMillis - oldestArrivalMillis >= flushIntervalMillis);
  }
}
