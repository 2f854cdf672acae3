/**
 * byok aws: the AWS adapters of byok's SPIs, {@code AwsKmsKeyService} ({@code KeyService} on AWS
 * KMS) and {@code CloudWatchLogsAuditSink} ({@code AuditSink} delivering into each customer's log
 * group through the customer's log role), and {@code KeyEventListener} (the customer's key events
 * from an SQS queue). The {@code ...internal} packages are not exported.
 * {@code requires transitive} covers every module whose types appear in the exported API.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.byok.aws {
  requires transitive dev.byok.core;
  requires org.slf4j;
  requires static transitive micrometer.core;
  requires static transitive org.jspecify;

  requires transitive software.amazon.awssdk.services.kms;
  requires transitive software.amazon.awssdk.services.sts;
  requires transitive software.amazon.awssdk.services.cloudwatchlogs;
  requires transitive software.amazon.awssdk.services.sqs;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires transitive software.amazon.awssdk.auth;
  requires transitive software.amazon.awssdk.core;
  requires transitive software.amazon.awssdk.http;
  requires software.amazon.awssdk.awscore;
  requires software.amazon.awssdk.regions;
  requires software.amazon.awssdk.http.apache;
  requires software.amazon.awssdk.http.urlconnection;
  requires software.amazon.awssdk.retries.api;
  requires software.amazon.awssdk.retries;

  exports dev.byok.aws.kms;
  exports dev.byok.aws.logs;
  exports dev.byok.aws.events;
}
