/**
 * The CloudWatch Logs audit sink: {@link dev.byok.aws.logs.CloudWatchLogsAuditSink} delivers every
 * tenant's {@code KeyUseEvent}s into that tenant's log group in the customer's account, through the
 * customer's log role. Everything in {@code dev.byok.aws.logs.internal} is not public API.
 */
package dev.byok.aws.logs;
