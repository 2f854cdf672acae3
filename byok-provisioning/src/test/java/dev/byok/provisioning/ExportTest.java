package dev.byok.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byok.core.AwsAccountId;
import dev.byok.core.ProvisioningException;
import dev.byok.provisioning.internal.iac.TerraformModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Provisioner#export}: both formats carry exactly the plan's policy documents, names and
 * settings once the tool fills in the account, parameters and variables; nothing secret or
 * account-specific is written into the files; a spec plan refuses is refused with plan's message.
 */
class ExportTest {
  private static final AwsAccountId ACCOUNT = AwsAccountId.of("210987654321");
  private static final String EXTERNAL_ID = "ext-Id.0001";

  /** Every built-in profile and the options case, each with the account and external ID given so plan's documents are final. */
  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String vendor : VendorProfile.BUILT_IN) {
      out.add(Arguments.of(vendor, Specs.base(vendor).account(ACCOUNT).externalId(EXTERNAL_ID).build()));
    }
    out.add(Arguments.of("slack-options", Specs.withOptions().toBuilder().account(ACCOUNT).externalId(EXTERNAL_ID)
        .tag("team", "security").logRetentionDays(365).keyRotation(false).insights(false).multiRegionKey(true).build()));
    return out.stream();
  }

  private static Map<String, String> values(ProvisioningSpec spec) {
    return ExportedFiles.stackValues(ACCOUNT, spec.region(), EXTERNAL_ID, spec.vendorAccounts());
  }

  private static JsonNode template(ProvisioningSpec spec) {
    return ExportedFiles.json(Provisioner.export(spec, ExportFormat.CLOUDFORMATION).files().get("template.json"));
  }

  private static JsonNode property(JsonNode template, String resource, String property, ProvisioningSpec spec) {
    JsonNode r = template.path("Resources").path(resource);
    assertTrue(r.isObject(), "no resource " + resource);
    return ExportedFiles.resolve(r.path("Properties").path(property), values(spec));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void cloudFormation_policyDocuments_equalPlans(String name, ProvisioningSpec spec) {
    Plan plan = Provisioner.plan(spec);
    JsonNode t = template(spec);
    PolicyDocuments d = plan.documents();
    assertEquals(ExportedFiles.json(d.json(PolicyDocuments.KEY_POLICY)), property(t, "Key", "KeyPolicy", spec));
    assertEquals(ExportedFiles.json(d.json(PolicyDocuments.LOG_KEY_POLICY)), property(t, "LogKey", "KeyPolicy", spec));
    assertEquals(ExportedFiles.json(d.json(PolicyDocuments.BUCKET_POLICY)), property(t, "TrailBucketPolicy", "PolicyDocument", spec));
    assertEquals(ExportedFiles.json(d.json(PolicyDocuments.LOG_POLICY)), property(t, "VendorLogPolicy", "PolicyDocument", spec));
    assertEquals(ExportedFiles.json(d.json(PolicyDocuments.TRUST_POLICY)), property(t, "VendorLogRole", "AssumeRolePolicyDocument", spec));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void terraform_policyDocuments_equalPlans(String name, ProvisioningSpec spec) {
    Plan plan = Provisioner.plan(spec);
    Export e = Provisioner.export(spec, ExportFormat.TERRAFORM);
    Map<String, JsonNode> policies = ExportedFiles.terraformPolicies(e.files().get("main.tf"), ACCOUNT, spec.region(), EXTERNAL_ID,
        spec.vendorAccounts());
    assertEquals(plan.documents().names().size(), policies.size(), policies.keySet().toString());
    for (String doc : plan.documents().names()) {
      assertEquals(ExportedFiles.json(plan.documents().json(doc)), policies.get(TerraformModule.local(doc)), doc);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void cloudFormation_namesAndSettings_areThePlans(String name, ProvisioningSpec spec) {
    Map<String, String> r = Provisioner.plan(spec).resources();
    JsonNode t = template(spec);
    assertEquals(r.get("keyAlias"), property(t, "KeyAlias", "AliasName", spec).asText());
    assertEquals(r.get("logKeyAlias"), property(t, "LogKeyAlias", "AliasName", spec).asText());
    assertEquals(r.get("trailBucket"), property(t, "TrailBucket", "BucketName", spec).asText());
    assertEquals(r.get("trail"), property(t, "Trail", "TrailName", spec).asText());
    assertEquals(r.get("logGroup"), property(t, "VendorLogGroup", "LogGroupName", spec).asText());
    assertEquals(r.get("logPolicy"), property(t, "VendorLogPolicy", "ManagedPolicyName", spec).asText());
    assertEquals(r.get("logRole"), property(t, "VendorLogRole", "RoleName", spec).asText());
    assertEquals(spec.keyRotation(), property(t, "Key", "EnableKeyRotation", spec).asBoolean());
    assertEquals(spec.multiRegionKey(), property(t, "Key", "MultiRegion", spec).asBoolean());
    assertEquals(spec.keyDescription(), property(t, "Key", "Description", spec).asText());
    assertTrue(property(t, "LogKey", "EnableKeyRotation", spec).asBoolean());
    assertEquals(spec.multiRegionTrail(), property(t, "Trail", "IsMultiRegionTrail", spec).asBoolean());
    assertEquals(spec.insights() ? 2 : 0, property(t, "Trail", "InsightSelectors", spec).size());
    assertEquals(spec.logRetentionDays().map(String::valueOf).orElse(""), property(t, "VendorLogGroup", "RetentionInDays", spec).asText());
    assertTrue(property(t, "TrailBucket", "PublicAccessBlockConfiguration", spec).path("RestrictPublicBuckets").asBoolean());
  }

  @Test
  void cloudFormation_accountParametersOutputsAndOrder() {
    ProvisioningSpec spec = Specs.withOptions().toBuilder().account(ACCOUNT).externalId(EXTERNAL_ID).build();
    String text = Provisioner.export(spec, ExportFormat.CLOUDFORMATION).files().get("template.json");
    JsonNode t = ExportedFiles.json(text);
    assertFalse(text.contains(ACCOUNT.value()), "the account is AWS::AccountId, never written in");
    assertFalse(text.contains(EXTERNAL_ID), "the external ID is a parameter, never written in");
    assertTrue(text.contains("${AWS::AccountId}"), text);
    JsonNode ext = t.path("Parameters").path("ExternalId");
    assertTrue(ext.path("NoEcho").asBoolean());
    assertFalse(ext.has("Default"));
    assertEquals("111122223333", t.path("Parameters").path("VendorAccount1").path("Default").asText());
    assertEquals("444455556666", t.path("Parameters").path("VendorAccount2").path("Default").asText());
    assertEquals("{\"Fn::Sub\":\"arn:${AWS::Partition}:iam::${VendorAccount2}:root\"}",
        t.path("Resources").path("Key").path("Properties").path("KeyPolicy").path("Statement").get(2).path("Principal").path("AWS").get(1)
            .toString());
    assertEquals(List.of("YourCmkArn", "YourRoleArn", "YourLogGroupName"), names(t.path("Outputs")));
    assertTrue(t.path("Outputs").path("YourCmkArn").path("Description").asText().startsWith("YOUR_CMK_ARN"));
    assertEquals("[\"TrailBucketPolicy\"]", t.path("Resources").path("Trail").path("DependsOn").toString(), "the bucket policy first");
    assertEquals("{\"Fn::GetAtt\":[\"LogKey\",\"Arn\"]}", t.path("Resources").path("Trail").path("Properties").path("KMSKeyId").toString());
    assertEquals("[{\"Ref\":\"VendorLogRole\"}]", t.path("Resources").path("VendorLogPolicy").path("Properties").path("Roles").toString(),
        "the policy is attached through Roles, so the role exists first");
    assertEquals("{\"Ref\":\"Key\"}", t.path("Resources").path("KeyAlias").path("Properties").path("TargetKeyId").toString());
  }

  @Test
  void terraform_variablesOutputsAndStableOrder() {
    ProvisioningSpec spec = Specs.withOptions().toBuilder().account(ACCOUNT).externalId(EXTERNAL_ID).build();
    Export e = Provisioner.export(spec, ExportFormat.TERRAFORM);
    assertEquals(List.of("versions.tf", "providers.tf", "variables.tf", "main.tf", "outputs.tf"), List.copyOf(e.files().keySet()));
    String all = e.text();
    assertFalse(all.contains(ACCOUNT.value()), all);
    assertFalse(all.contains(EXTERNAL_ID), all);
    String vars = e.files().get("variables.tf");
    String external = vars.substring(vars.indexOf("variable \"external_id\""));
    assertTrue(external.contains("sensitive   = true"), external);
    assertFalse(external.contains("default"), external);
    assertTrue(vars.contains("default     = [\"111122223333\", \"444455556666\"]"), vars);
    String main = e.files().get("main.tf");
    assertTrue(main.contains("account_id   = data.aws_caller_identity.current.account_id"), main);
    assertTrue(main.contains("bucket = \"acme-slack-sandbox-cloudtrail-${local.account_id}\""), main);
    assertEquals(5, main.split("jsonencode\\(jsondecode\\(<<-EOT", -1).length - 1, "every policy through jsonencode(jsondecode(...))");
    for (String res : List.of("aws_kms_key.key", "aws_kms_key.log_key", "aws_s3_bucket_policy.trail", "aws_iam_role.vendor_logs")) {
      String type = res.substring(0, res.indexOf('.'));
      String local = main.substring(main.indexOf("resource \"" + type + "\" \"" + res.substring(res.indexOf('.') + 1) + "\""));
      assertTrue(local.substring(0, local.indexOf("\n}\n")).matches("(?s).*(policy|assume_role_policy) += local\\.\\w+_policy(\n.*)?"),
          res + " takes its policy from a local: " + local);
    }
    assertTrue(main.contains("  depends_on = [aws_s3_bucket_policy.trail]\n"), "the trail waits for the bucket policy");
    assertTrue(main.contains("policy_arn = aws_iam_policy.vendor_logs.arn"), main);
    String outputs = e.files().get("outputs.tf");
    for (String o : List.of("YOUR_CMK_ARN", "YOUR_ROLE_ARN", "YOUR_LOG_GROUP_NAME")) {
      assertTrue(outputs.contains("output \"" + o + "\""), outputs);
    }
    assertEquals(e.files(), Provisioner.export(spec, ExportFormat.TERRAFORM).files(), "the same spec exports the same text");
  }

  @Test
  void export_vendorWithoutLogRole_hasNoRoleLogGroupOrExternalId() {
    VendorProfile quiet = VendorProfile.create("quiet", "Quiet SaaS", List.of("kms:Decrypt", "kms:GenerateDataKey"), false, List.of());
    ProvisioningSpec spec = Specs.base("generic").vendor(quiet).build();
    JsonNode t = ExportedFiles.json(Provisioner.export(spec, ExportFormat.CLOUDFORMATION).files().get("template.json"));
    assertFalse(t.path("Resources").has("VendorLogRole"));
    assertFalse(t.path("Parameters").has("ExternalId"));
    assertEquals(List.of("YourCmkArn"), names(t.path("Outputs")));
    Export tf = Provisioner.export(spec, ExportFormat.TERRAFORM);
    assertFalse(tf.text().contains("external_id") || tf.text().contains("aws_iam_role"), tf.text());
  }

  @Test
  void export_specThatPlanRefuses_refusedWithPlansMessage() {
    ProvisioningSpec.Builder b = Specs.base("slack");
    List<AwsAccountId> many = new ArrayList<>();
    for (int i = 0; i < 70; i++) {
      many.add(AwsAccountId.of(String.format("1000000000%02d", i)));
    }
    ProvisioningSpec spec = b.vendorAccounts(many).build();
    Plan plan = Provisioner.plan(spec);
    assertFalse(plan.lintPassed(), "70 vendor accounts make the trust policy too large");
    String planLine = "lint: " + plan.findings().get(0) + (plan.findings().size() > 1 ? " (and " + (plan.findings().size() - 1) + " more)" : "");
    for (ExportFormat f : ExportFormat.values()) {
      ProvisioningException e = assertThrows(ProvisioningException.class, () -> Provisioner.export(spec, f));
      assertEquals(planLine, e.getMessage());
    }
  }

  @Test
  void export_widenedProfile_warnsAboutEachWildcard() {
    VendorProfile wide = VendorProfile.create("wide", "Wide SaaS", List.of("kms:GenerateDataKey*", "kms:Decrypt", "kms:ReEncrypt*",
        "kms:DescribeKey"), true, List.of());
    ProvisioningSpec spec = Specs.base("generic").vendor(wide).build();
    Plan plan = Provisioner.plan(spec);
    assertTrue(plan.lintPassed(), "a warning is not an error: " + plan.findings());
    assertEquals(List.of("kms:GenerateDataKey*", "kms:ReEncrypt*"),
        plan.warnings().stream().map(w -> w.message().substring(7, w.message().indexOf(" grants"))).toList());
    assertTrue(plan.warnings().stream().allMatch(w -> w.rule() == LintRule.VENDOR_ACTION_WILDCARD && w.rule().warning()));
    assertTrue(plan.warnings().get(0).toString().contains("warns by rule vendor-action-wildcard: action kms:GenerateDataKey* grants"
        + " [kms:GenerateDataKey, kms:GenerateDataKeyPair, kms:GenerateDataKeyPairWithoutPlaintext, kms:GenerateDataKeyWithoutPlaintext]"),
        plan.warnings().get(0).toString());
    assertTrue(plan.toText().contains("WARN keyPolicy statement 'AllowVendorUseOfTheKey'"), plan.toText());
    assertEquals(plan.warnings(), Provisioner.export(spec, ExportFormat.TERRAFORM).warnings());
    assertEquals(List.of(), Provisioner.plan(Specs.slack()).warnings(), "the built-in profiles name exact actions");
  }

  @Test
  void writeTo_writesEveryFileAndLeavesOthers(@TempDir Path dir) throws IOException {
    Path other = Files.writeString(dir.resolve("backend.tf"), "# mine\n");
    Export e = Provisioner.export(Specs.slack(), ExportFormat.TERRAFORM);
    List<Path> written = e.writeTo(dir.resolve("byok"));
    assertEquals(5, written.size());
    for (Path p : written) {
      assertEquals(e.files().get(p.getFileName().toString()), Files.readString(p, StandardCharsets.UTF_8));
    }
    assertEquals("# mine\n", Files.readString(other));
    assertTrue(e.text().startsWith("# file: versions.tf\n"), e.text());
  }

  @Test
  void exportFormat_parse_namesTheChoicesOnBadInput() {
    assertEquals(ExportFormat.TERRAFORM, ExportFormat.parse("Terraform"));
    assertEquals(ExportFormat.CLOUDFORMATION, ExportFormat.parse("cloudformation"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExportFormat.parse("pulumi"));
    assertEquals("unknown export format 'pulumi': use cloudformation or terraform", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ExportFormat.parse(null));
  }

  private static List<String> names(JsonNode object) {
    List<String> out = new ArrayList<>();
    object.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
