package dev.byok.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byok.core.HandoffBundle;
import dev.byok.core.KeyArn;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PlanTest {
  private static List<String> calls(Plan p) {
    return p.calls().stream().map(Change::call).collect(Collectors.toList());
  }

  @Test
  void plan_guideExample_listsEveryCallInDependencyOrder() {
    Plan p = Provisioner.plan(Specs.slack());
    assertTrue(p.lintPassed(), p.findings().toString());
    assertEquals(List.of("kms:CreateKey", "kms:CreateAlias", "kms:EnableKeyRotation", "kms:CreateKey", "kms:CreateAlias",
        "kms:EnableKeyRotation", "s3:CreateBucket", "s3:PutPublicAccessBlock", "s3:PutBucketPolicy", "cloudtrail:CreateTrail",
        "cloudtrail:PutEventSelectors", "cloudtrail:PutInsightSelectors", "cloudtrail:StartLogging", "logs:CreateLogGroup",
        "iam:CreatePolicy", "iam:CreateRole", "iam:AttachRolePolicy"), calls(p));
  }

  @Test
  void plan_optionsOff_dropTheirCalls() {
    Plan p = Provisioner.plan(Specs.base("slack").keyRotation(false).insights(false).logRetentionDays(90).build());
    List<String> c = calls(p);
    assertEquals(1, c.stream().filter("kms:EnableKeyRotation"::equals).count(), "only the log key rotates: " + c);
    assertFalse(c.contains("cloudtrail:PutInsightSelectors"));
    assertTrue(c.contains("logs:PutRetentionPolicy"));
  }

  @Test
  void plan_vendorWithoutLogRole_hasNoIamOrLogGroup() {
    VendorProfile noLogs = VendorProfile.create("quiet", "Quiet SaaS", List.of("kms:Decrypt", "kms:GenerateDataKey*"), false, List.of());
    Plan p = Provisioner.plan(Specs.base("generic").vendor(noLogs).build());
    assertTrue(p.lintPassed(), p.findings().toString());
    assertFalse(calls(p).stream().anyMatch(c -> c.startsWith("iam:") || c.startsWith("logs:")), calls(p).toString());
    assertFalse(p.documents().has(PolicyDocuments.TRUST_POLICY));
    assertFalse(p.resources().containsKey("logRole"));
  }

  @Test
  void toJsonTree_documentsAreObjectsNotStrings() {
    JsonNode n = Provisioner.plan(Specs.slack()).toJsonTree();
    for (JsonNode d : n.path("documents")) {
      assertTrue(d.isObject(), d.toString());
    }
    assertEquals(5, n.path("documents").size());
    assertEquals("slack-sandbox-kms-logging", n.path("resources").path("logRole").asText());
  }

  @Test
  void plan_givenAccountAndExternalId_noPlaceholders() {
    ProvisioningSpec spec = Specs.base("slack").account(Specs.ACCOUNT).externalId("ext-0001").build();
    String text = Provisioner.plan(spec).toText();
    assertFalse(text.contains(ResourceNames.ACCOUNT_PLACEHOLDER), text);
    assertFalse(text.contains(PolicyDocuments.EXTERNAL_ID_PLACEHOLDER), text);
    assertTrue(text.contains("acme-slack-sandbox-cloudtrail-123456789012"), text);
  }

  @Test
  void vendorSummary_namesWhatTheVendorConfigures() {
    ProvisioningSpec spec = Specs.slack();
    ResourceNames names = ResourceNames.of(spec, Specs.ACCOUNT);
    HandoffBundle b = HandoffBundle.builder()
        .keyArn(KeyArn.ofKey("aws", "us-east-1", Specs.ACCOUNT, "1234abcd-12ab-34cd-56ef-1234567890ab")).region("us-east-1")
        .roleArn(names.roleArn()).logGroupName(names.logGroupName()).externalId("ext-0001").vendor("slack").build();
    String s = VendorSummary.render(spec, names, b);
    for (String want : new String[] {"YOUR_CMK_ARN", b.keyArn().toString(), "YOUR_ROLE_ARN", names.roleArn(), "YOUR_LOG_GROUP_NAME",
        "ACME_SLACK_SANDBOX_LOG_GROUP", "ext-0001", "111122223333", "kms:GenerateDataKey, kms:Decrypt, kms:DescribeKey",
        "(logs:CreateLogGroup, logs:CreateLogStream, logs:DescribeLogStreams, logs:PutLogEvents)"}) {
      assertTrue(s.contains(want), "summary lacks " + want + ":\n" + s);
    }
  }

  static final String LOG_GROUP_KEY = "arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-0000-4000-8000-000000000001";

  @Test
  void logGroupKmsKey_appliedVerifiedExportedAndChecked() {
    ProvisioningSpec spec = Specs.base("slack").logGroupKmsKey(LOG_GROUP_KEY).build();
    assertTrue(Provisioner.plan(spec).calls().stream().anyMatch(c -> c.resource().endsWith("(KMS key " + LOG_GROUP_KEY + ")")));
    assertEquals(spec, ProvisioningSpec.fromJson(spec.toJson()), "the spec file carries it");
    dev.byok.provisioning.internal.aws.FakeAws aws = new dev.byok.provisioning.internal.aws.FakeAws();
    Provisioner p = Provisioner.builder().spec(spec).ports(aws.ports()).propagationRetry(PropagationRetry.builder().sleeper(d -> { })
        .build()).build();
    p.apply();
    assertEquals(LOG_GROUP_KEY, aws.logs.groups.get("ACME_SLACK_SANDBOX_LOG_GROUP").kmsKeyId);
    assertTrue(p.verify().allPassed());
    aws.logs.groups.get("ACME_SLACK_SANDBOX_LOG_GROUP").kmsKeyId = null;
    assertTrue(p.verify().failures().stream().anyMatch(c -> c.name().equals("log group KMS key")));
    assertEquals(List.of("logs:AssociateKmsKey"), p.apply().changes().stream().map(Change::call).toList(), "apply converges it");
    assertTrue(Provisioner.export(spec, ExportFormat.CLOUDFORMATION).text().contains("\"KmsKeyId\" : \"" + LOG_GROUP_KEY + "\""));
    String main = Provisioner.export(spec, ExportFormat.TERRAFORM).files().get("main.tf");
    assertTrue(main.matches("(?s).*\n  kms_key_id += \"" + java.util.regex.Pattern.quote(LOG_GROUP_KEY) + "\"\n.*"), main);
    IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> Specs.base("slack").logGroupKmsKey("alias/mine"));
    assertTrue(bad.getMessage().contains("must be a KMS key ARN"), bad.getMessage());
  }

  @Test
  void logPolicy_offlinePlan_namesTheAccountPlaceholderNotAStar() {
    String group = "arn:aws:logs:*:" + ResourceNames.ACCOUNT_PLACEHOLDER + ":log-group:ACME_SLACK_SANDBOX_LOG_GROUP";
    String doc = Provisioner.plan(Specs.slack()).documents().json(PolicyDocuments.LOG_POLICY);
    assertTrue(doc.contains("\"" + group + "\"") && doc.contains("\"" + group + ":log-stream:*\""), doc);
    String known = Provisioner.plan(Specs.base("slack").account(Specs.ACCOUNT).build()).documents().json(PolicyDocuments.LOG_POLICY);
    assertTrue(known.contains("arn:aws:logs:*:123456789012:log-group:ACME_SLACK_SANDBOX_LOG_GROUP"), known);
  }

  @Test
  void notes_recommendEncryptionContextAndRetentionAndSayWhatTheyBuy() {
    List<String> notes = Provisioner.plan(Specs.slack()).notes();
    assertTrue(notes.stream().anyMatch(n -> n.startsWith("Recommended: --encryption-context KEY=VALUE") && n.contains("revoke deny-scope")),
        notes.toString());
    assertTrue(notes.stream().anyMatch(n -> n.startsWith("Recommended: --log-retention-days")), notes.toString());
    assertTrue(notes.stream().anyMatch(n -> n.startsWith("Recommended: --log-group-kms-key ARN")), notes.toString());
    List<String> withBoth = Provisioner.plan(Specs.base("slack").encryptionContextCondition("tenant", "T1").logRetentionDays(365)
        .logGroupKmsKey(LOG_GROUP_KEY).build()).notes();
    assertFalse(withBoth.stream().anyMatch(n -> n.startsWith("Recommended:")), withBoth.toString());
  }
}
