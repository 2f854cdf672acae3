package dev.byok.provisioning.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.core.ProvisioningException;
import dev.byok.provisioning.Check;
import dev.byok.provisioning.PolicyDocuments;
import dev.byok.provisioning.ProvisioningSpec;
import dev.byok.provisioning.internal.aws.EventsPort;
import dev.byok.provisioning.internal.aws.EventsPort.TargetInfo;
import dev.byok.provisioning.internal.aws.FakeEvents;
import dev.byok.provisioning.internal.aws.FakeIam;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The forwarding of the key's events (role, policy, rule, target) on the in-memory EventBridge and IAM: apply, verify, destroy. */
class KeyEventForwardingTest {
  static final String BUS = "arn:aws:events:us-east-1:111122223333:event-bus/byok-key-events";
  static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final String RULE = "slack-sandbox-key-events";
  private final ProvisioningSpec spec = Fixture.base().vendorEventBus(BUS).build();
  private final Fixture f = new Fixture(spec);

  private KeyEventForwarding part(Calls calls) {
    return new KeyEventForwarding(f.spec, f.names, f.aws.ports().events(), f.aws.ports().iam(), calls, f.linter);
  }

  private ObjectNode pattern() {
    return (ObjectNode) Json.parsePolicy(PolicyDocuments.keyEventPatternJson(KEY));
  }

  private Calls ensure() {
    Calls calls = f.calls("apply");
    part(calls).ensure(pattern(), f.doc(PolicyDocuments.KEY_EVENTS_TRUST_POLICY), f.doc(PolicyDocuments.KEY_EVENTS_POLICY), BUS);
    return calls;
  }

  private List<String> failedChecks() {
    List<Check> checks = new ArrayList<>();
    part(f.calls("verify")).verify(checks, pattern(), f.doc(PolicyDocuments.KEY_EVENTS_TRUST_POLICY), f.doc(PolicyDocuments.KEY_EVENTS_POLICY), BUS);
    assertTrue(checks.size() >= 8, checks.toString());
    return checks.stream().filter(c -> !c.passed()).map(Check::name).toList();
  }

  private FakeEvents.Rule rule() {
    return f.aws.events.buses.get(EventsPort.DEFAULT_BUS).rules.get(RULE);
  }

  @Test
  void ensure_freshAccount_roleThenPolicyThenRuleThenTarget() {
    assertEquals(List.of("iam:CreateRole", "iam:PutRolePolicy", "events:PutRule", "events:PutTargets"), Fixture.calls(ensure().changes()));
    FakeIam.Role role = f.aws.iam.roles.get(RULE);
    assertTrue(Json.samePolicy(f.doc(PolicyDocuments.KEY_EVENTS_TRUST_POLICY), Json.parsePolicy(role.trust)));
    assertEquals(Set.of("byok-put-key-events-to-vendor-bus"), role.inline.keySet());
    assertEquals(pattern(), Json.parsePolicy(rule().pattern), "the pattern names this key");
    assertEquals(List.of(new TargetInfo("vendor-event-bus", BUS, "arn:aws:iam::123456789012:role/" + RULE, null, null)),
        List.copyOf(rule().targets.values()), "one target: the vendor's bus, through the role");
  }

  @Test
  void ensure_twice_secondChangesNothing() {
    ensure();
    f.aws.clearLog();
    assertEquals(List.of(), ensure().changes());
    assertEquals(List.of(), f.aws.writes());
  }

  @Test
  void ensure_driftedRuleTargetAndPolicy_convergesEach() {
    ensure();
    rule().state = "DISABLED";
    rule().targets.clear();
    rule().targets.put("someone-else", new TargetInfo("someone-else", "arn:aws:events:us-east-1:999999999999:event-bus/x", null, null, null));
    f.aws.iam.roles.get(RULE).inline.put("byok-put-key-events-to-vendor-bus", "{\"Version\":\"2012-10-17\",\"Statement\":[]}");
    assertEquals(List.of("iam:PutRolePolicy", "events:PutRule", "events:RemoveTargets", "events:PutTargets"), Fixture.calls(ensure().changes()));
    assertEquals(Set.of("vendor-event-bus"), rule().targets.keySet());
    assertEquals("ENABLED", rule().state);
  }

  @Test
  void ensure_patternForAnotherKeyToo_refusedByLintBeforeAnyWrite() {
    ObjectNode wide = pattern();
    ((com.fasterxml.jackson.databind.node.ArrayNode) wide.get("detail").get("requestParameters").get("keyId"))
        .add("0987dcba-09fe-87dc-65ba-ab0987654321");
    Calls calls = f.calls("apply");
    ProvisioningException e = assertThrows(ProvisioningException.class, () -> part(calls).ensure(wide,
        f.doc(PolicyDocuments.KEY_EVENTS_TRUST_POLICY), f.doc(PolicyDocuments.KEY_EVENTS_POLICY), BUS));
    assertTrue(e.getMessage().contains("key-event-pattern") && e.getMessage().contains("more than one key"), e.getMessage());
    assertEquals(List.of(), f.aws.writes());
  }

  @Test
  void verify_afterEnsure_everyCheckPasses() {
    ensure();
    assertEquals(List.of(), failedChecks());
  }

  @Test
  void verify_patternTargetAndTrustChanged_reportsEach() {
    ensure();
    rule().pattern = "{\"source\":[\"aws.kms\"]}";
    rule().targets.clear();
    f.aws.iam.roles.get(RULE).trust = f.doc(PolicyDocuments.KEY_EVENTS_TRUST_POLICY).toString().replace(RULE, "other-rule");
    assertEquals(List.of("key-event rule pattern", "key-event rule pattern lint", "key-event rule target", "key-event role trust"), failedChecks());
  }

  @Test
  void verify_nothingThere_ruleAndRoleMissing() {
    assertEquals(List.of("key-event rule exists", "key-event role exists"),
        failedChecksAllowingFew());
  }

  private List<String> failedChecksAllowingFew() {
    List<Check> checks = new ArrayList<>();
    part(f.calls("verify")).verify(checks, pattern(), f.doc(PolicyDocuments.KEY_EVENTS_TRUST_POLICY), f.doc(PolicyDocuments.KEY_EVENTS_POLICY), BUS);
    return checks.stream().filter(c -> !c.passed()).map(Check::name).toList();
  }

  @Test
  void destroy_removesTargetRulePolicyRole_thenNothingLeft() {
    ensure();
    Calls calls = f.calls("destroy");
    part(calls).destroy();
    assertEquals(List.of("events:RemoveTargets", "events:DeleteRule", "iam:DeleteRolePolicy", "iam:DeleteRole"), Fixture.calls(calls.changes()));
    assertTrue(f.aws.events.buses.get(EventsPort.DEFAULT_BUS).rules.isEmpty());
    assertTrue(f.aws.iam.roles.isEmpty());
    Calls again = f.calls("destroy");
    part(again).destroy();
    assertEquals(List.of(), again.changes());
  }
}
