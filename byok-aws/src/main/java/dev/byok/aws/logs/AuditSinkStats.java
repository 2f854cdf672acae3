package dev.byok.aws.logs;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of an audit sink's counters since it started. Immutable. Counts are of events unless
 * the name says batches or bytes; bytes are counted as PutLogEvents counts them (UTF-8 of the
 * message plus 26 per event).
 */
public final class AuditSinkStats {
  private final long queued;
  private final long replayed;
  private final long delivered;
  private final long retried;
  private final long possibleDuplicates;
  private final long spilled;
  private final long rejected;
  private final long pending;
  private final long batchesDelivered;
  private final long bytesDelivered;
  private final long largestBatchBytes;
  private final Duration lastDeliveryLag;
  private final Duration maxDeliveryLag;
  private final Map<String, String> tenantErrors;

  AuditSinkStats(long queued, long replayed, long delivered, long retried, long possibleDuplicates,
      long spilled, long rejected, long pending, long batchesDelivered, long bytesDelivered,
      long largestBatchBytes, Duration lastDeliveryLag, Duration maxDeliveryLag, Map<String, String> tenantErrors) {
    this.queued = queued;
    this.replayed = replayed;
    this.delivered = delivered;
    this.retried = retried;
    this.possibleDuplicates = possibleDuplicates;
    this.spilled = spilled;
    this.rejected = rejected;
    this.pending = pending;
    this.batchesDelivered = batchesDelivered;
    this.bytesDelivered = bytesDelivered;
    this.largestBatchBytes = largestBatchBytes;
    this.lastDeliveryLag = lastDeliveryLag;
    this.maxDeliveryLag = maxDeliveryLag;
    this.tenantErrors = Map.copyOf(tenantErrors);
  }

  /** Events accepted by {@code emit} into memory (not counting those spilled on overflow). */
  public long queued() { return queued; }
  /** Events read back from spill files. */
  public long replayed() { return replayed; }
  /** Events the service stored (acknowledged). */
  public long delivered() { return delivered; }
  /** Events queued again after a failed attempt (each failure counts again). */
  public long retried() { return retried; }
  /**
   * Events re-sent after an attempt the service may have stored anyway (a timeout or 5xx after
   * sending, or a refused-event boundary): an upper bound on the duplicates a reader may see.
   */
  public long possibleDuplicates() { return possibleDuplicates; }
  /** Events written to the spill file (on overflow or at close). */
  public long spilled() { return spilled; }
  /** Events refused for good (logged at ERROR, written to the spill directory if any). */
  public long rejected() { return rejected; }
  /** Events in memory now, not yet delivered. */
  public long pending() { return pending; }
  /** Batches the service stored. */
  public long batchesDelivered() { return batchesDelivered; }
  /** Bytes of the batches the service stored. */
  public long bytesDelivered() { return bytesDelivered; }
  /** The largest batch sent, in bytes. */
  public long largestBatchBytes() { return largestBatchBytes; }
  /** From the oldest event's time to its acknowledgment, for the last batch delivered. */
  public Duration lastDeliveryLag() { return lastDeliveryLag; }
  /** The largest such lag seen. */
  public Duration maxDeliveryLag() { return maxDeliveryLag; }
  /** For each tenant whose delivery is failing now: the last error, which names the role, group or stream. */
  public Map<String, String> tenantErrors() { return tenantErrors; }

  @Override
  public String toString() {
    return "AuditSinkStats{queued=" + queued + ", replayed=" + replayed + ", delivered=" + delivered
        + ", retried=" + retried + ", possibleDuplicates=" + possibleDuplicates + ", spilled=" + spilled
        + ", rejected=" + rejected + ", pending=" + pending + ", batchesDelivered=" + batchesDelivered
        + ", bytesDelivered=" + bytesDelivered + ", largestBatchBytes=" + largestBatchBytes
        + ", lastDeliveryLag=" + lastDeliveryLag + ", maxDeliveryLag=" + maxDeliveryLag
        + ", tenantErrors=" + new TreeMap<>(tenantErrors) + "}";
  }
}
