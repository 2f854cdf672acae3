package dev.byok.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.ProvisioningException;
import dev.byok.provisioning.internal.aws.AwsCallException;
import dev.byok.provisioning.internal.aws.FakeAws;
import java.net.ConnectException;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * What an operation says when it cannot go on (issue 19, items 5 and 8): every fact it can know is
 * checked before the first write (the KMS endpoint's region), a failure before any write says
 * nothing was changed and is retryable when the service was unreachable, a failure after writes
 * lists them and how to resume, and a value AWS returned that the set-up cannot use is reported
 * the same way instead of escaping as a bare {@link IllegalArgumentException}.
 */
class FailureReportTest {
  private final FakeAws aws = new FakeAws();

  private Provisioner provisioner(ProvisioningSpec spec) {
    return Provisioner.builder().spec(spec).ports(aws.ports()).propagationRetry(PropagationRetry.builder().sleeper(d -> { }).build())
        .build();
  }

  private static ProvisioningSpec inRegion(String region) {
    return Specs.base("slack").region(region).build();
  }

  @Test
  void apply_kmsEndpointListsKeysOfAnotherRegion_refusedBeforeAnyWrite() {
    aws.kms.addKey("another team's key", "{}"); // an ARN in us-east-1, FakeAws's region
    aws.clearLog();
    ProvisioningException e = assertThrows(ProvisioningException.class, () -> provisioner(inRegion("eu-west-2")).apply());
    assertTrue(e.getMessage().startsWith("apply: the KMS endpoint serves region us-east-1 (it lists arn:aws:kms:us-east-1:"), e.getMessage());
    assertTrue(e.getMessage().contains("but the spec's region is eu-west-2; nothing was changed. Give --region us-east-1"), e.getMessage());
    assertEquals(List.of(), aws.writes(), "nothing written");
    assertFalse(e.retryable());
  }

  @Test
  void apply_kmsEndpointEmptyAndMakesKeyInAnotherRegion_stopsAfterTheOneWriteNamingIt() {
    ProvisioningException e = assertThrows(ProvisioningException.class, () -> provisioner(inRegion("eu-west-2")).apply());
    assertTrue(e.getMessage().startsWith("apply: the KMS endpoint made key arn:aws:kms:us-east-1:"), e.getMessage());
    assertTrue(e.getMessage().contains("1 change made before it (kms:CreateKey alias/acme-slack-sandbox); run apply again to resume."),
        e.getMessage());
    assertEquals(List.of("kms:CreateKey"), aws.writes());
  }

  @Test
  void apply_bucketNameHeldByAnotherAccount_refusedBeforeAnyWrite() {
    aws.s3.addBucket("acme-slack-sandbox-cloudtrail-" + FakeAws.ACCOUNT, "999988887777");
    aws.clearLog();
    ProvisioningException e = assertThrows(ProvisioningException.class, () -> provisioner(Specs.slack()).apply());
    assertTrue(e.getMessage().contains("exists but is not in account " + FakeAws.ACCOUNT) && e.getMessage().endsWith("; nothing was changed"),
        e.getMessage());
    assertEquals(List.of(), aws.writes());
  }

  @Test
  void apply_unreachableBeforeAnyWrite_retryableAndNothingChanged() {
    aws.failWrite(1, AwsCallException.unreachable("Connect to 127.0.0.1:9 failed: Connection refused"));
    ProvisioningException e = assertThrows(ProvisioningException.class, () -> provisioner(Specs.slack()).apply());
    assertTrue(e.retryable(), e.getMessage());
    assertTrue(e.getMessage().endsWith("Connection refused; nothing was changed; the service could not be reached or was busy: try again"
        + " later"), e.getMessage());
  }

  @Test
  void apply_unreachableAfterWrites_notRetryableListsChangesAndResume() {
    aws.failWrite(3, AwsCallException.unreachable("Connect to 127.0.0.1:9 failed: Connection refused"));
    ProvisioningException e = assertThrows(ProvisioningException.class, () -> provisioner(Specs.slack()).apply());
    assertFalse(e.retryable(), "after writes the failure is exit 1 with what changed, not 'retry later'");
    assertTrue(e.getMessage().endsWith("2 changes made before it (kms:CreateKey alias/acme-slack-sandbox, kms:CreateAlias"
        + " alias/acme-slack-sandbox); run apply again to resume"), e.getMessage());
  }

  @Test
  void awsCallException_sdkFindsNoCredentials_shortMessageNamingTheVariables() {
    String chain = "Unable to load credentials from any of the providers in the chain AwsCredentialsProviderChain(credentialsProviders="
        + "[SystemPropertyCredentialsProvider(), EnvironmentVariableCredentialsProvider(), ...]) : [...]".repeat(5);
    AwsCallException e = AwsCallException.of(SdkClientException.create(chain));
    assertEquals(AwsCallException.NO_CREDENTIALS, e.getMessage());
    assertTrue(e.getMessage().contains("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY") && e.getMessage().contains("dummy values"));
    assertTrue(e.getMessage().length() < 260, e.getMessage().length() + " characters");
    assertFalse(e.transientFailure());
  }

  @Test
  void awsCallException_serviceErrorWithoutMessage_saysSoInsteadOfNull() {
    software.amazon.awssdk.awscore.exception.AwsServiceException denied = software.amazon.awssdk.awscore.exception.AwsServiceException
        .builder().statusCode(400).awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
            .errorCode("AccessDeniedException").build()).build();
    AwsCallException e = AwsCallException.of(denied);
    assertEquals("AccessDeniedException: the service gave no message (HTTP 400)", e.getMessage());
    assertTrue(e.serviceError());
  }

  @Test
  void changeReport_nothingChanged_saysWhyInTheOperationsTerms() {
    Provisioner p = provisioner(Specs.slack());
    p.apply();
    assertTrue(p.apply().toText().startsWith("apply: 0 changes (everything was already in place)"));
    assertTrue(p.restore(null).toText().startsWith("restore: 0 changes (nothing to restore: no revocation was found)"));
    p.destroy(7);
    assertTrue(p.destroy(7).toText().startsWith("destroy: 0 changes (nothing to delete: no resource of the set-up was found)"),
        "a second destroy");
  }

  @Test
  void verify_checksPublicAccessBlockLogFileValidationAndMultiRegion() {
    Provisioner p = provisioner(Specs.slack());
    p.apply();
    VerifyReport ok = p.verify();
    for (String name : List.of("bucket public access block", "trail log file validation", "trail multi-Region")) {
      assertTrue(ok.checks().stream().anyMatch(c -> c.name().equals(name) && c.passed()), name + " in\n" + ok.toText());
    }
    aws.s3.buckets.values().forEach(b -> b.publicAccessBlock = new dev.byok.provisioning.internal.aws.S3Port.PublicAccessBlock(true, true,
        false, true));
    VerifyReport opened = p.verify();
    assertTrue(opened.failures().stream().anyMatch(c -> c.name().equals("bucket public access block")), opened.toText());
  }

  @Test
  void awsCallException_connectionRefused_transient() {
    AwsCallException e = AwsCallException.of(SdkClientException.create("Unable to execute HTTP request: Connect to 127.0.0.1:9 failed",
        new ConnectException("Connection refused")));
    assertTrue(e.transientFailure());
    assertFalse(e.serviceError());
    assertFalse(AwsCallException.of(SdkClientException.create("Unable to marshall request")).transientFailure(),
        "a client-side failure without I/O will fail again");
    assertTrue(AwsCallException.service("ThrottlingException", "Rate exceeded").transientFailure());
    assertFalse(AwsCallException.service("AccessDeniedException", "not allowed").transientFailure());
  }
}
