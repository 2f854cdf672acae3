package dev.byok.provisioning.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.provisioning.Check;
import dev.byok.provisioning.PolicyDocuments;
import dev.byok.provisioning.PolicyLinter;
import dev.byok.provisioning.ProvisioningSpec;
import dev.byok.provisioning.ResourceNames;
import dev.byok.provisioning.LintFinding;
import dev.byok.provisioning.internal.aws.EventsPort;
import dev.byok.provisioning.internal.aws.EventsPort.RuleInfo;
import dev.byok.provisioning.internal.aws.EventsPort.TargetInfo;
import dev.byok.provisioning.internal.aws.IamPort;
import dev.byok.provisioning.internal.aws.IamPort.RoleInfo;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The forwarding of the customer key's events to the vendor's key-event bus: the role EventBridge
 * assumes (trust: {@code events.amazonaws.com} for this rule only; inline policy:
 * {@code events:PutEvents} on the vendor's bus only), the rule on the customer's default bus whose
 * pattern matches this key's KMS calls, and its one target, the vendor's bus: apply, verify and
 * destroy. Not thread-safe: one per operation.
 */
public final class KeyEventForwarding {
  /** The ID of the rule's target (the vendor's bus). */
  public static final String TARGET_ID = "vendor-event-bus";

  private final ProvisioningSpec spec;
  private final ResourceNames names;
  private final EventsPort events;
  private final IamPort iam;
  private final Calls calls;
  private final PolicyLinter linter;

  /** The forwarding of {@code spec} named by {@code names}; documents written are linted by {@code linter}. */
  public KeyEventForwarding(ProvisioningSpec spec, ResourceNames names, EventsPort events, IamPort iam, Calls calls, PolicyLinter linter) {
    this.spec = spec;
    this.names = names;
    this.events = events;
    this.iam = iam;
    this.calls = calls;
    this.linter = linter;
  }

  /** The key-event role's description (apply writes it; the infrastructure-as-code export uses the same). */
  public static String roleDescription(ResourceNames names) {
    return "EventBridge assumes this role to forward the KMS events of " + names.keyAlias() + " to the vendor's key-event bus (byok)";
  }

  /** The key-event rule's description (apply writes it; the infrastructure-as-code export uses the same). */
  public static String ruleDescription(ResourceNames names) {
    return "Forwards the KMS events of " + names.keyAlias() + " to the vendor's key-event bus (byok)";
  }

  // ---- apply ----

  /**
   * Creates or converges the role, its policy, the rule and its target, in that order. The
   * pattern (which names the key) is linted here, before it is written.
   */
  public void ensure(ObjectNode pattern, ObjectNode trust, ObjectNode policy, String busArn) {
    linter.check(PolicyDocuments.KEY_EVENT_PATTERN, pattern.toString());
    String roleArn = ensureRole(trust, policy);
    ensureRule(pattern);
    ensureTarget(busArn, roleArn);
  }

  private String ensureRole(ObjectNode trust, ObjectNode policy) {
    String name = names.keyEventRoleName();
    Optional<RoleInfo> role = role();
    String arn;
    if (role.isEmpty()) {
      String description = roleDescription(names);
      arn = calls.write("keyEventRole", "iam:CreateRole", name, () -> calls.retrying("iam:CreateRole", false,
          () -> iam.createRole(name, trust.toString(), description, spec.tags())));
    } else {
      arn = role.get().arn();
      if (!Json.samePolicy(Json.parsePolicy(role.get().assumeRolePolicyDocument()), trust)) {
        calls.write("keyEventRole", "iam:UpdateAssumeRolePolicy", name, () -> iam.updateAssumeRolePolicy(name, trust.toString()));
      }
    }
    Optional<JsonNode> current = rolePolicy();
    if (current.isEmpty() || !Json.samePolicy(current.get(), policy)) {
      calls.write("keyEventRole", "iam:PutRolePolicy", name + " " + names.keyEventPolicyName(), () -> calls.retrying(
          "iam:PutRolePolicy", true, () -> iam.putRolePolicy(name, names.keyEventPolicyName(), policy.toString())));
    }
    return arn;
  }

  private void ensureRule(ObjectNode pattern) {
    Optional<RuleInfo> rule = rule();
    if (rule.isEmpty() || !samePattern(rule.get(), pattern) || !"ENABLED".equals(rule.get().state())) {
      calls.write("keyEventRule", "events:PutRule", names.keyEventRuleName(), () -> events.putRule(EventsPort.DEFAULT_BUS,
          names.keyEventRuleName(), pattern.toString(), ruleDescription(names), spec.tags()));
    }
  }

  private void ensureTarget(String busArn, String roleArn) {
    List<TargetInfo> targets = targets();
    boolean ok = targets.size() == 1 && isWanted(targets.get(0), busArn, roleArn);
    if (ok) {
      return;
    }
    List<String> stale = targets.stream().map(TargetInfo::id).filter(id -> !id.equals(TARGET_ID)).toList();
    if (!stale.isEmpty()) {
      calls.write("keyEventRule", "events:RemoveTargets", names.keyEventRuleName() + " " + stale,
          () -> events.removeTargets(EventsPort.DEFAULT_BUS, names.keyEventRuleName(), stale));
    }
    calls.write("keyEventRule", "events:PutTargets", names.keyEventRuleName() + " -> " + busArn, () -> events.putTargets(
        EventsPort.DEFAULT_BUS, names.keyEventRuleName(), List.of(new TargetInfo(TARGET_ID, busArn, roleArn, null, null))));
  }

  private static boolean isWanted(TargetInfo t, String busArn, String roleArn) {
    return t.id().equals(TARGET_ID) && t.arn().equals(busArn) && roleArn.equals(t.roleArn()) && t.inputTemplate() == null;
  }

  private static boolean samePattern(RuleInfo rule, ObjectNode pattern) {
    if (rule.eventPattern() == null) {
      return false;
    }
    try {
      return Json.MAPPER.readTree(rule.eventPattern()).equals(pattern);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return false;
    }
  }

  // ---- verify ----

  /**
   * Adds the checks of the rule (exists, enabled, pattern as planned and linted), its target (the
   * vendor's bus, through the role) and the role (trust and policy as planned). {@code pattern} is
   * null when the key does not exist (the rule cannot be as planned then).
   */
  public void verify(List<Check> checks, @Nullable ObjectNode pattern, ObjectNode trust, ObjectNode policy, String busArn) {
    Optional<RuleInfo> rule = rule();
    checks.add(new Check("key-event rule exists", rule.isPresent(), names.keyEventRuleName() + " on the default bus"));
    if (rule.isPresent()) {
      RuleInfo r = rule.get();
      checks.add(new Check("key-event rule enabled", "ENABLED".equals(r.state()), "state " + r.state()));
      boolean same = pattern != null && samePattern(r, pattern);
      checks.add(new Check("key-event rule pattern", same, same ? "this key's " + PolicyDocuments.KEY_EVENT_NAMES.size()
          + " KMS calls" : pattern == null ? "no customer key to match" : "differs from the plan"));
      List<LintFinding> lint = r.eventPattern() == null ? List.of() : linter.lint(PolicyDocuments.KEY_EVENT_PATTERN, r.eventPattern());
      checks.add(new Check("key-event rule pattern lint", r.eventPattern() != null && lint.isEmpty(),
          r.eventPattern() == null ? "no pattern" : lint.isEmpty() ? "no findings" : lint.get(0).toString()));
      List<TargetInfo> targets = targets();
      boolean target = targets.size() == 1 && isWanted(targets.get(0), busArn, names.keyEventRoleArn());
      checks.add(new Check("key-event rule target", target, target ? busArn + " through role " + names.keyEventRoleName()
          : "targets " + targets.stream().map(t -> t.id() + " -> " + t.arn() + " (role " + t.roleArn() + ")").toList()));
    }
    Optional<RoleInfo> role = role();
    checks.add(new Check("key-event role exists", role.isPresent(), names.keyEventRoleName()));
    if (role.isPresent()) {
      boolean sameTrust = Json.samePolicy(Json.parsePolicy(role.get().assumeRolePolicyDocument()), trust);
      checks.add(new Check("key-event role trust", sameTrust, sameTrust ? "events.amazonaws.com for rule " + names.keyEventRuleName()
          + " only" : "differs from the plan"));
      Optional<JsonNode> p = rolePolicy();
      boolean samePolicy = p.isPresent() && Json.samePolicy(p.get(), policy);
      checks.add(new Check("key-event role policy", samePolicy, p.isEmpty() ? "no policy " + names.keyEventPolicyName()
          : samePolicy ? "events:PutEvents on " + busArn + " only" : "differs from the plan"));
    }
  }

  // ---- destroy ----

  /** Removes the rule's targets, the rule, the role's inline policies and the role. */
  public void destroy() {
    String rule = names.keyEventRuleName();
    if (rule().isPresent()) {
      List<String> ids = targets().stream().map(TargetInfo::id).toList();
      if (!ids.isEmpty()) {
        calls.write("keyEventRule", "events:RemoveTargets", rule + " " + ids, () -> events.removeTargets(EventsPort.DEFAULT_BUS, rule, ids));
      }
      calls.write("keyEventRule", "events:DeleteRule", rule, () -> events.deleteRule(EventsPort.DEFAULT_BUS, rule));
    }
    String role = names.keyEventRoleName();
    if (role().isPresent()) {
      for (String p : calls.read("iam:ListRolePolicies", role, () -> iam.listRolePolicies(role))) {
        calls.write("keyEventRole", "iam:DeleteRolePolicy", role + " " + p, () -> iam.deleteRolePolicy(role, p));
      }
      calls.write("keyEventRole", "iam:DeleteRole", role, () -> iam.deleteRole(role));
    }
  }

  // ---- reads ----

  private Optional<RuleInfo> rule() {
    return calls.read("events:DescribeRule", names.keyEventRuleName(), () -> events.describeRule(EventsPort.DEFAULT_BUS, names.keyEventRuleName()));
  }

  private List<TargetInfo> targets() {
    return calls.read("events:ListTargetsByRule", names.keyEventRuleName(),
        () -> events.listTargets(EventsPort.DEFAULT_BUS, names.keyEventRuleName()));
  }

  private Optional<RoleInfo> role() {
    return calls.read("iam:GetRole", names.keyEventRoleName(), () -> iam.getRole(names.keyEventRoleName()));
  }

  private Optional<JsonNode> rolePolicy() {
    return calls.read("iam:GetRolePolicy", names.keyEventRoleName(),
        () -> iam.getRolePolicy(names.keyEventRoleName(), names.keyEventPolicyName())).map(Json::parsePolicy);
  }
}
