/**
 * byok audit: the customer's view of its key. {@code KeyUseAudit} joins the KMS records of the
 * customer's CloudTrail (S3 log files, a local copy, or LookupEvents) with the vendor's
 * reason-coded audit events (a JSON-lines file or the customer's log group) by KMS request ID, and
 * reports every key use without a reason. The {@code ...internal} package is not exported; it is
 * opened to Jackson, which binds the CloudTrail records and audit events into its records.
 * {@code requires transitive} covers every module whose types appear in the exported API.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.byok.audit {
  requires transitive dev.byok.core;
  requires com.fasterxml.jackson.databind;

  requires transitive software.amazon.awssdk.services.s3;
  requires transitive software.amazon.awssdk.services.cloudtrail;
  requires transitive software.amazon.awssdk.services.cloudwatchlogs;
  requires software.amazon.awssdk.core;
  requires software.amazon.awssdk.awscore;

  exports dev.byok.audit;
  opens dev.byok.audit to com.fasterxml.jackson.databind;
  opens dev.byok.audit.internal to com.fasterxml.jackson.databind;
}
