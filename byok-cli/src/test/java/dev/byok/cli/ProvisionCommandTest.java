package dev.byok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code byok provision} offline: plan output and errors (the AWS subcommands are in ProvisionCommandIT). */
class ProvisionCommandTest {
  private static final String[] SLACK = {"--company", "acme", "--app", "slack", "--env", "sandbox", "--vendor", "slack",
      "--vendor-account", "111122223333", "--region", "us-east-1"};

  private static String[] args(String sub, String... more) {
    String[] a = new String[2 + SLACK.length + more.length];
    a[0] = "provision";
    a[1] = sub;
    System.arraycopy(SLACK, 0, a, 2, SLACK.length);
    System.arraycopy(more, 0, a, 2 + SLACK.length, more.length);
    return a;
  }

  @Test
  void plan_text_listsNamesCallsAndDocuments() {
    CliRun r = CliRun.run(args("plan"));
    assertEquals(ExitCodes.OK, r.status, r.toString());
    for (String s : new String[] {"alias/acme-slack-sandbox", "alias/acme-slack-sandbox-cloudtrail-logs", "slack-sandbox-logs",
        "ACME_SLACK_SANDBOX_LOG_GROUP", "slack-sandbox-kms-logs", "slack-sandbox-kms-logging", "kms:CreateKey",
        "iam:AttachRolePolicy", "lint: 5 documents, 0 findings", "sts:ExternalId"}) {
      assertTrue(r.out.contains(s), "plan lacks '" + s + "':\n" + r.out);
    }
    assertEquals("", r.err);
  }

  @Test
  void plan_json_documentsAreObjectsAndEveryResourceNamed() throws Exception {
    CliRun r = CliRun.run(args("plan", "--format", "json", "--account", "123456789012"));
    assertEquals(ExitCodes.OK, r.status, r.toString());
    JsonNode n = new ObjectMapper().readTree(r.out);
    for (String d : new String[] {"keyPolicy", "logKeyPolicy", "bucketPolicy", "logPolicy", "trustPolicy"}) {
      assertTrue(n.path("documents").path(d).isObject(), d + " is not a JSON object: " + n.path("documents").path(d));
      assertEquals("2012-10-17", n.path("documents").path(d).path("Version").asText());
    }
    JsonNode res = n.path("resources");
    assertEquals("alias/acme-slack-sandbox", res.path("keyAlias").asText());
    assertEquals("acme-slack-sandbox-cloudtrail-123456789012", res.path("trailBucket").asText());
    assertEquals("slack-sandbox-kms-logging", res.path("logRole").asText());
    assertEquals("ACME_SLACK_SANDBOX_LOG_GROUP", res.path("logGroup").asText());
    assertEquals(0, n.path("lint").size());
    assertEquals(17, n.path("calls").size());
  }

  @Test
  void plan_vendorEventBus_addsTheKeyEventRuleRoleAndDocuments() throws Exception {
    String bus = "arn:aws:events:us-east-1:444455556666:event-bus/byok-key-events";
    CliRun r = CliRun.run(args("plan", "--format", "json", "--account", "123456789012", "--vendor-event-bus", bus));
    assertEquals(ExitCodes.OK, r.status, r.toString());
    JsonNode n = new ObjectMapper().readTree(r.out);
    assertEquals("slack-sandbox-key-events", n.path("resources").path("keyEventRole").asText());
    assertEquals(bus, n.path("resources").path("vendorEventBus").asText());
    assertEquals(bus, n.at("/documents/keyEventsPolicy/Statement/0/Resource").asText());
    assertEquals("aws.kms", n.at("/documents/keyEventPattern/source/0").asText());
    assertEquals(0, n.path("lint").size());
    assertEquals(17 + 4, n.path("calls").size(), "role, its policy, the rule and its target");
  }

  @Test
  void plan_vendorEventBusNotABusArn_usageErrorNamingTheOption() {
    CliRun r = CliRun.run(args("plan", "--vendor-event-bus", "arn:aws:sns:us-east-1:444455556666:topic"));
    assertEquals(ExitCodes.USAGE, r.status, r.toString());
    assertTrue(r.err.startsWith("byok provision plan: --vendor-event-bus: event bus ARN") || r.err.contains("--vendor-event-bus: event bus ARN"),
        r.toString());
    assertEquals(1, r.errLines().size(), r.toString());
  }

  @Test
  void plan_specFile_readAndFlagsOverride(@TempDir Path dir) throws Exception {
    Path spec = dir.resolve("spec.json");
    Files.writeString(spec, "{\"company\":\"acme\",\"app\":\"slack\",\"env\":\"prod\",\"region\":\"eu-west-1\",\"vendor\":\"slack\","
        + "\"vendorAccounts\":[\"111122223333\"]}");
    CliRun r = CliRun.run("provision", "plan", "--spec", spec.toString(), "--env", "sandbox", "--format", "json");
    assertEquals(ExitCodes.OK, r.status, r.toString());
    JsonNode n = new ObjectMapper().readTree(r.out);
    assertEquals("alias/acme-slack-sandbox", n.path("resources").path("keyAlias").asText());
    assertEquals("eu-west-1", n.path("region").asText());
  }

  @Test
  void plan_missingVendorAccount_oneLineUsageError() {
    CliRun r = CliRun.run("provision", "plan", "--company", "acme", "--app", "slack", "--env", "sandbox", "--vendor", "slack",
        "--region", "us-east-1");
    assertEquals(ExitCodes.USAGE, r.status, r.toString());
    assertEquals(1, r.errLines().size(), r.toString());
    assertEquals("byok provision plan: missing --vendor-account (or give --spec FILE)", r.errLines().get(0));
    assertFalse(r.err.contains("\tat "), r.toString());
  }

  @Test
  void plan_logGroupKmsKey_inThePlanAndABadValueNamesTheFlag() {
    String key = "arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-0000-4000-8000-000000000001";
    CliRun ok = CliRun.run(args("plan", "--log-group-kms-key", key));
    assertEquals(ExitCodes.OK, ok.status, ok.toString());
    assertTrue(ok.out.contains("(KMS key " + key + ")"), ok.out);
    CliRun bad = CliRun.run(args("plan", "--log-group-kms-key", "alias/mine"));
    assertEquals(ExitCodes.USAGE, bad.status, bad.toString());
    assertTrue(bad.err.startsWith("byok provision plan: --log-group-kms-key: must be a KMS key ARN"), bad.toString());
  }

  @Test
  void plan_missingCompany_namesTheFlag() {
    CliRun r = CliRun.run("provision", "plan", "--app", "slack", "--env", "sandbox", "--region", "us-east-1");
    assertEquals(ExitCodes.USAGE, r.status, r.toString());
    assertEquals(List.of("byok provision plan: missing --company, --vendor (or --vendor-profile), --vendor-account (or give --spec FILE)"),
        r.errLines());
  }

  @Test
  void revokeVerifyDestroy_namesAlone_noVendorFlagsNeeded() {
    String[] names = {"--company", "acme", "--app", "slack", "--env", "sandbox", "--region", "us-east-1", "--endpoint-url",
        "http://127.0.0.1:9"};
    String savedKey = System.getProperty("aws.accessKeyId");
    String savedSecret = System.getProperty("aws.secretAccessKey");
    System.setProperty("aws.accessKeyId", "dummy"); // any values: the endpoint is never reached
    System.setProperty("aws.secretAccessKey", "dummy");
    try {
      for (String[] sub : new String[][] {{"revoke", "disable"}, {"restore"}, {"verify"}, {"destroy", "--yes"}, {"bundle"}}) {
        String[] a = new String[1 + sub.length + names.length];
        a[0] = "provision";
        System.arraycopy(sub, 0, a, 1, sub.length);
        System.arraycopy(names, 0, a, 1 + sub.length, names.length);
        CliRun r = CliRun.run(a);
        assertEquals(ExitCodes.KEY_SERVICE_UNAVAILABLE, r.status, "got as far as calling AWS (unreachable: 5), no usage error: " + r);
        assertTrue(r.err.contains("stopped at sts:GetCallerIdentity"), r.toString());
      }
    } finally {
      restoreProperty("aws.accessKeyId", savedKey);
      restoreProperty("aws.secretAccessKey", savedSecret);
    }
    CliRun apply = CliRun.run("provision", "apply", "--company", "acme", "--app", "slack", "--env", "sandbox", "--region", "us-east-1");
    assertEquals(ExitCodes.USAGE, apply.status, "apply still needs the vendor: " + apply);
  }

  private static void restoreProperty(String name, String value) {
    if (value == null) {
      System.clearProperty(name);
    } else {
      System.setProperty(name, value);
    }
  }

  @Test
  void plan_badVendorAccount_namesTheOption() {
    CliRun r = CliRun.run(args("plan", "--vendor-account", "1234"));
    assertEquals(ExitCodes.USAGE, r.status, r.toString());
    assertTrue(r.err.contains("--vendor-account"), r.toString());
  }

  @Test
  void plan_companyWithUnderscore_rejected() {
    CliRun r = CliRun.run("provision", "plan", "--company", "acme_corp", "--app", "slack", "--env", "sandbox", "--vendor", "slack",
        "--vendor-account", "111122223333", "--region", "us-east-1");
    assertEquals(ExitCodes.USAGE, r.status, r.toString());
    assertTrue(r.err.contains("company must be letters and digits"), r.toString());
  }

  @Test
  void plan_unknownVendor_listsBuiltInProfiles() {
    CliRun r = CliRun.run("provision", "plan", "--company", "acme", "--app", "x", "--env", "sandbox", "--vendor", "dropbox",
        "--vendor-account", "111122223333", "--region", "us-east-1");
    assertEquals(ExitCodes.USAGE, r.status, r.toString());
    assertTrue(r.err.contains("unknown vendor profile 'dropbox'") && r.err.contains("atlassian"), r.toString());
  }

  @Test
  void plan_debug_printsStackTraceOnlyWithDebug() {
    CliRun quiet = CliRun.run(args("plan", "--vendor-account", "12"));
    assertFalse(quiet.err.contains("\tat "), quiet.toString());
    CliRun debug = CliRun.run(args("plan", "--vendor-account", "12", "--debug"));
    assertTrue(debug.err.contains("\tat "), debug.toString());
  }

  @Test
  void revoke_unknownMode_usageErrorBeforeAnyAwsCall() {
    CliRun r = CliRun.run(args("revoke", "shred", "--endpoint-url", "http://127.0.0.1:9"));
    assertEquals(ExitCodes.USAGE, r.status, r.toString());
    assertTrue(r.err.contains("unknown revoke mode 'shred'"), r.toString());
  }

  @Test
  void revoke_scheduleDeletionOutOfRange_usageError() {
    CliRun r = CliRun.run(args("revoke", "schedule-deletion", "--days", "3", "--endpoint-url", "http://127.0.0.1:9"));
    assertEquals(ExitCodes.USAGE, r.status, r.toString());
    assertTrue(r.err.contains("7-30"), r.toString());
    CliRun older = CliRun.run(args("revoke", "schedule-deletion", "3", "--endpoint-url", "http://127.0.0.1:9"));
    assertEquals(r.err, older.err, "the older positional form is still read, the same way");
  }

  @Test
  void revoke_optionsInTheStyleOfKeys_checkedBeforeAnyAwsCall() {
    CliRun missing = CliRun.run(args("revoke", "deny-scope", "--endpoint-url", "http://127.0.0.1:9"));
    assertEquals(ExitCodes.USAGE, missing.status, missing.toString());
    assertTrue(missing.err.contains("such as --context tenant=T123"), missing.toString());
    CliRun wrong = CliRun.run(args("revoke", "disable", "--days", "7", "--endpoint-url", "http://127.0.0.1:9"));
    assertEquals(ExitCodes.USAGE, wrong.status, wrong.toString());
    assertTrue(wrong.err.contains("--days does not apply to disable (it takes no argument)"), wrong.toString());
    CliRun both = CliRun.run(args("revoke", "deny-scope", "tenant=a", "--context", "tenant=a", "--endpoint-url", "http://127.0.0.1:9"));
    assertEquals(ExitCodes.USAGE, both.status, both.toString());
    CliRun help = CliRun.run("provision", "revoke", "--help");
    assertTrue(help.out.contains("--context=KEY=VALUE") && help.out.contains("--days=DAYS"), help.out);
    assertFalse(help.out.contains("[ARG]"), "the positional form is hidden: " + help.out);
  }

  @Test
  void destroy_withoutYes_refused() {
    CliRun r = CliRun.run(args("destroy", "--endpoint-url", "http://127.0.0.1:9"));
    assertEquals(ExitCodes.USAGE, r.status, r.toString());
    assertTrue(r.err.contains("--yes"), r.toString());
  }

  @Test
  void endpointUrl_unknownService_usageError() {
    CliRun r = CliRun.run(args("verify", "--endpoint-url", "dynamodb=http://127.0.0.1:9"));
    assertEquals(ExitCodes.USAGE, r.status, r.toString());
    assertTrue(r.err.contains("unknown service 'dynamodb'"), r.toString());
  }

  @Test
  void endpointUrl_withoutScheme_saysToAddHttp() {
    CliRun r = CliRun.run(args("apply", "--endpoint-url", "127.0.0.1:4566"));
    assertEquals(ExitCodes.USAGE, r.status, r.toString());
    assertEquals(List.of("byok provision apply: --endpoint-url: endpoint URL '127.0.0.1:4566' has no scheme: write http://127.0.0.1:4566"
        + " (or https://)"), r.errLines());
    dev.byok.cli.internal.UsageException e = org.junit.jupiter.api.Assertions.assertThrows(dev.byok.cli.internal.UsageException.class,
        () -> dev.byok.cli.internal.Endpoints.parse(List.of("kms=127.0.0.1:4566")));
    assertEquals("--endpoint-url 'kms=127.0.0.1:4566': no scheme; write http://127.0.0.1:4566", e.getMessage());
  }

  @Test
  void export_terraformToStdout_oneModuleText() {
    CliRun r = CliRun.run(args("export", "--format", "terraform"));
    assertEquals(ExitCodes.OK, r.status, r.toString());
    for (String s : new String[] {"# file: main.tf", "data \"aws_caller_identity\" \"current\"", "output \"YOUR_CMK_ARN\"",
        "sensitive   = true", "jsonencode(jsondecode(<<-EOT"}) {
      assertTrue(r.out.contains(s), "export lacks '" + s + "':\n" + r.out);
    }
    assertEquals("", r.err);
  }

  @Test
  void export_cloudFormationToFolder_writesTheTemplate(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("iac");
    CliRun r = CliRun.run(args("export", "--format", "cloudformation", "--out", out.toString()));
    assertEquals(ExitCodes.OK, r.status, r.toString());
    JsonNode t = new ObjectMapper().readTree(Files.readString(out.resolve("template.json")));
    assertTrue(t.path("Parameters").path("ExternalId").path("NoEcho").asBoolean(), t.toString());
    assertEquals("AWS::KMS::Key", t.path("Resources").path("Key").path("Type").asText());
    assertTrue(r.out.startsWith("wrote " + out.resolve("template.json")), r.out);
  }

  @Test
  void export_unknownFormat_oneLineUsageError() {
    CliRun r = CliRun.run(args("export", "--format", "pulumi"));
    assertEquals(ExitCodes.USAGE, r.status, r.toString());
    assertEquals(java.util.List.of("byok provision export: --format: unknown export format 'pulumi': use cloudformation or terraform"),
        r.errLines());
    assertEquals("", r.out);
  }

  @Test
  void export_unwritableOut_oneLineUsageError(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    CliRun r = CliRun.run(args("export", "--format", "terraform", "--out", file.resolve("sub").toString()));
    assertEquals(ExitCodes.USAGE, r.status, r.toString());
    assertEquals(1, r.errLines().size(), r.err);
    assertTrue(r.err.startsWith("byok provision export: --out '" + file.resolve("sub") + "': cannot write there"), r.err);
  }

  @Test
  void export_specPlanRefuses_samMessageAsPlan() {
    java.util.List<String> accounts = new java.util.ArrayList<>();
    for (int i = 0; i < 70; i++) {
      accounts.add("--vendor-account");
      accounts.add(String.format("1000000000%02d", i));
    }
    String[] more = accounts.toArray(new String[0]);
    CliRun plan = CliRun.run(args("plan", more));
    CliRun export = CliRun.run(args("export", concat(more, "--format", "terraform")));
    assertEquals(ExitCodes.FAILED, plan.status, plan.toString());
    assertEquals(ExitCodes.FAILED, export.status, export.toString());
    String planLine = plan.errLines().get(0);
    assertTrue(planLine.startsWith("byok provision plan: lint: trustPolicy"), planLine);
    assertEquals(java.util.List.of(planLine.replace("byok provision plan:", "byok provision export:")), export.errLines());
    assertEquals("", export.out);
  }

  @Test
  void bundle_outInMissingFolder_usageErrorBeforeAnyAwsCall(@TempDir Path dir) {
    CliRun r = CliRun.run(args("bundle", "--out", dir.resolve("no-such-folder").resolve("b.json").toString(), "--endpoint-url",
        "http://127.0.0.1:9"));
    assertEquals(ExitCodes.USAGE, r.status, r.toString());
    assertTrue(r.err.startsWith("byok provision bundle: --out '") && r.err.contains("does not exist"), r.err);
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
