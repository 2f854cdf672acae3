package dev.byok.provisioning.internal.aws;

import dev.byok.provisioning.AwsClients;

/** The six services provisioning calls, as ports. */
public record AwsPorts(KmsPort kms, S3Port s3, CloudTrailPort cloudTrail, LogsPort logs, IamPort iam, StsPort sts) {
  /** Ports backed by the SDK clients of {@code clients} (which the caller keeps and closes). */
  public static AwsPorts of(AwsClients clients) {
    return new AwsPorts(new SdkKms(clients.kms()), new SdkS3(clients.s3()), new SdkCloudTrail(clients.cloudTrail()),
        new SdkLogs(clients.logs()), new SdkIam(clients.iam()), () -> Sdk.call(() -> clients.sts().getCallerIdentity().account()));
  }
}
