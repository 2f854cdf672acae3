package dev.byok.aws.logs;

/**
 * One tenant's audit delivery health in an {@link AuditSinkStats} snapshot. Each tenant has its
 * own share of the sink's memory and its own spill files: one tenant's failing destination changes
 * no other tenant's delivery. Immutable.
 *
 * @param healthy whether its last delivery attempt succeeded (true before the first attempt)
 * @param pending its events in memory now, not yet delivered (at most its share)
 * @param delivered its events the service stored
 * @param spilled its events written to its spill files (past its share, or durably while failing)
 * @param rejected its events refused for good
 * @param producerWaits how often a producer of this tenant waited for room in its share (overflow
 *     policy BLOCK); another tenant's failure never makes this tenant's producers wait
 * @param consecutiveFailures failed delivery attempts in a row (0 when healthy)
 * @param lastError the last error while failing, naming the role, group or stream; {@code null} when healthy
 */
public record TenantAuditHealth(boolean healthy, long pending, long delivered, long spilled, long rejected,
    long producerWaits, int consecutiveFailures, String lastError) {}
