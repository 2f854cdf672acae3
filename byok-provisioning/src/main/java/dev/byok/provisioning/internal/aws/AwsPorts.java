package dev.byok.provisioning.internal.aws;

import dev.byok.provisioning.AwsClients;

/**
 * The services provisioning calls, as ports: the customer's set-up uses KMS, S3, CloudTrail, Logs,
 * IAM, STS and EventBridge; the vendor's key-event bus uses EventBridge, SNS, SQS and STS.
 */
public record AwsPorts(KmsPort kms, S3Port s3, CloudTrailPort cloudTrail, LogsPort logs, IamPort iam, StsPort sts,
    EventsPort events, SnsPort sns, SqsPort sqs) {
  /** Ports backed by the SDK clients of {@code clients} (which the caller keeps and closes). */
  public static AwsPorts of(AwsClients clients) {
    return new AwsPorts(new SdkKms(clients.kms()), new SdkS3(clients.s3()), new SdkCloudTrail(clients.cloudTrail()),
        new SdkLogs(clients.logs()), new SdkIam(clients.iam()), () -> Sdk.call(() -> clients.sts().getCallerIdentity().account()),
        new SdkEvents(clients.eventBridge()), new SdkSns(clients.sns()), new SdkSqs(clients.sqs()));
  }
}
