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
    out.add(Arguments.of("slack-key-events", withKeyEvents()));
    return out.stream();
  }

  /** The slack spec with a vendor key-event bus, and a tag (the rule and role carry the spec's tags). */
  private static ProvisioningSpec withKeyEvents() {
    return Specs.base("slack").account(ACCOUNT).externalId(EXTERNAL_ID).tag("team", "security")
        .vendorEventBus(KeyEventProvisioningTest.BUS).build();
  }

  /** What a stack would see; the customer key's ID is the plan's stand-in, so the key-event pattern reads as plan's. */
  private static Map<String, String> values(ProvisioningSpec spec) {
    Map<String, String> v = new java.util.LinkedHashMap<>(ExportedFiles.stackValues(ACCOUNT, spec.region(), EXTERNAL_ID,
        spec.vendorAccounts()));
    v.put("Key", PolicyDocuments.KEY_ID_PLACEHOLDER);
    v.put("Key.Arn", ResourceNames.of(spec, ACCOUNT).keyArn(PolicyDocuments.KEY_ID_PLACEHOLDER));
    return v;
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
    assertEquals(d.has(PolicyDocuments.KEY_EVENT_PATTERN), t.path("Resources").has("KeyEventRule"), "a key-event rule exactly with a bus");
    if (d.has(PolicyDocuments.KEY_EVENT_PATTERN)) {
      assertEquals(ExportedFiles.json(d.json(PolicyDocuments.KEY_EVENT_PATTERN)), property(t, "KeyEventRule", "EventPattern", spec));
      assertEquals(ExportedFiles.json(d.json(PolicyDocuments.KEY_EVENTS_TRUST_POLICY)),
          property(t, "KeyEventRole", "AssumeRolePolicyDocument", spec));
      assertEquals(ExportedFiles.json(d.json(PolicyDocuments.KEY_EVENTS_POLICY)),
          property(t, "KeyEventRole", "Policies", spec).get(0).path("PolicyDocument"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void terraform_policyDocuments_equalPlans(String name, ProvisioningSpec spec) {
    Plan plan = Provisioner.plan(spec);
    Export e = Provisioner.export(spec, ExportFormat.TERRAFORM);
    Map<String, JsonNode> policies = ExportedFiles.terraformPolicies(e.files().get("main.tf"), ACCOUNT, spec.region(), EXTERNAL_ID,
        spec.vendorAccounts(), values(spec).get("Key"), values(spec).get("Key.Arn"));
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
  void cloudFormation_keyEvents_ruleTargetAndRoleAsApplyWritesThem() {
    ProvisioningSpec spec = withKeyEvents();
    ResourceNames n = ResourceNames.of(spec, ACCOUNT);
    JsonNode t = template(spec);
    JsonNode rule = t.path("Resources").path("KeyEventRule");
    assertEquals("AWS::Events::Rule", rule.path("Type").asText());
    assertEquals(n.keyEventRuleName(), property(t, "KeyEventRule", "Name", spec).asText());
    assertEquals("default", property(t, "KeyEventRule", "EventBusName", spec).asText());
    assertEquals("ENABLED", property(t, "KeyEventRule", "State", spec).asText());
    assertEquals(dev.byok.provisioning.internal.KeyEventForwarding.ruleDescription(n),
        property(t, "KeyEventRule", "Description", spec).asText());
    JsonNode targets = rule.path("Properties").path("Targets");
    assertEquals(1, targets.size(), targets.toString());
    assertEquals("vendor-event-bus", targets.get(0).path("Id").asText());
    assertEquals(KeyEventProvisioningTest.BUS, targets.get(0).path("Arn").asText(), "the vendor's bus, literally: its region and partition");
    assertEquals("{\"Fn::GetAtt\":[\"KeyEventRole\",\"Arn\"]}", targets.get(0).path("RoleArn").toString());
    JsonNode keyIds = rule.path("Properties").path("EventPattern").path("detail").path("requestParameters").path("keyId");
    assertEquals("[{\"Ref\":\"Key\"},{\"Fn::GetAtt\":[\"Key\",\"Arn\"]}]", keyIds.toString(), "the key the stack makes");
    JsonNode role = t.path("Resources").path("KeyEventRole");
    assertEquals("AWS::IAM::Role", role.path("Type").asText());
    assertEquals(n.keyEventRoleName(), property(t, "KeyEventRole", "RoleName", spec).asText());
    assertEquals(dev.byok.provisioning.internal.KeyEventForwarding.roleDescription(n),
        property(t, "KeyEventRole", "Description", spec).asText());
    assertEquals(n.keyEventPolicyName(), property(t, "KeyEventRole", "Policies", spec).get(0).path("PolicyName").asText());
    assertEquals("[{\"Key\":\"team\",\"Value\":\"security\"}]", property(t, "KeyEventRole", "Tags", spec).toString());
    assertEquals(n.keyEventRuleArn(), property(t, "KeyEventRole", "AssumeRolePolicyDocument", spec).path("Statement").get(0)
        .path("Condition").path("StringEquals").path("aws:SourceArn").asText());
    String text = Provisioner.export(spec, ExportFormat.CLOUDFORMATION).files().get("template.json");
    assertFalse(text.contains(PolicyDocuments.KEY_ID_PLACEHOLDER), "no stand-in left: " + text);
    assertTrue(Provisioner.export(spec, ExportFormat.CLOUDFORMATION).notes().stream().anyMatch(s -> s.startsWith("Key events: the rule "
        + n.keyEventRuleName())), "the notes name the rule");
  }

  @Test
  void terraform_keyEvents_ruleTargetAndRoleAsApplyWritesThem() {
    ProvisioningSpec spec = withKeyEvents();
    ResourceNames n = ResourceNames.of(spec, ACCOUNT);
    String main = Provisioner.export(spec, ExportFormat.TERRAFORM).files().get("main.tf");
    assertFalse(main.contains(PolicyDocuments.KEY_ID_PLACEHOLDER), "no stand-in left: " + main);
    assertTrue(main.contains("\"keyId\" : [ \"${aws_kms_key.key.key_id}\", \"${aws_kms_key.key.arn}\" ]"),
        "the pattern names the key the module makes: " + main);
    String rule = block(main, "aws_cloudwatch_event_rule", "key_events");
    assertTrue(rule.contains("name           = \"" + n.keyEventRuleName() + "\""), rule);
    assertTrue(rule.contains("event_bus_name = \"default\""), rule);
    assertTrue(rule.contains("event_pattern  = local.key_event_pattern"), rule);
    assertTrue(rule.contains("description    = \"" + dev.byok.provisioning.internal.KeyEventForwarding.ruleDescription(n) + "\""), rule);
    String target = block(main, "aws_cloudwatch_event_target", "key_events");
    assertTrue(target.contains("rule           = aws_cloudwatch_event_rule.key_events.name"), target);
    assertTrue(target.contains("target_id      = \"vendor-event-bus\""), target);
    assertTrue(target.contains("arn            = \"" + KeyEventProvisioningTest.BUS + "\""), target);
    assertTrue(target.contains("role_arn       = aws_iam_role.key_events.arn"), target);
    String role = block(main, "aws_iam_role", "key_events");
    assertTrue(role.contains("name               = \"" + n.keyEventRoleName() + "\""), role);
    assertTrue(role.contains("assume_role_policy = local.key_events_trust_policy"), role);
    String inline = block(main, "aws_iam_role_policy", "key_events");
    assertTrue(inline.contains("name   = \"" + n.keyEventPolicyName() + "\""), inline);
    assertTrue(inline.contains("role   = aws_iam_role.key_events.id"), inline);
    assertTrue(inline.contains("policy = local.key_events_policy"), inline);
  }

  @Test
  void export_withoutVendorEventBus_hasNoKeyEventResources() {
    ProvisioningSpec spec = Specs.slack();
    assertFalse(template(spec).path("Resources").has("KeyEventRule"));
    assertFalse(template(spec).path("Resources").has("KeyEventRole"));
    String tf = Provisioner.export(spec, ExportFormat.TERRAFORM).text();
    assertFalse(tf.contains("key_events") || tf.contains("key_event_pattern"), tf);
  }

  /** The text of {@code resource "TYPE" "NAME" { ... }} in {@code main}. */
  private static String block(String main, String type, String name) {
    String head = "resource \"" + type + "\" \"" + name + "\" {\n";
    int at = main.indexOf(head);
    assertTrue(at >= 0, "no " + head + " in\n" + main);
    return main.substring(at, main.indexOf("\n}\n", at) + 3);
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
