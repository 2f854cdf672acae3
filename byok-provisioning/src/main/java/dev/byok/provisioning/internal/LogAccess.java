package dev.byok.provisioning.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.provisioning.Check;
import dev.byok.provisioning.ProvisioningSpec;
import dev.byok.provisioning.ResourceNames;
import dev.byok.provisioning.internal.aws.IamPort;
import dev.byok.provisioning.internal.aws.IamPort.PolicyVersion;
import dev.byok.provisioning.internal.aws.IamPort.RoleInfo;
import dev.byok.provisioning.internal.aws.LogsPort;
import dev.byok.provisioning.internal.aws.LogsPort.LogGroupInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The vendor's way into the customer's CloudWatch Logs: the log group, the IAM policy with the
 * guide's four log actions on it, and the role the vendor assumes with the external ID: apply,
 * verify and destroy. Not thread-safe: one per operation.
 */
public final class LogAccess {
  /** IAM keeps at most five versions of a managed policy. */
  private static final int MAX_POLICY_VERSIONS = 5;

  private final ProvisioningSpec spec;
  private final ResourceNames names;
  private final LogsPort logs;
  private final IamPort iam;
  private final Calls calls;

  /** The log access of {@code spec} named by {@code names}. */
  public LogAccess(ProvisioningSpec spec, ResourceNames names, LogsPort logs, IamPort iam, Calls calls) {
    this.spec = spec;
    this.names = names;
    this.logs = logs;
    this.iam = iam;
    this.calls = calls;
  }

  /** The external ID in the existing role's trust policy, if the role exists and has one. */
  public Optional<String> existingExternalId() {
    return role().flatMap(r -> externalIdOf(Json.parsePolicy(r.assumeRolePolicyDocument())));
  }

  /** The first {@code sts:ExternalId} of a trust policy's {@code StringEquals} conditions. */
  static Optional<String> externalIdOf(JsonNode trust) {
    for (JsonNode s : trust.path("Statement")) {
      JsonNode v = s.path("Condition").path("StringEquals").get("sts:ExternalId");
      if (v != null && v.isTextual()) {
        return Optional.of(v.asText());
      }
      if (v != null && v.isArray() && v.size() > 0) {
        return Optional.of(v.get(0).asText());
      }
    }
    return Optional.empty();
  }

  /** The log policy's description (apply writes it; the infrastructure-as-code export uses the same). */
  public static String policyDescription(ResourceNames names) {
    return "Lets the vendor write key-use logs to " + names.logGroupName() + " (byok)";
  }

  /** The log role's description (apply writes it; the infrastructure-as-code export uses the same). */
  public static String roleDescription(ResourceNames names) {
    return "The vendor assumes this role (with the external ID) to write key-use logs to " + names.logGroupName() + " (byok)";
  }

  /** The log role's ARN, if the role exists. */
  public Optional<String> roleArn() {
    return role().map(RoleInfo::arn);
  }

  /** Whether the log group exists. */
  public boolean logGroupExists() {
    return logGroup().isPresent();
  }

  // ---- apply ----

  /** Creates or converges the log group, the log policy and the role; returns the role's ARN. */
  public String ensure(ObjectNode logPolicy, ObjectNode trustPolicy) {
    ensureLogGroup();
    String policyArn = ensureLogPolicy(logPolicy);
    return ensureRole(trustPolicy, policyArn);
  }

  private void ensureLogGroup() {
    String name = names.logGroupName();
    Optional<LogGroupInfo> g = logGroup();
    if (g.isEmpty()) {
      String kmsKey = spec.logGroupKmsKey().orElse(null);
      calls.write("logGroup", "logs:CreateLogGroup", name, () -> logs.createLogGroup(name, spec.tags(), kmsKey));
    } else if (spec.logGroupKmsKey().isPresent() && !spec.logGroupKmsKey().get().equals(g.get().kmsKeyId())) {
      String kmsKey = spec.logGroupKmsKey().get();
      calls.write("logGroup", "logs:AssociateKmsKey", name + " (" + kmsKey + ")", () -> logs.associateKmsKey(name, kmsKey));
    }
    Integer have = g.map(LogGroupInfo::retentionInDays).orElse(null);
    spec.logRetentionDays().ifPresent(d -> {
      if (!d.equals(have)) {
        calls.write("logGroup", "logs:PutRetentionPolicy", name, () -> logs.putRetentionPolicy(name, d));
      }
    });
  }

  private String ensureLogPolicy(ObjectNode policy) {
    String arn = names.logPolicyArn();
    String policyName = names.logPolicyName();
    String text = policy.toString();
    Optional<JsonNode> current = logPolicyDocument();
    if (current.isEmpty()) {
      return calls.write("logPolicy", "iam:CreatePolicy", policyName, () -> iam.createPolicy(policyName, text,
          policyDescription(names), spec.tags()));
    }
    if (!Json.samePolicy(current.get(), policy)) {
      List<PolicyVersion> versions = calls.read("iam:ListPolicyVersions", policyName, () -> iam.listPolicyVersions(arn));
      if (versions.size() >= MAX_POLICY_VERSIONS) {
        PolicyVersion oldest = versions.stream().filter(v -> !v.defaultVersion()).min(Comparator.comparing(PolicyVersion::createDate))
            .orElseThrow();
        calls.write("logPolicy", "iam:DeletePolicyVersion", policyName + " " + oldest.versionId(),
            () -> iam.deletePolicyVersion(arn, oldest.versionId()));
      }
      calls.write("logPolicy", "iam:CreatePolicyVersion", policyName, () -> iam.createPolicyVersion(arn, text, true));
    }
    return arn;
  }

  private String ensureRole(ObjectNode trust, String policyArn) {
    String name = names.roleName();
    String text = trust.toString();
    Optional<RoleInfo> role = role();
    String arn;
    if (role.isEmpty()) {
      String description = roleDescription(names);
      arn = calls.write("logRole", "iam:CreateRole", name, () -> calls.retrying("iam:CreateRole", false,
          () -> iam.createRole(name, text, description, spec.tags())));
    } else {
      arn = role.get().arn();
      if (!Json.samePolicy(Json.parsePolicy(role.get().assumeRolePolicyDocument()), trust)) {
        calls.write("logRole", "iam:UpdateAssumeRolePolicy", name, () -> calls.retrying("iam:UpdateAssumeRolePolicy", false,
            () -> iam.updateAssumeRolePolicy(name, text)));
      }
    }
    if (!attached(policyArn)) {
      calls.write("logRole", "iam:AttachRolePolicy", name + " <- " + names.logPolicyName(), () -> calls.retrying("iam:AttachRolePolicy", true,
          () -> iam.attachRolePolicy(name, policyArn)));
    }
    return arn;
  }

  // ---- verify ----

  /**
   * Adds the checks of the log group, the log policy and the role; {@code trustPolicy} is the
   * planned one, and its external ID {@code externalIdKnown} tells whether one was found.
   */
  public void verify(List<Check> checks, ObjectNode logPolicy, ObjectNode trustPolicy, boolean externalIdKnown) {
    Optional<LogGroupInfo> g = logGroup();
    checks.add(new Check("log group exists", g.isPresent(), names.logGroupName()));
    if (g.isPresent() && spec.logRetentionDays().isPresent()) {
      checks.add(new Check("log group retention", spec.logRetentionDays().get().equals(g.get().retentionInDays()),
          "retention " + g.get().retentionInDays() + " days"));
    }
    if (g.isPresent() && spec.logGroupKmsKey().isPresent()) {
      checks.add(new Check("log group KMS key", spec.logGroupKmsKey().get().equals(g.get().kmsKeyId()),
          g.get().kmsKeyId() == null ? "not encrypted with a KMS key of yours" : "KMS key " + g.get().kmsKeyId()));
    }
    Optional<JsonNode> lp = logPolicyDocument();
    boolean samePolicy = lp.isPresent() && Json.samePolicy(lp.get(), logPolicy);
    checks.add(new Check("log policy", samePolicy, lp.isEmpty() ? "no policy " + names.logPolicyName()
        : "the guide's four actions on " + names.logGroupName() + " and its streams" + (samePolicy ? "" : ": differs from the plan")));
    Optional<RoleInfo> role = role();
    checks.add(new Check("log role exists", role.isPresent(), names.roleName()));
    if (role.isPresent()) {
      JsonNode trust = Json.parsePolicy(role.get().assumeRolePolicyDocument());
      boolean same = externalIdKnown && Json.samePolicy(trust, trustPolicy);
      checks.add(new Check("log role trust", same, same ? "vendor accounts " + spec.vendorAccounts() + " with sts:ExternalId"
          : !externalIdKnown ? "no sts:ExternalId condition" : "differs from the plan"));
      checks.add(new Check("log role policy attached", attached(names.logPolicyArn()), names.logPolicyName() + " on " + names.roleName()));
    }
  }

  // ---- destroy ----

  /** Deletes the role (after detaching its policies), the log policy (every version) and the log group. */
  public void destroy() {
    if (role().isPresent()) {
      String role = names.roleName();
      List<String> attachedArns = calls.read("iam:ListAttachedRolePolicies", role, () -> iam.listAttachedRolePolicies(role));
      for (String p : attachedArns) {
        calls.write("logRole", "iam:DetachRolePolicy", role + " <- " + p, () -> iam.detachRolePolicy(role, p));
      }
      calls.write("logRole", "iam:DeleteRole", role, () -> iam.deleteRole(role));
    }
    if (logPolicyDocument().isPresent()) {
      String arn = names.logPolicyArn();
      List<PolicyVersion> versions = calls.read("iam:ListPolicyVersions", names.logPolicyName(), () -> iam.listPolicyVersions(arn));
      for (PolicyVersion v : versions) {
        if (!v.defaultVersion()) {
          calls.write("logPolicy", "iam:DeletePolicyVersion", names.logPolicyName() + " " + v.versionId(),
              () -> iam.deletePolicyVersion(arn, v.versionId()));
        }
      }
      calls.write("logPolicy", "iam:DeletePolicy", names.logPolicyName(), () -> iam.deletePolicy(arn));
    }
    if (logGroup().isPresent()) {
      calls.write("logGroup", "logs:DeleteLogGroup", names.logGroupName(), () -> logs.deleteLogGroup(names.logGroupName()));
    }
  }

  // ---- reads ----

  private Optional<LogGroupInfo> logGroup() {
    String name = names.logGroupName();
    return calls.read("logs:DescribeLogGroups", name, () -> logs.describeLogGroups(name)).stream()
        .filter(g -> g.name().equals(name)).findFirst();
  }

  private Optional<JsonNode> logPolicyDocument() {
    String arn = names.logPolicyArn();
    return calls.read("iam:GetPolicy", names.logPolicyName(),
        () -> iam.getPolicyDefaultVersion(arn).flatMap(v -> iam.getPolicyVersionDocument(arn, v))).map(Json::parsePolicy);
  }

  private Optional<RoleInfo> role() {
    return calls.read("iam:GetRole", names.roleName(), () -> iam.getRole(names.roleName()));
  }

  private boolean attached(String policyArn) {
    return calls.read("iam:ListAttachedRolePolicies", names.roleName(), () -> iam.listAttachedRolePolicies(names.roleName()))
        .contains(policyArn);
  }
}
