package dev.byok.provisioning;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.core.AwsAccountId;
import dev.byok.provisioning.internal.Json;
import dev.byok.provisioning.internal.Text;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What apply would do, worked out offline: every resource name, every policy document rendered and
 * linted, and every write call in dependency order for a fresh account. Apply reads each resource
 * first and makes only the calls still needed. Made by {@link Provisioner#plan(ProvisioningSpec)}.
 *
 * <p>Immutable and thread-safe.
 */
public final class Plan {
  private final ProvisioningSpec spec;
  private final ResourceNames names;
  private final PolicyDocuments documents;
  private final List<LintFinding> findings;
  private final List<LintFinding> warnings;
  private final List<Change> calls;
  private final List<String> notes;

  Plan(ProvisioningSpec spec, ResourceNames names, PolicyDocuments documents, List<LintFinding> findings, List<Change> calls,
      List<String> notes) {
    this.spec = spec;
    this.names = names;
    this.documents = documents;
    this.findings = List.copyOf(findings);
    this.warnings = PolicyLinter.forSpec(spec, names, true).warnings(documents);
    this.calls = List.copyOf(calls);
    this.notes = List.copyOf(notes);
  }

  /** The spec planned. */
  public ProvisioningSpec spec() { return spec; }
  /** Every resource name; the account is {@link ResourceNames#ACCOUNT_PLACEHOLDER} unless the spec names it. */
  public ResourceNames names() { return names; }
  /** Every policy document, rendered. */
  public PolicyDocuments documents() { return documents; }
  /** Lint findings; apply refuses to run while there are any. */
  public List<LintFinding> findings() { return findings; }
  /** Lint warnings ({@link LintRule#warning()}), such as a wildcard action a vendor profile grants; they never stop apply. */
  public List<LintFinding> warnings() { return warnings; }
  /** Whether lint found nothing (warnings aside). */
  public boolean lintPassed() { return findings.isEmpty(); }
  /** The write calls for a fresh account, in order. */
  public List<Change> calls() { return calls; }
  /** What the customer should know before apply. */
  public List<String> notes() { return notes; }

  /** Every resource name, labelled, in dependency order. */
  public Map<String, String> resources() {
    Map<String, String> r = new LinkedHashMap<>();
    r.put("keyAlias", names.keyAlias());
    r.put("logKeyAlias", names.logKeyAlias());
    r.put("trailBucket", names.bucketName());
    r.put("trail", names.trailName());
    r.put("trailArn", names.trailArn());
    if (spec.vendor().logsViaRole()) {
      r.put("logGroup", names.logGroupName());
      r.put("logPolicy", names.logPolicyName());
      r.put("logPolicyArn", names.logPolicyArn());
      r.put("logRole", names.roleName());
      r.put("logRoleArn", names.roleArn());
    }
    spec.vendorEventBus().ifPresent(bus -> {
      r.put("keyEventRule", names.keyEventRuleName() + " (default bus)");
      r.put("keyEventRuleArn", names.keyEventRuleArn());
      r.put("keyEventRole", names.keyEventRoleName());
      r.put("keyEventRoleArn", names.keyEventRoleArn());
      r.put("vendorEventBus", bus);
    });
    return r;
  }

  /** The calls apply makes in a fresh account, in order. */
  static List<Change> creationCalls(ProvisioningSpec spec, ResourceNames n) {
    List<Change> c = new ArrayList<>();
    c.add(new Change("key", "kms:CreateKey", n.keyAlias() + " (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT, "
        + (spec.multiRegionKey() ? "multi-Region" : "single-Region") + ", with keyPolicy)"));
    c.add(new Change("key", "kms:CreateAlias", n.keyAlias()));
    if (spec.keyRotation()) {
      c.add(new Change("key", "kms:EnableKeyRotation", n.keyAlias()));
    }
    c.add(new Change("logKey", "kms:CreateKey", n.logKeyAlias() + " (with logKeyPolicy)"));
    c.add(new Change("logKey", "kms:CreateAlias", n.logKeyAlias()));
    c.add(new Change("logKey", "kms:EnableKeyRotation", n.logKeyAlias()));
    c.add(new Change("bucket", "s3:CreateBucket", n.bucketName()));
    c.add(new Change("bucket", "s3:PutPublicAccessBlock", n.bucketName()));
    c.add(new Change("bucket", "s3:PutBucketPolicy", n.bucketName() + " (bucketPolicy)"));
    c.add(new Change("trail", "cloudtrail:CreateTrail", n.trailName() + " (SSE-KMS with " + n.logKeyAlias()
        + (spec.multiRegionTrail() ? ", multi-Region" : "") + ", log file validation)"));
    c.add(new Change("trail", "cloudtrail:PutEventSelectors", n.trailName() + " (management events, read and write)"));
    if (spec.insights()) {
      c.add(new Change("trail", "cloudtrail:PutInsightSelectors", n.trailName() + " (ApiCallRateInsight, ApiErrorRateInsight)"));
    }
    c.add(new Change("trail", "cloudtrail:StartLogging", n.trailName()));
    if (spec.vendor().logsViaRole()) {
      c.add(new Change("logGroup", "logs:CreateLogGroup", n.logGroupName() + spec.logGroupKmsKey().map(k -> " (KMS key " + k + ")")
          .orElse("")));
      spec.logRetentionDays().ifPresent(d -> c.add(new Change("logGroup", "logs:PutRetentionPolicy", n.logGroupName() + " (" + d + " days)")));
      c.add(new Change("logPolicy", "iam:CreatePolicy", n.logPolicyName() + " (logPolicy)"));
      c.add(new Change("logRole", "iam:CreateRole", n.roleName() + " (trustPolicy)"));
      c.add(new Change("logRole", "iam:AttachRolePolicy", n.roleName() + " <- " + n.logPolicyName()));
    }
    spec.vendorEventBus().ifPresent(bus -> {
      c.add(new Change("keyEventRole", "iam:CreateRole", n.keyEventRoleName() + " (keyEventsTrustPolicy)"));
      c.add(new Change("keyEventRole", "iam:PutRolePolicy", n.keyEventRoleName() + " " + n.keyEventPolicyName() + " (keyEventsPolicy)"));
      c.add(new Change("keyEventRule", "events:PutRule", n.keyEventRuleName() + " (keyEventPattern, default bus)"));
      c.add(new Change("keyEventRule", "events:PutTargets", n.keyEventRuleName() + " -> " + bus + " (role " + n.keyEventRoleName() + ")"));
    });
    return c;
  }

  /** The plan as a readable report. */
  public String toText() {
    StringBuilder b = new StringBuilder();
    b.append("Plan: BYOK set-up for ").append(spec.company()).append(" / ").append(spec.app()).append(" / ").append(spec.env())
        .append(" in ").append(spec.region()).append('\n');
    b.append("Account: ").append(names.knownAccount().map(AwsAccountId::value)
        .orElse(ResourceNames.ACCOUNT_PLACEHOLDER + " (resolved by apply with sts:GetCallerIdentity)")).append('\n');
    VendorProfile v = spec.vendor();
    b.append("Vendor: ").append(v.displayName()).append(" (profile ").append(v.name()).append("), AWS accounts ")
        .append(join(spec.vendorAccounts())).append('\n');
    b.append("Vendor actions: ").append(String.join(", ", v.actions()));
    if (!spec.encryptionContext().isEmpty()) {
      b.append(" (cryptographic actions only with encryption context ").append(spec.encryptionContext()).append(')');
    }
    b.append('\n');
    b.append("Logs through a role: ").append(v.logsViaRole() ? "yes" : "no").append("\n\n");

    b.append("Resources\n");
    List<String[]> rows = new ArrayList<>();
    resources().forEach((k, val) -> rows.add(new String[] {k, val}));
    b.append(Text.columns("  ", rows)).append('\n');

    b.append("Calls apply makes in a fresh account (").append(calls.size()).append(", in order)\n");
    List<String[]> callRows = new ArrayList<>();
    int i = 0;
    for (Change c : calls) {
      callRows.add(new String[] {String.format("%2d. %s", ++i, c.call()), c.resource()});
    }
    b.append(Text.columns("  ", callRows));
    b.append("  Apply reads each resource first (sts:GetCallerIdentity, kms:ListAliases, iam:GetRole, ...) and skips\n");
    b.append("  calls already satisfied; changed documents are rewritten with kms:PutKeyPolicy, s3:PutBucketPolicy,\n");
    b.append("  iam:CreatePolicyVersion, iam:UpdateAssumeRolePolicy.\n\n");

    b.append("Policy documents (lint: ").append(documents.names().size()).append(" documents, ")
        .append(findings.size()).append(findings.size() == 1 ? " finding" : " findings")
        .append(warnings.isEmpty() ? "" : ", " + warnings.size() + (warnings.size() == 1 ? " warning" : " warnings")).append(")\n");
    for (LintFinding f : findings) {
      b.append("  LINT ").append(f).append('\n');
    }
    for (LintFinding f : warnings) {
      b.append("  WARN ").append(f).append('\n');
    }
    for (String d : documents.names()) {
      b.append("\n  ").append(d).append(" (").append(documentTarget(d)).append(")\n");
      b.append(Text.indent("    ", Json.pretty(documents.get(d))));
    }
    if (!notes.isEmpty()) {
      b.append("\nNotes\n");
      for (String n : notes) {
        b.append("  - ").append(n).append('\n');
      }
    }
    return b.toString();
  }

  private String documentTarget(String d) {
    return switch (d) {
      case PolicyDocuments.KEY_POLICY -> "key policy of " + names.keyAlias();
      case PolicyDocuments.LOG_KEY_POLICY -> "key policy of " + names.logKeyAlias();
      case PolicyDocuments.BUCKET_POLICY -> "bucket policy of " + names.bucketName();
      case PolicyDocuments.LOG_POLICY -> "IAM policy " + names.logPolicyName();
      case PolicyDocuments.KEY_EVENT_PATTERN -> "event pattern of rule " + names.keyEventRuleName() + " on the default bus";
      case PolicyDocuments.KEY_EVENTS_TRUST_POLICY -> "trust policy of role " + names.keyEventRoleName();
      case PolicyDocuments.KEY_EVENTS_POLICY -> "inline policy " + names.keyEventPolicyName() + " of role " + names.keyEventRoleName();
      default -> "trust policy of role " + names.roleName();
    };
  }

  private static String join(List<AwsAccountId> ids) {
    List<String> s = new ArrayList<>();
    ids.forEach(a -> s.add(a.value()));
    return String.join(", ", s);
  }

  ObjectNode toJsonTree() {
    ObjectNode n = Json.object();
    n.put("company", spec.company()).put("app", spec.app()).put("env", spec.env()).put("region", spec.region());
    n.put("account", names.account());
    ObjectNode v = n.putObject("vendor");
    v.put("profile", spec.vendor().name()).put("displayName", spec.vendor().displayName());
    ArrayNode acc = v.putArray("accounts");
    spec.vendorAccounts().forEach(a -> acc.add(a.value()));
    ArrayNode act = v.putArray("actions");
    spec.vendor().actions().forEach(act::add);
    v.put("logsViaRole", spec.vendor().logsViaRole());
    n.set("resources", Json.object(resources()));
    ObjectNode docs = n.putObject("documents");
    documents.names().forEach(d -> docs.set(d, documents.get(d)));
    ArrayNode lint = n.putArray("lint");
    for (LintFinding f : findings) {
      lint.addObject().put("document", f.document()).put("statement", f.statement()).put("rule", f.rule().id()).put("message", f.message());
    }
    ArrayNode warn = n.putArray("warnings");
    for (LintFinding f : warnings) {
      warn.addObject().put("document", f.document()).put("statement", f.statement()).put("rule", f.rule().id()).put("message", f.message());
    }
    ArrayNode c = n.putArray("calls");
    calls.forEach(ch -> c.addObject().put("step", ch.step()).put("call", ch.call()).put("resource", ch.resource()));
    ArrayNode no = n.putArray("notes");
    notes.forEach(no::add);
    return n;
  }

  /** The plan as indented JSON: resources, documents as JSON objects, lint findings, calls and notes. */
  public String toJson() {
    return Json.pretty(toJsonTree());
  }

  @Override
  public String toString() {
    return "Plan{" + names + ", calls=" + calls.size() + ", findings=" + findings.size() + "}";
  }
}
