package dev.byok.soak;

/**
 * One customer action and its undoing, as the oracle sees it.
 *
 * @param kind {@code disable}, {@code schedule-deletion}, {@code deny-vendor}, {@code deny-scope}
 *     (these revoke) or {@code log-role} (the tenant's log role unusable: no revocation expected)
 * @param scope the denied {@code data-class} value, or null for the whole key
 * @param callStartMs when the customer's call was sent
 * @param effectiveMs t: when the call returned (the action is in effect)
 * @param restoreStartMs when the undoing call was sent
 * @param restoredMs when it returned
 * @param boundMs revalidateAfter + checkInterval + the longest KMS round trip of the key in flight at t
 */
record Action(String tenant, String kind, String scope, long callStartMs, long effectiveMs, long restoreStartMs,
    long restoredMs, long boundMs) {

  boolean revokes() {
    return !"log-role".equals(kind);
  }

  boolean covers(OpRecord op) {
    return op.tenant().equals(tenant) && (scope == null || scope.equals(op.scope()));
  }
}
