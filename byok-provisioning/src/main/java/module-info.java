/**
 * byok provisioning: turns a customer's answers into the KMS key, key policy, IAM role and
 * CloudTrail checks a vendor needs. The {@code ...internal} packages are not exported.
 * {@code requires transitive} covers every module whose types appear in the exported API
 * (javac {@code -Xlint:exports} is clean); Jackson is used inside only. JSpecify's nullness
 * annotations are in the API but need not be present at run time.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.byok.provisioning {
  requires transitive dev.byok.core;
  requires static transitive org.jspecify;
  requires com.fasterxml.jackson.databind;

  requires transitive software.amazon.awssdk.services.kms;
  requires transitive software.amazon.awssdk.services.iam;
  requires transitive software.amazon.awssdk.services.s3;
  requires transitive software.amazon.awssdk.services.cloudtrail;
  requires transitive software.amazon.awssdk.services.cloudwatchlogs;
  requires transitive software.amazon.awssdk.services.sts;
  requires transitive software.amazon.awssdk.services.eventbridge;
  requires transitive software.amazon.awssdk.services.sns;
  requires transitive software.amazon.awssdk.services.sqs;
  requires transitive software.amazon.awssdk.auth;
  requires transitive software.amazon.awssdk.core;
  requires transitive software.amazon.awssdk.regions;
  requires software.amazon.awssdk.awscore;
  requires software.amazon.awssdk.http;
  requires software.amazon.awssdk.http.apache;

  exports dev.byok.provisioning;
}
