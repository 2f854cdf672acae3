package dev.byok.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byok.core.AwsAccountId;
import dev.byok.core.HandoffBundle;
import dev.byok.core.ProvisioningException;
import dev.byok.provisioning.internal.Json;
import dev.byok.provisioning.internal.KmsKeys;
import dev.byok.testing.Emulators;
import dev.byok.testing.WithEmulators;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.kms.model.KeyState;

/**
 * The whole life of a set-up on moto: plan, apply, verify, apply again, failure part-way and
 * resume, every revoke mode and its restore (checked through the AWS API), destroy.
 *
 * <p>moto does not evaluate key, bucket or trust policies: these tests check what was written.
 * moto quirk: it applies a key-policy Deny that names kms:DescribeKey to every caller (it ignores
 * the principal), so while {@code deny-vendor} is in force DescribeKey fails on moto (never on AWS,
 * where the Deny names only the vendor's accounts); restore therefore edits the policy before it
 * reads the key state. moto's PutInsightSelectors appends instead of replacing; apply only calls it
 * when selectors are missing.
 */
@WithEmulators
class ProvisioningIT {
  private static final String VENDOR = "111122223333";

  private static ProvisioningSpec spec() {
    return ProvisioningSpec.builder().company("acme").app("slack").env("sandbox").region("us-east-1")
        .vendor(VendorProfile.builtIn("slack")).addVendorAccount(AwsAccountId.of(VENDOR)).tag("team", "security")
        .logRetentionDays(365).build();
  }

  private static AwsClients clients(Emulators emu, FailingInterceptor... interceptors) {
    AwsClients.Builder b = AwsClients.builder().endpoint(emu.motoEndpoint()).region(emu.region().id()).credentials(emu.credentials());
    for (FailingInterceptor i : interceptors) {
      b.addInterceptor(i);
    }
    return b.build();
  }

  private static Provisioner provisioner(ProvisioningSpec spec, AwsClients aws, List<Duration> slept) {
    return Provisioner.builder().spec(spec).clients(aws)
        .propagationRetry(PropagationRetry.builder().sleeper(slept::add).build()).build();
  }

  private static JsonNode keyPolicy(AwsClients aws, String keyId) {
    return Json.parsePolicy(aws.kms().getKeyPolicy(r -> r.keyId(keyId).policyName("default")).policy());
  }

  private static List<String> sids(JsonNode policy) {
    List<String> out = new ArrayList<>();
    policy.path("Statement").forEach(s -> out.add(s.path("Sid").asText()));
    return out;
  }

  private static KeyState state(AwsClients aws, String keyId) {
    return aws.kms().describeKey(r -> r.keyId(keyId)).keyMetadata().keyState();
  }

  private static void assertAllPass(VerifyReport r) {
    assertTrue(r.allPassed(), r.toText());
    assertTrue(r.checks().size() >= 25, "checks: " + r.checks().size());
  }

  @Test
  void lifecycle_applyVerifyReapplyRevokeRestoreDestroy(Emulators emu) {
    ProvisioningSpec spec = spec();
    Plan plan = Provisioner.plan(spec);
    assertTrue(plan.lintPassed(), plan.findings().toString());
    List<Duration> slept = new ArrayList<>();
    try (AwsClients aws = clients(emu)) {
      Provisioner p = provisioner(spec, aws, slept);

      ChangeReport first = p.apply();
      assertEquals(plan.calls().stream().map(Change::call).collect(Collectors.toList()),
          first.changes().stream().map(Change::call).collect(Collectors.toList()),
          "a fresh account gets exactly the planned calls, in order");
      HandoffBundle bundle = first.handoffBundle().orElseThrow();
      assertEquals("arn:aws:iam::" + emu.motoAccountId() + ":role/slack-sandbox-kms-logging", bundle.roleArn());
      assertEquals("ACME_SLACK_SANDBOX_LOG_GROUP", bundle.logGroupName());
      assertEquals(64, bundle.externalId().length(), "generated external ID: 32 bytes hex");
      assertTrue(first.vendorSummary().orElseThrow().contains(bundle.keyArn().toString()));
      String keyId = bundle.keyArn().resourceId();
      assertEquals(keyId, aws.kms().listAliases().aliases().stream().filter(a -> a.aliasName().equals("alias/acme-slack-sandbox"))
          .findFirst().orElseThrow().targetKeyId());
      assertTrue(aws.kms().getKeyRotationStatus(r -> r.keyId(keyId)).keyRotationEnabled());
      assertEquals(List.of(), slept, "no eventual-consistency retries were needed");

      assertAllPass(p.verify());

      ChangeReport second = p.apply();
      assertEquals(List.of(), second.changes(), second.toText());
      assertEquals(bundle, second.handoffBundle().orElseThrow(), "the second apply reuses the role's external ID");

      // disable
      assertEquals(List.of("kms:DisableKey"), calls(p.revoke(Revocation.disable())));
      assertEquals(KeyState.DISABLED, state(aws, keyId));
      assertFalse(p.verify().allPassed());
      assertEquals(List.of(), p.apply().changes(), "apply leaves a revocation in place");
      assertEquals(KeyState.DISABLED, state(aws, keyId));
      assertEquals(List.of("kms:EnableKey"), calls(p.restore(Revocation.disable())));
      assertEquals(KeyState.ENABLED, state(aws, keyId));

      // deny-vendor
      assertEquals(List.of("kms:PutKeyPolicy"), calls(p.revoke(Revocation.denyVendor())));
      JsonNode denied = keyPolicy(aws, keyId);
      JsonNode deny = statement(denied, PolicyDocuments.SID_DENY_VENDOR);
      assertEquals("Deny", deny.path("Effect").asText());
      assertEquals("arn:aws:iam::" + VENDOR + ":root", deny.path("Principal").path("AWS").get(0).asText());
      assertEquals(List.of(), calls(p.revoke(Revocation.denyVendor())), "revoking twice changes nothing");
      assertEquals(List.of("kms:PutKeyPolicy"), calls(p.restore(Revocation.denyVendor())));
      assertFalse(sids(keyPolicy(aws, keyId)).contains(PolicyDocuments.SID_DENY_VENDOR));

      // deny-scope
      assertEquals(List.of("kms:PutKeyPolicy"), calls(p.revoke(Revocation.denyScope("tenant", "T0042"))));
      JsonNode scoped = statement(keyPolicy(aws, keyId), PolicyDocuments.denyScopeSid("tenant", "T0042"));
      assertEquals("T0042", scoped.path("Condition").path("StringEquals").path("kms:EncryptionContext:tenant").asText());
      assertEquals("Deny", scoped.path("Effect").asText());
      assertEquals(List.of("kms:PutKeyPolicy"), calls(p.restore(Revocation.denyScope("tenant", "T0042"))));
      assertFalse(sids(keyPolicy(aws, keyId)).contains(PolicyDocuments.denyScopeSid("tenant", "T0042")));

      // schedule-deletion
      assertEquals(List.of("kms:ScheduleKeyDeletion"), calls(p.revoke(Revocation.scheduleDeletion(7))));
      assertEquals(KeyState.PENDING_DELETION, state(aws, keyId));
      ProvisioningException refused = assertThrows(ProvisioningException.class, p::apply);
      assertTrue(refused.getMessage().contains("pending deletion"), refused.getMessage());
      assertEquals(List.of("kms:CancelKeyDeletion", "kms:EnableKey"), calls(p.restore(Revocation.parse("schedule-deletion", null, true))));
      assertEquals(KeyState.ENABLED, state(aws, keyId));

      // several at once, restored together
      p.revoke(Revocation.disable());
      p.revoke(Revocation.denyScope("tenant", "T1"));
      p.revoke(Revocation.denyScope("tenant", "T2"));
      assertEquals(List.of("kms:PutKeyPolicy", "kms:EnableKey"), calls(p.restore(null)));
      assertAllPass(p.verify());
      assertEquals(List.of(), p.apply().changes());

      // destroy
      ChangeReport destroyed = p.destroy(7);
      assertTrue(calls(destroyed).containsAll(List.of("cloudtrail:DeleteTrail", "s3:DeleteBucket", "iam:DetachRolePolicy", "iam:DeleteRole",
          "iam:DeletePolicy", "logs:DeleteLogGroup", "kms:DeleteAlias", "kms:ScheduleKeyDeletion")), destroyed.toText());
      assertEquals(KeyState.PENDING_DELETION, state(aws, keyId));
      assertThrows(NoSuchEntityException.class, () -> aws.iam().getRole(r -> r.roleName("slack-sandbox-kms-logging")));
      assertTrue(aws.cloudTrail().describeTrails().trailList().isEmpty());
      assertTrue(aws.logs().describeLogGroups().logGroups().isEmpty());
      assertEquals(List.of(), p.destroy(7).changes(), "a second destroy finds nothing to remove");
      assertFalse(p.verify().allPassed());
    }
  }

  @ParameterizedTest(name = "failure at write {0}")
  @ValueSource(ints = {1, 2, 4, 7, 10, 13, 16, 18})
  void apply_failureInjectedAtWriteK_nextApplyConverges(int k, Emulators emu) {
    ProvisioningSpec spec = spec();
    List<Duration> slept = new ArrayList<>();
    FailingInterceptor failing = FailingInterceptor.failWrite(k, () -> SdkClientException.create("injected failure at write " + k));
    try (AwsClients broken = clients(emu, failing)) {
      ProvisioningException e = assertThrows(ProvisioningException.class, () -> provisioner(spec, broken, slept).apply());
      assertTrue(e.getMessage().contains("injected failure at write " + k), e.getMessage());
      assertTrue(k == 1 ? e.getMessage().endsWith("; nothing was changed") : e.getMessage().contains((k - 1)
          + (k == 2 ? " change " : " changes ") + "made before it (kms:CreateKey alias/acme-slack-sandbox")
          && e.getMessage().contains("; run apply again to resume"), e.getMessage());
    }
    try (AwsClients aws = clients(emu)) {
      Provisioner p = provisioner(spec, aws, slept);
      ChangeReport resumed = p.apply();
      int planned = Provisioner.plan(spec).calls().size();
      assertEquals(planned - (k - 1), resumed.changes().size(), "resume makes only the calls still missing: " + resumed.toText());
      assertAllPass(p.verify());
      assertEquals(List.of(), p.apply().changes());
      long keys = aws.kms().listKeys().keys().stream()
          .filter(key -> aws.kms().listResourceTags(r -> r.keyId(key.keyId())).tags().stream()
              .anyMatch(t -> t.tagKey().equals(KmsKeys.ALIAS_TAG) && t.tagValue().equals("alias/acme-slack-sandbox")))
          .count();
      assertEquals(1, keys, "no orphan key was created by the resumed apply");
    }
  }

  @Test
  void apply_invalidPrincipalOnFreshRole_retriedWithBackoff(Emulators emu) {
    FailingInterceptor flaky = FailingInterceptor.failOperation("CreateRole", 2, () -> IamException.builder()
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("MalformedPolicyDocument")
            .errorMessage("Invalid principal in policy: \"AWS\":\"arn:aws:iam::" + VENDOR + ":root\"").build())
        .statusCode(400).build());
    List<Duration> slept = new ArrayList<>();
    try (AwsClients aws = clients(emu, flaky)) {
      ChangeReport r = provisioner(spec(), aws, slept).apply();
      assertTrue(calls(r).contains("iam:CreateRole"));
      assertEquals(3, flaky.operationCalls());
      assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), slept);
    }
  }

  @Test
  void apply_specNamesAnotherAccount_failsBeforeAnyWrite(Emulators emu) {
    ProvisioningSpec spec = spec().toBuilder().account(AwsAccountId.of("210987654321")).build();
    FailingInterceptor recording = FailingInterceptor.failWrite(Integer.MAX_VALUE, () -> SdkClientException.create("unused"));
    try (AwsClients aws = clients(emu, recording)) {
      ProvisioningException e = assertThrows(ProvisioningException.class, () -> provisioner(spec, aws, new ArrayList<>()).apply());
      assertTrue(e.getMessage().contains("210987654321"), e.getMessage());
      assertEquals(List.of("Sts:GetCallerIdentity"), recording.seen());
    }
  }

  @Test
  void verify_driftedLogPolicy_reportedAndFixedByApply(Emulators emu) {
    try (AwsClients aws = clients(emu)) {
      Provisioner p = provisioner(spec(), aws, new ArrayList<>());
      p.apply();
      String arn = "arn:aws:iam::" + emu.motoAccountId() + ":policy/slack-sandbox-kms-logs";
      aws.iam().createPolicyVersion(r -> r.policyArn(arn).setAsDefault(true).policyDocument(
          "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"logs:*\",\"Resource\":\"*\"}]}"));
      VerifyReport drifted = p.verify();
      assertEquals(List.of("log policy"), drifted.failures().stream().map(Check::name).collect(Collectors.toList()), drifted.toText());
      assertEquals(List.of("iam:CreatePolicyVersion"), calls(p.apply()));
      assertAllPass(p.verify());
    }
  }

  private static JsonNode statement(JsonNode policy, String sid) {
    for (JsonNode s : policy.path("Statement")) {
      if (sid.equals(s.path("Sid").asText())) {
        return s;
      }
    }
    throw new AssertionError("no statement " + sid + " in " + policy);
  }

  private static List<String> calls(ChangeReport r) {
    return r.changes().stream().map(Change::call).collect(Collectors.toList());
  }
}
