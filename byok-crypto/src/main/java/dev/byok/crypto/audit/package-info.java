/**
 * Audit sinks: where the {@link dev.byok.core.audit.KeyUseEvent} of every key use goes.
 * {@link dev.byok.crypto.audit.CloudWatchLogsAuditSink} delivers to each tenant's CloudWatch Logs
 * group in the customer's account; {@link dev.byok.crypto.audit.JsonLinesFileAuditSink} and
 * {@link dev.byok.crypto.audit.Slf4jAuditSink} write locally; {@link dev.byok.crypto.audit.FanOutAuditSink}
 * sends to several. The event format is in {@code docs/audit-events.md}. Everything in
 * {@code dev.byok.crypto.audit.internal} is not public API.
 */
package dev.byok.crypto.audit;
