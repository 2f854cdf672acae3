package dev.byok.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/** Proves the harness's moto for IAM and STS: a role with a trust policy, assumed and used. */
@WithEmulators
class MotoIamStsSmokeIT {

  private static final String ROLE = "byok-vendor-access";

  private static String trustPolicy(String account) {
    return """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
          "Principal":{"AWS":"arn:aws:iam::%s:root"},
          "Action":"sts:AssumeRole",
          "Condition":{"StringEquals":{"sts:ExternalId":"ext-123"}}}]}
        """
        .formatted(account);
  }

  @Test
  void assumeRole_roleWithTrustPolicy_credentialsActAsAssumedRole(Emulators emu) {
    try (IamClient iam = emu.moto(IamClient.builder()).build();
        StsClient sts = emu.moto(StsClient.builder()).build()) {
      Role role =
          iam.createRole(
                  b -> b.roleName(ROLE).assumeRolePolicyDocument(trustPolicy(emu.motoAccountId())))
              .role();
      assertEquals("arn:aws:iam::" + emu.motoAccountId() + ":role/" + ROLE, role.arn());
      assertTrue(
          iam.getRole(b -> b.roleName(ROLE)).role().assumeRolePolicyDocument().contains("ext-123"));

      Credentials creds =
          sts.assumeRole(b -> b.roleArn(role.arn()).roleSessionName("smoke").externalId("ext-123"))
              .credentials();
      assertNotEquals(
          emu.credentials().resolveCredentials().accessKeyId(), creds.accessKeyId());

      StaticCredentialsProvider assumed =
          StaticCredentialsProvider.create(
              AwsSessionCredentials.create(
                  creds.accessKeyId(), creds.secretAccessKey(), creds.sessionToken()));
      try (StsClient asRole =
              emu.moto(StsClient.builder()).credentialsProvider(assumed).build();
          CloudWatchLogsClient logsAsRole =
              emu.moto(CloudWatchLogsClient.builder()).credentialsProvider(assumed).build()) {
        GetCallerIdentityResponse identity = asRole.getCallerIdentity();
        assertEquals(
            "arn:aws:sts::" + emu.motoAccountId() + ":assumed-role/" + ROLE + "/smoke",
            identity.arn());
        assertEquals(emu.motoAccountId(), identity.account());

        logsAsRole.createLogGroup(b -> b.logGroupName("/byok/as-role"));
        assertEquals(
            1,
            logsAsRole.describeLogGroups(b -> b.logGroupNamePrefix("/byok/as-role")).logGroups().size());
      }
    }
  }

  @Test
  void getCallerIdentity_dummyCredentials_isMotoDefaultAccount(Emulators emu) {
    try (StsClient sts = emu.moto(StsClient.builder()).build()) {
      assertEquals(emu.motoAccountId(), sts.getCallerIdentity().account());
    }
  }
}
