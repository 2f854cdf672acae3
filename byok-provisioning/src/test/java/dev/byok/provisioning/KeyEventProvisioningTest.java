package dev.byok.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.core.HandoffBundle;
import dev.byok.provisioning.internal.Json;
import dev.byok.provisioning.internal.aws.EventsPort;
import dev.byok.provisioning.internal.aws.FakeAws;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The customer's side of pushed key events: the vendor bus in the spec and the vendor profile, the
 * three documents (pattern, role trust, role policy) in the plan and their lint, and the lifecycle
 * on the in-memory AWS.
 */
class KeyEventProvisioningTest {
  static final String BUS = "arn:aws:events:us-east-1:444455556666:event-bus/byok-key-events";
  private final FakeAws aws = new FakeAws();

  private static ProvisioningSpec spec() {
    return Specs.base("slack").vendorEventBus(BUS).build();
  }

  private Provisioner provisioner(ProvisioningSpec spec) {
    return Provisioner.builder().spec(spec).ports(aws.ports())
        .propagationRetry(PropagationRetry.builder().sleeper(d -> { }).build()).build();
  }

  private static List<LintFinding> lintPattern(ObjectNode pattern) {
    ProvisioningSpec s = spec();
    return PolicyLinter.forSpec(s, ResourceNames.of(s, Specs.ACCOUNT), false).lint(PolicyDocuments.KEY_EVENT_PATTERN, pattern.toString());
  }

  private static ObjectNode pattern() {
    return (ObjectNode) Json.parsePolicy(PolicyDocuments.keyEventPatternJson(
        "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"));
  }

  @Test
  void plan_withVendorBus_namesRuleRoleAndDocumentsAndLintPasses() {
    Plan plan = Provisioner.plan(spec());
    assertTrue(plan.lintPassed(), plan.findings().toString());
    assertEquals("slack-sandbox-key-events (default bus)", plan.resources().get("keyEventRule"));
    assertEquals("arn:aws:iam::<ACCOUNT_ID>:role/slack-sandbox-key-events", plan.resources().get("keyEventRoleArn"));
    assertEquals(BUS, plan.resources().get("vendorEventBus"));
    assertTrue(plan.documents().names().containsAll(List.of(PolicyDocuments.KEY_EVENT_PATTERN, PolicyDocuments.KEY_EVENTS_TRUST_POLICY,
        PolicyDocuments.KEY_EVENTS_POLICY)));
    List<String> calls = plan.calls().stream().map(Change::call).toList();
    assertEquals(List.of("iam:CreateRole", "iam:PutRolePolicy", "events:PutRule", "events:PutTargets"),
        calls.subList(calls.size() - 4, calls.size()));
    JsonNode p = Json.parsePolicy(plan.documents().json(PolicyDocuments.KEY_EVENT_PATTERN));
    assertEquals("[\"<KEY_ID>\",\"arn:aws:kms:us-east-1:<ACCOUNT_ID>:key/<KEY_ID>\"]", p.at("/detail/requestParameters/keyId").toString());
    assertTrue(plan.toText().contains("event pattern of rule slack-sandbox-key-events on the default bus"), plan.toText());
    assertTrue(plan.notes().stream().anyMatch(n -> n.contains(BUS)), plan.notes().toString());
  }

  @Test
  void plan_withoutVendorBus_noKeyEventDocumentsOrCalls() {
    Plan plan = Provisioner.plan(Specs.slack());
    assertFalse(plan.documents().has(PolicyDocuments.KEY_EVENT_PATTERN));
    assertFalse(plan.resources().containsKey("keyEventRule"));
    assertTrue(plan.calls().stream().noneMatch(c -> c.call().startsWith("events:")));
  }

  @Test
  void documents_trustNamesTheRuleAndAccount_policyOnlyPutEventsOnTheBus() {
    ProvisioningSpec s = spec();
    PolicyDocuments d = PolicyDocuments.render(s, ResourceNames.of(s, Specs.ACCOUNT), Specs.EXTERNAL_ID);
    JsonNode trust = Json.parsePolicy(d.json(PolicyDocuments.KEY_EVENTS_TRUST_POLICY));
    JsonNode st = trust.at("/Statement/0");
    assertEquals("events.amazonaws.com", st.at("/Principal/Service").asText());
    assertEquals("arn:aws:events:us-east-1:123456789012:rule/slack-sandbox-key-events", st.at("/Condition/StringEquals/aws:SourceArn").asText());
    assertEquals("123456789012", st.at("/Condition/StringEquals/aws:SourceAccount").asText());
    JsonNode policy = Json.parsePolicy(d.json(PolicyDocuments.KEY_EVENTS_POLICY));
    assertEquals("events:PutEvents", policy.at("/Statement/0/Action").asText());
    assertEquals(BUS, policy.at("/Statement/0/Resource").asText());
    assertEquals(1, policy.get("Statement").size());
  }

  @Test
  void lint_patternOfTheKey_passes() {
    assertEquals(List.of(), lintPattern(pattern()));
  }

  @Test
  void lint_patternFaults_eachFound() {
    ObjectNode noDeny = pattern();
    ((ArrayNode) noDeny.at("/detail/eventName")).remove(0); // DisableKey
    assertTrue(lintPattern(noDeny).toString().contains("DisableKey cuts the vendor's access"), lintPattern(noDeny).toString());
    ObjectNode extra = pattern();
    ((ArrayNode) extra.at("/detail/eventName")).add("Decrypt");
    assertTrue(lintPattern(extra).toString().contains("call Decrypt changes no access"));
    ObjectNode anyKey = pattern();
    ((ObjectNode) anyKey.get("detail")).remove("requestParameters");
    assertTrue(lintPattern(anyKey).toString().contains("must name this key"));
    ObjectNode prefix = pattern();
    ((ObjectNode) prefix.at("/detail/requestParameters")).putArray("keyId").addObject().put("prefix", "");
    assertTrue(lintPattern(prefix).toString().contains("must name this key"), "a content filter is not a key");
    ObjectNode alias = pattern();
    ((ArrayNode) alias.at("/detail/requestParameters/keyId")).add("alias/acme-slack-sandbox");
    assertTrue(lintPattern(alias).toString().contains("is not a key ID or key ARN"));
    ObjectNode source = pattern();
    source.putArray("source").add("aws.iam");
    assertTrue(lintPattern(source).toString().contains("source"));
    ObjectNode big = pattern();
    ArrayNode names = (ArrayNode) big.at("/detail/requestParameters/keyId");
    for (int i = 0; i < 60; i++) {
      names.add("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    }
    assertTrue(lintPattern(big).stream().anyMatch(f -> f.rule() == LintRule.SIZE), lintPattern(big).toString());
    ObjectNode placeholder = (ObjectNode) Json.parsePolicy(Provisioner.plan(spec()).documents().json(PolicyDocuments.KEY_EVENT_PATTERN));
    assertTrue(lintPattern(placeholder).toString().contains("still names <KEY_ID>"), "before a write, the key must be named");
  }

  @Test
  void lint_serviceTrustWithoutSource_found() {
    ProvisioningSpec s = spec();
    ObjectNode trust = PolicyDocuments.keyEventsTrustPolicy(ResourceNames.of(s, Specs.ACCOUNT));
    ((ObjectNode) trust.at("/Statement/0")).remove("Condition");
    List<LintFinding> f = PolicyLinter.forSpec(s, ResourceNames.of(s, Specs.ACCOUNT), false).lint(PolicyDocuments.KEY_EVENTS_TRUST_POLICY, trust.toString());
    assertEquals(List.of(LintRule.SERVICE_TRUST_SOURCE), f.stream().map(LintFinding::rule).toList());
  }

  @Test
  void spec_vendorEventBus_fromJsonFlagOrProfile_roundTrips() {
    ProvisioningSpec s = spec();
    assertEquals(BUS, s.vendorEventBus().orElseThrow());
    ProvisioningSpec back = ProvisioningSpec.fromJson(s.toJson());
    assertEquals(s, back);
    assertEquals(BUS, back.vendorEventBus().orElseThrow());
    VendorProfile own = VendorProfile.fromJson("{\"name\":\"acme-saas\",\"displayName\":\"Acme SaaS\",\"actions\":[\"kms:Decrypt\"],"
        + "\"logsViaRole\":false,\"eventBus\":\"" + BUS + "\"}");
    assertEquals(BUS, own.eventBus().orElseThrow());
    ProvisioningSpec viaProfile = Specs.base("slack").build().toBuilder().vendor(own).build();
    assertEquals(BUS, viaProfile.vendorEventBus().orElseThrow(), "a vendor profile may carry the bus");
    assertEquals(viaProfile, ProvisioningSpec.fromJson(viaProfile.toJson()));
    String other = "arn:aws:events:eu-west-1:444455556666:event-bus/other";
    assertEquals(other, viaProfile.toBuilder().vendorEventBus(other).build().vendorEventBus().orElseThrow(), "the spec's wins");
    assertTrue(s.toString().contains("vendorEventBus=" + BUS));
  }

  @ParameterizedTest
  @ValueSource(strings = {"arn:aws:events:us-east-1:4444555566:event-bus/x", "arn:aws:sns:us-east-1:444455556666:topic",
      "arn:aws:events:us-east-1:444455556666:rule/x", "byok-key-events", "arn:aws:events:us-east-1:444455556666:event-bus/a b"})
  void spec_badVendorEventBus_refusedNamingTheRule(String arn) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Specs.base("slack").vendorEventBus(arn));
    assertTrue(e.getMessage().startsWith("spec: event bus ARN '" + arn + "' is invalid"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ProvisioningSpec.fromJson(Specs.slack().toJson().replace("\"region\"",
        "\"vendorEventBus\":\"" + arn + "\",\"region\"")));
    assertThrows(IllegalArgumentException.class, () -> VendorProfile.builtIn("slack").withEventBus(arn));
  }

  @Test
  void lifecycle_applyVerifyReapplyDestroy_onTheFakes() {
    TreeSet<String> before = aws.inventory();
    Provisioner p = provisioner(spec());
    ChangeReport first = p.apply();
    assertEquals(Provisioner.plan(spec()).calls().stream().map(Change::call).toList(), first.changes().stream().map(Change::call).toList(),
        "a fresh account gets exactly the planned calls, in order");
    HandoffBundle bundle = first.handoffBundle().orElseThrow();
    String pattern = aws.events.buses.get(EventsPort.DEFAULT_BUS).rules.get("slack-sandbox-key-events").pattern;
    assertEquals(Json.parsePolicy(PolicyDocuments.keyEventPatternJson(bundle.keyArn().toString())), Json.parsePolicy(pattern),
        "the rule matches the key apply made");
    VerifyReport v = p.verify();
    assertTrue(v.allPassed(), v.toText());
    assertTrue(v.checks().stream().anyMatch(c -> c.name().equals("key-event rule target") && c.detail().startsWith(BUS)), v.toText());
    assertEquals(List.of(), p.apply().changes());
    aws.events.buses.get(EventsPort.DEFAULT_BUS).rules.get("slack-sandbox-key-events").state = "DISABLED";
    assertFalse(p.verify().allPassed());
    assertEquals(List.of("events:PutRule"), p.apply().changes().stream().map(Change::call).toList());
    p.destroy(7);
    TreeSet<String> after = aws.inventory();
    after.removeIf(l -> l.startsWith("kms key ")); // keys stay, scheduled for deletion
    TreeSet<String> expected = new TreeSet<>(before);
    expected.removeIf(l -> l.startsWith("kms key "));
    assertEquals(expected, after, "destroy removes the rule and the role too");
  }

  @Test
  void apply_ruleFailsPartWay_resumes() {
    Provisioner p = provisioner(spec());
    aws.events.failNext("PutTargets", 1, dev.byok.provisioning.internal.aws.AwsCallException.client("connection reset"));
    dev.byok.core.ProvisioningException e = assertThrows(dev.byok.core.ProvisioningException.class, p::apply);
    assertTrue(e.getMessage().startsWith("apply stopped at events:PutTargets slack-sandbox-key-events"), e.getMessage());
    assertEquals(List.of("events:PutTargets"), p.apply().changes().stream().map(Change::call).toList());
    assertTrue(p.verify().allPassed());
  }

  @Test
  void apply_withVendorBus_noPropagationWaits() {
    List<Duration> slept = new ArrayList<>();
    Provisioner.builder().spec(spec()).ports(aws.ports()).propagationRetry(PropagationRetry.builder().sleeper(slept::add).build()).build().apply();
    assertEquals(List.of(), slept, "no eventual-consistency waits on the fakes");
  }
}
