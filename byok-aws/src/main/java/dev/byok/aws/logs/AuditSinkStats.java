package dev.byok.aws.logs;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A snapshot of an audit sink's counters since it started. Immutable. Counts are of events unless
 * the name says batches or bytes; bytes are counted as PutLogEvents counts them (UTF-8 of the
 * message plus 26 per event).
 *
 * @param queued events accepted by {@code emit} into memory (not counting those spilled on overflow)
 * @param replayed events read back from spill files
 * @param delivered events the service stored (acknowledged)
 * @param retried events queued again after a failed attempt (each failure counts again)
 * @param possibleDuplicates events re-sent after an attempt the service may have stored anyway (a
 *     timeout or 5xx after sending, or a refused-event boundary): an upper bound on the duplicates a
 *     reader may see
 * @param spilled events written to the spill file (on overflow or at close)
 * @param rejected events refused for good (logged at ERROR, written to the spill directory if any)
 * @param pending events in memory now, not yet delivered
 * @param batchesDelivered batches the service stored
 * @param bytesDelivered bytes of the batches the service stored
 * @param largestBatchBytes the largest batch sent, in bytes
 * @param lastDeliveryLag from the oldest event's time to its acknowledgment, for the last batch delivered
 * @param maxDeliveryLag the largest such lag seen
 * @param tenantErrors for each tenant whose delivery is failing now: the last error, which names the
 *     role, group or stream
 * @param tenants the delivery health of each tenant seen since the sink started
 */
public record AuditSinkStats(
    long queued,
    long replayed,
    long delivered,
    long retried,
    long possibleDuplicates,
    long spilled,
    long rejected,
    long pending,
    long batchesDelivered,
    long bytesDelivered,
    long largestBatchBytes,
    Duration lastDeliveryLag,
    Duration maxDeliveryLag,
    Map<String, String> tenantErrors,
    Map<String, TenantAuditHealth> tenants) {

  /** Checks that nothing is missing and copies the maps. */
  public AuditSinkStats {
    Objects.requireNonNull(lastDeliveryLag, "lastDeliveryLag");
    Objects.requireNonNull(maxDeliveryLag, "maxDeliveryLag");
    tenantErrors = Map.copyOf(tenantErrors);
    tenants = Map.copyOf(tenants);
  }

  /** The health of {@code tenant}, or {@code null} if the sink has seen no event of it. */
  public TenantAuditHealth tenant(String tenant) {
    return tenants.get(tenant);
  }

  @Override
  public String toString() {
    return "AuditSinkStats{queued=" + queued + ", replayed=" + replayed + ", delivered=" + delivered
        + ", retried=" + retried + ", possibleDuplicates=" + possibleDuplicates + ", spilled=" + spilled
        + ", rejected=" + rejected + ", pending=" + pending + ", batchesDelivered=" + batchesDelivered
        + ", bytesDelivered=" + bytesDelivered + ", largestBatchBytes=" + largestBatchBytes
        + ", lastDeliveryLag=" + lastDeliveryLag + ", maxDeliveryLag=" + maxDeliveryLag
        + ", tenantErrors=" + new TreeMap<>(tenantErrors) + ", tenants=" + new TreeMap<>(tenants) + "}";
  }
}
