package dev.byok.provisioning.internal.iac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.byok.provisioning.PolicyDocuments;
import dev.byok.provisioning.ProvisioningSpec;
import dev.byok.provisioning.ResourceNames;
import dev.byok.provisioning.internal.Json;
import dev.byok.provisioning.internal.KeyEventForwarding;
import dev.byok.provisioning.internal.aws.EventsPort;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The set-up as a Terraform root module for the {@code hashicorp/aws} provider (5.x):
 * {@code versions.tf}, {@code providers.tf}, {@code variables.tf}, {@code main.tf} and
 * {@code outputs.tf}, laid out as {@code terraform fmt} keeps them.
 *
 * <p>The account ID comes from {@code data.aws_caller_identity}, the partition and region from
 * {@code data.aws_partition} and {@code data.aws_region}; the vendor accounts are the variable
 * {@code vendor_accounts} (default: the spec's), the external ID the {@code sensitive} variable
 * {@code external_id} without a default. Each policy document is the plan's JSON in a heredoc with
 * those values filled in, passed through {@code jsonencode(jsondecode(...))}: one canonical text
 * (keys sorted), so the provider sees no change on the next plan. The trail depends on the bucket
 * policy; the policy attachment names the role and the policy, so both exist first. With a vendor
 * key-event bus, the rule on the default bus ({@code aws_cloudwatch_event_rule.key_events}, its
 * pattern naming {@code aws_kms_key.key}), its target the vendor's bus through the role
 * {@code aws_iam_role.key_events} with its inline policy.
 */
public final class TerraformModule {
  /** The marker of the policy heredocs. */
  static final String HEREDOC = "EOT";
  /** Marks, in a rendered document, the array of the vendor accounts' root ARNs. */
  private static final String VENDOR_ROOTS_MARK = "\u0001VENDOR_ROOTS\u0001";

  private final Setup s;

  private TerraformModule(Setup s) {
    this.s = s;
  }

  /** The module's files, by name, in reading order. */
  public static Map<String, String> render(Setup setup) {
    TerraformModule m = new TerraformModule(setup);
    Map<String, String> files = new LinkedHashMap<>();
    files.put("versions.tf", m.versions());
    files.put("providers.tf", m.providers());
    files.put("variables.tf", m.variables());
    files.put("main.tf", m.main());
    files.put("outputs.tf", m.outputs());
    return files;
  }

  private String versions() {
    return Hcl.block("terraform")
        .attr("required_version", Hcl.quote(">= 1.5.0"))
        .block(Hcl.block("required_providers").attr("aws", "{\n  source  = \"hashicorp/aws\"\n  version = \">= 5.0\"\n}"))
        .render();
  }

  private String providers() {
    return "# Remove this file to use the folder as a child module with the caller's provider.\n"
        + Hcl.block("provider \"aws\"").attr("region", "var.region").render();
  }

  private String variables() {
    ProvisioningSpec spec = s.spec();
    StringBuilder b = new StringBuilder();
    b.append(Hcl.block("variable \"region\"")
        .attr("description", Hcl.quote("The region of the set-up (the spec's region)."))
        .attr("type", "string")
        .attr("default", Hcl.quote(spec.region()))
        .render());
    b.append('\n');
    String defaults = s.vendorAccounts().stream().map(Hcl::quote).collect(Collectors.joining(", ", "[", "]"));
    b.append(Hcl.block("variable \"vendor_accounts\"")
        .attr("description", Hcl.quote("The AWS account IDs of " + spec.vendor().displayName()
            + " (from the vendor's technical contact); the key policy and the log role trust their roots."))
        .attr("type", "list(string)")
        .attr("default", defaults)
        .block(Hcl.block("validation")
            .attr("condition", "length(var.vendor_accounts) > 0 && alltrue([for a in var.vendor_accounts : can(regex(\"^[0-9]{12}$\", a))])")
            .attr("error_message", Hcl.quote("Each vendor account must be a 12-digit AWS account ID.")))
        .render());
    if (s.logsViaRole()) {
      b.append('\n');
      b.append(Hcl.block("variable \"external_id\"")
          .attr("description", Hcl.quote("The external ID the vendor gives when it assumes the log role (agree it with the vendor;"
              + " for example 32 random bytes as hex)."))
          .attr("type", "string")
          .attr("sensitive", "true")
          .block(Hcl.block("validation")
              .attr("condition", "length(var.external_id) >= 2 && length(var.external_id) <= 1224"
                  + " && can(regex(\"^[A-Za-z0-9+=,.@:/-]+$\", var.external_id))")
              .attr("error_message", Hcl.quote("The external ID must be 2-1224 of A-Z a-z 0-9 + = , . @ : / -.")))
          .render());
    }
    return b.toString();
  }

  private String main() {
    ProvisioningSpec spec = s.spec();
    ResourceNames n = s.names();
    StringBuilder b = new StringBuilder();
    b.append("# BYOK set-up of ").append(spec.company()).append(" for ").append(spec.vendor().displayName()).append(" (")
        .append(spec.app()).append(", ").append(spec.env()).append("),\n");
    b.append("# exported by 'byok provision export' from the same spec as 'byok provision plan'.\n\n");
    b.append(Hcl.block("data \"aws_caller_identity\" \"current\"").render()).append('\n');
    b.append(Hcl.block("data \"aws_partition\" \"current\"").render()).append('\n');
    b.append(Hcl.block("data \"aws_region\" \"current\"").render()).append('\n');

    Hcl locals = Hcl.block("locals")
        .attr("account_id", "data.aws_caller_identity.current.account_id")
        .attr("partition", "data.aws_partition.current.partition")
        .attr("region", "data.aws_region.current.name")
        .attr("vendor_roots", "[for a in var.vendor_accounts : \"arn:${local.partition}:iam::${a}:root\"]")
        .comment("The plan's policy documents; jsonencode(jsondecode(...)) makes one canonical text (keys sorted),")
        .comment("so the next plan finds no difference.");
    for (String d : s.documents().keySet()) {
      locals.attr(local(d), "jsonencode(jsondecode(<<-" + HEREDOC + "\n" + indent(heredoc(s.document(d))) + HEREDOC + "\n))");
    }
    b.append(locals.render()).append('\n');

    b.append(key("key", n.keyAlias(), s.spec().keyDescription(), spec.multiRegionKey(), spec.keyRotation(),
        local(PolicyDocuments.KEY_POLICY), s.keyTags())).append('\n');
    b.append(key("log_key", n.logKeyAlias(), s.logKeyDescription(), false, true, local(PolicyDocuments.LOG_KEY_POLICY),
        s.logKeyTags())).append('\n');

    b.append(Hcl.block("resource \"aws_s3_bucket\" \"trail\"").attr("bucket", string(n.bucketName())).render()).append('\n');
    b.append(Hcl.block("resource \"aws_s3_bucket_public_access_block\" \"trail\"")
        .attr("bucket", "aws_s3_bucket.trail.id")
        .attr("block_public_acls", "true")
        .attr("block_public_policy", "true")
        .attr("ignore_public_acls", "true")
        .attr("restrict_public_buckets", "true")
        .render()).append('\n');
    b.append(withDependsOn(Hcl.block("resource \"aws_s3_bucket_policy\" \"trail\"")
        .attr("bucket", "aws_s3_bucket.trail.id")
        .attr("policy", "local." + local(PolicyDocuments.BUCKET_POLICY)), "aws_s3_bucket_public_access_block.trail")).append('\n');

    Hcl trail = Hcl.block("resource \"aws_cloudtrail\" \"trail\"")
        .attr("name", Hcl.quote(n.trailName()))
        .attr("s3_bucket_name", "aws_s3_bucket.trail.id")
        .attr("kms_key_id", "aws_kms_key.log_key.arn")
        .attr("is_multi_region_trail", String.valueOf(spec.multiRegionTrail()))
        .attr("include_global_service_events", "true")
        .attr("enable_log_file_validation", "true")
        .attr("enable_logging", "true")
        .block(Hcl.block("event_selector").attr("read_write_type", Hcl.quote("All")).attr("include_management_events", "true"));
    if (spec.insights()) {
      trail.block(Hcl.block("insight_selector").attr("insight_type", Hcl.quote("ApiCallRateInsight")));
      trail.block(Hcl.block("insight_selector").attr("insight_type", Hcl.quote("ApiErrorRateInsight")));
    }
    tags(trail, spec.tags());
    b.append(withDependsOn(trail, "aws_s3_bucket_policy.trail")).append('\n');

    if (s.logsViaRole()) {
      Hcl group = Hcl.block("resource \"aws_cloudwatch_log_group\" \"vendor_logs\"").attr("name", Hcl.quote(n.logGroupName()));
      spec.logRetentionDays().ifPresent(d -> group.attr("retention_in_days", String.valueOf(d)));
      spec.logGroupKmsKey().ifPresent(k -> group.attr("kms_key_id", Hcl.quote(k)));
      tags(group, spec.tags());
      b.append(group.render()).append('\n');

      Hcl role = Hcl.block("resource \"aws_iam_role\" \"vendor_logs\"")
          .attr("name", Hcl.quote(n.roleName()))
          .attr("description", Hcl.quote(s.roleDescription()))
          .attr("assume_role_policy", "local." + local(PolicyDocuments.TRUST_POLICY));
      tags(role, spec.tags());
      b.append(role.render()).append('\n');

      Hcl policy = Hcl.block("resource \"aws_iam_policy\" \"vendor_logs\"")
          .attr("name", Hcl.quote(n.logPolicyName()))
          .attr("description", Hcl.quote(s.logPolicyDescription()))
          .attr("policy", "local." + local(PolicyDocuments.LOG_POLICY));
      tags(policy, spec.tags());
      b.append(policy.render()).append('\n');

      b.append(Hcl.block("resource \"aws_iam_role_policy_attachment\" \"vendor_logs\"")
          .attr("role", "aws_iam_role.vendor_logs.name")
          .attr("policy_arn", "aws_iam_policy.vendor_logs.arn")
          .render());
      b.append('\n');
    }
    s.vendorEventBus().ifPresent(bus -> keyEvents(b, bus));
    return b.toString().stripTrailing() + "\n";
  }

  private void keyEvents(StringBuilder b, String bus) {
    ResourceNames n = s.names();
    Map<String, String> tags = s.spec().tags();
    Hcl role = Hcl.block("resource \"aws_iam_role\" \"key_events\"")
        .attr("name", Hcl.quote(n.keyEventRoleName()))
        .attr("description", Hcl.quote(s.keyEventRoleDescription()))
        .attr("assume_role_policy", "local." + local(PolicyDocuments.KEY_EVENTS_TRUST_POLICY));
    tags(role, tags);
    b.append(role.render()).append('\n');
    b.append(Hcl.block("resource \"aws_iam_role_policy\" \"key_events\"")
        .attr("name", Hcl.quote(n.keyEventPolicyName()))
        .attr("role", "aws_iam_role.key_events.id")
        .attr("policy", "local." + local(PolicyDocuments.KEY_EVENTS_POLICY))
        .render()).append('\n');
    Hcl rule = Hcl.block("resource \"aws_cloudwatch_event_rule\" \"key_events\"")
        .attr("name", Hcl.quote(n.keyEventRuleName()))
        .attr("description", Hcl.quote(s.keyEventRuleDescription()))
        .attr("event_bus_name", Hcl.quote(EventsPort.DEFAULT_BUS))
        .attr("event_pattern", "local." + local(PolicyDocuments.KEY_EVENT_PATTERN));
    tags(rule, tags);
    b.append(rule.render()).append('\n');
    b.append(Hcl.block("resource \"aws_cloudwatch_event_target\" \"key_events\"")
        .attr("rule", "aws_cloudwatch_event_rule.key_events.name")
        .attr("event_bus_name", Hcl.quote(EventsPort.DEFAULT_BUS))
        .attr("target_id", Hcl.quote(KeyEventForwarding.TARGET_ID))
        .attr("arn", string(bus))
        .attr("role_arn", "aws_iam_role.key_events.arn")
        .render());
  }

  private String key(String name, String alias, String description, boolean multiRegion, boolean rotation, String policyLocal,
      Map<String, String> tags) {
    Hcl k = Hcl.block("resource \"aws_kms_key\" \"" + name + "\"")
        .attr("description", Hcl.quote(description))
        .attr("key_usage", Hcl.quote("ENCRYPT_DECRYPT"))
        .attr("customer_master_key_spec", Hcl.quote("SYMMETRIC_DEFAULT"))
        .attr("multi_region", String.valueOf(multiRegion))
        .attr("enable_key_rotation", String.valueOf(rotation))
        .attr("policy", "local." + policyLocal);
    tags(k, tags);
    Hcl a = Hcl.block("resource \"aws_kms_alias\" \"" + name + "\"")
        .attr("name", Hcl.quote(alias))
        .attr("target_key_id", "aws_kms_key." + name + ".key_id");
    return k.render() + "\n" + a.render();
  }

  private String outputs() {
    StringBuilder b = new StringBuilder();
    b.append(Hcl.block("output \"YOUR_CMK_ARN\"")
        .attr("description", Hcl.quote("The customer key's ARN, for the vendor."))
        .attr("value", "aws_kms_key.key.arn").render());
    if (s.logsViaRole()) {
      b.append('\n').append(Hcl.block("output \"YOUR_ROLE_ARN\"")
          .attr("description", Hcl.quote("The role the vendor assumes (with the external ID) to write key-use logs."))
          .attr("value", "aws_iam_role.vendor_logs.arn").render());
      b.append('\n').append(Hcl.block("output \"YOUR_LOG_GROUP_NAME\"")
          .attr("description", Hcl.quote("The log group the vendor writes key-use logs to."))
          .attr("value", "aws_cloudwatch_log_group.vendor_logs.name").render());
    }
    return b.toString();
  }

  /** The local holding document {@code d}: {@code keyPolicy} becomes {@code key_policy}. */
  public static String local(String document) {
    return document.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
  }

  private static void tags(Hcl block, Map<String, String> tags) {
    if (!tags.isEmpty()) {
      block.attr("tags", Hcl.map(tags));
    }
  }

  private static String withDependsOn(Hcl block, String dependency) {
    String text = block.render();
    return text.substring(0, text.length() - 2) + "\n  depends_on = [" + dependency + "]\n}\n";
  }

  /** The document as pretty JSON with the references as template interpolations. */
  private String heredoc(JsonNode document) {
    JsonNode mapped = s.map(document, parts -> TextNode.valueOf(template(parts)),
        a -> s.isVendorRoots(a) ? TextNode.valueOf(VENDOR_ROOTS_MARK) : null);
    String json = Json.pretty(mapped);
    return json.replace("\"\\u0001VENDOR_ROOTS\\u0001\"", "${jsonencode(local.vendor_roots)}") + "\n";
  }

  /** A string expression: a quoted literal, with the references as interpolations. */
  private String string(String text) {
    return "\"" + template(s.parts(text)).replace("\"", "\\\"") + "\"";
  }

  private static String template(List<Part> parts) {
    StringBuilder b = new StringBuilder();
    for (Part p : parts) {
      if (p instanceof Part.Lit l) {
        b.append(Hcl.escapeTemplate(l.text()));
      } else {
        Part.Ref r = (Part.Ref) p;
        b.append("${").append(switch (r.kind()) {
          case ACCOUNT -> "local.account_id";
          case PARTITION -> "local.partition";
          case REGION -> "local.region";
          case EXTERNAL_ID -> "var.external_id";
          case VENDOR_ACCOUNT -> "var.vendor_accounts[" + r.index() + "]";
          case KEY_ID -> "aws_kms_key.key.key_id";
          case KEY_ARN -> "aws_kms_key.key.arn";
        }).append('}');
      }
    }
    return b.toString();
  }

  private static String indent(String text) {
    StringBuilder b = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      if (!line.isEmpty()) {
        b.append("  ").append(line);
      }
      b.append('\n');
    }
    return b.substring(0, b.length() - 1);
  }
}
