/**
 * Audit sinks that need no cloud service: {@link dev.byok.crypto.audit.JsonLinesFileAuditSink} and
 * {@link dev.byok.crypto.audit.Slf4jAuditSink} write locally; {@link dev.byok.crypto.audit.FanOutAuditSink}
 * sends to several. The sink that delivers to each tenant's CloudWatch Logs group in the customer's
 * account is {@code CloudWatchLogsAuditSink} in byok-aws. The event format is in
 * {@code docs/audit-events.md}.
 */
@NullMarked
package dev.byok.crypto.audit;

import org.jspecify.annotations.NullMarked;
