package dev.byok.provisioning.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.ProvisioningException;
import dev.byok.provisioning.Check;
import dev.byok.provisioning.PolicyDocuments;
import dev.byok.provisioning.internal.aws.AwsCallException;
import dev.byok.provisioning.internal.aws.FakeIam;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The log access part (log group, IAM policy, role) on the in-memory Logs and IAM: apply, verify, destroy. */
class LogAccessTest {
  private static final String POLICY_ARN = "arn:aws:iam::123456789012:policy/slack-sandbox-kms-logs";
  private static final String DRIFTED = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"logs:*\",\"Resource\":\"*\"}]}";
  private final Fixture f = new Fixture();

  private LogAccess part(Calls calls) {
    return new LogAccess(f.spec, f.names, f.aws.ports().logs(), f.aws.ports().iam(), calls);
  }

  private Calls ensure() {
    Calls calls = f.calls("apply");
    String roleArn = part(calls).ensure(f.doc(PolicyDocuments.LOG_POLICY), f.doc(PolicyDocuments.TRUST_POLICY));
    assertEquals("arn:aws:iam::123456789012:role/slack-sandbox-kms-logging", roleArn);
    return calls;
  }

  private List<String> failedChecks() {
    List<Check> checks = new ArrayList<>();
    part(f.calls("verify")).verify(checks, f.doc(PolicyDocuments.LOG_POLICY), f.doc(PolicyDocuments.TRUST_POLICY), true);
    return checks.stream().filter(c -> !c.passed()).map(Check::name).toList();
  }

  @Test
  void ensure_freshAccount_groupRetentionPolicyRoleAttachment() {
    assertEquals(List.of("logs:CreateLogGroup", "logs:PutRetentionPolicy", "iam:CreatePolicy", "iam:CreateRole", "iam:AttachRolePolicy"),
        Fixture.calls(ensure().changes()));
    assertEquals(365, f.aws.logs.groups.get("ACME_SLACK_SANDBOX_LOG_GROUP").retentionInDays);
    FakeIam.Role role = f.aws.iam.roles.get("slack-sandbox-kms-logging");
    assertEquals(List.of(POLICY_ARN), role.attached);
    assertTrue(Json.samePolicy(f.doc(PolicyDocuments.TRUST_POLICY), Json.parsePolicy(role.trust)));
    assertEquals(Optional.of(Fixture.EXTERNAL_ID), part(f.calls("apply")).existingExternalId(), "read back from IAM's URL-encoded trust policy");
  }

  @Test
  void ensure_twice_secondChangesNothing() {
    ensure();
    f.aws.clearLog();
    assertEquals(List.of(), ensure().changes());
    assertEquals(List.of(), f.aws.writes());
  }

  @Test
  void ensure_policyDriftedWithFiveVersions_deletesTheOldestNonDefaultThenAddsOne() {
    ensure();
    for (int i = 0; i < 4; i++) {
      f.aws.iam.createPolicyVersion(POLICY_ARN, DRIFTED, true);
    }
    List<String> before = f.aws.iam.policies.get(POLICY_ARN).versions.stream().map(v -> v.id).toList();
    assertEquals(List.of("v1", "v2", "v3", "v4", "v5"), before);
    Calls calls = ensure();
    assertEquals(List.of("iam:DeletePolicyVersion", "iam:CreatePolicyVersion"), Fixture.calls(calls.changes()));
    assertEquals("slack-sandbox-kms-logs v1", calls.changes().get(0).resource());
    FakeIam.Policy p = f.aws.iam.policies.get(POLICY_ARN);
    assertTrue(Json.samePolicy(f.doc(PolicyDocuments.LOG_POLICY), Json.parsePolicy(p.defaultVersion().document)));
  }

  @Test
  void ensure_invalidPrincipalOnCreateRole_retriedWithBackoff() {
    f.aws.iam.failNext("CreateRole", 2, AwsCallException.service("MalformedPolicyDocument",
        "Invalid principal in policy: \"AWS\":\"arn:aws:iam::111122223333:root\""));
    ensure();
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), f.slept);
    assertEquals(3, f.aws.log().stream().filter("iam:CreateRole"::equals).count());
  }

  @Test
  void ensure_attachFailsPartWay_errorCountsTheChangesAndTheNextApplyResumes() {
    f.aws.iam.failNext("AttachRolePolicy", 1, AwsCallException.client("connection reset"));
    ProvisioningException e = assertThrows(ProvisioningException.class, this::ensure);
    assertEquals("apply stopped at iam:AttachRolePolicy slack-sandbox-kms-logging <- slack-sandbox-kms-logs: connection reset; "
        + "4 changes made before it (logs:CreateLogGroup ACME_SLACK_SANDBOX_LOG_GROUP, logs:PutRetentionPolicy ACME_SLACK_SANDBOX_LOG_GROUP,"
        + " iam:CreatePolicy slack-sandbox-kms-logs, iam:CreateRole slack-sandbox-kms-logging); run apply again to resume", e.getMessage());
    assertEquals(List.of("iam:AttachRolePolicy"), Fixture.calls(ensure().changes()));
  }

  @Test
  void verify_afterEnsure_everyCheckPasses() {
    ensure();
    assertEquals(List.of(), failedChecks());
  }

  @Test
  void verify_trustChangedPolicyDetachedGroupGone_reportsEach() {
    ensure();
    f.aws.iam.roles.get("slack-sandbox-kms-logging").trust = f.doc(PolicyDocuments.TRUST_POLICY).toString().replace(Fixture.EXTERNAL_ID, "other");
    f.aws.iam.roles.get("slack-sandbox-kms-logging").attached.clear();
    f.aws.logs.groups.clear();
    assertEquals(List.of("log group exists", "log role trust", "log role policy attached"), failedChecks());
  }

  @Test
  void destroy_removesRolePolicyVersionsAndGroup_leavesOtherRoles() {
    ensure();
    f.aws.iam.createPolicyVersion(POLICY_ARN, DRIFTED, false);
    f.aws.iam.addRole("other-team-role", "{}");
    Calls calls = f.calls("destroy");
    part(calls).destroy();
    assertEquals(List.of("iam:DetachRolePolicy", "iam:DeleteRole", "iam:DeletePolicyVersion", "iam:DeletePolicy", "logs:DeleteLogGroup"),
        Fixture.calls(calls.changes()));
    assertEquals(Set.of("other-team-role"), f.aws.iam.roles.keySet());
    assertTrue(f.aws.iam.policies.isEmpty());
    assertTrue(f.aws.logs.groups.isEmpty());
    Calls again = f.calls("destroy");
    part(again).destroy();
    assertEquals(List.of(), again.changes());
  }
}
