package dev.byok.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.core.ProvisioningException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every lint rule with a document that breaks it and one that passes. */
class PolicyLinterTest {
  private final ProvisioningSpec spec = Specs.slack();
  private final ResourceNames names = ResourceNames.of(spec, Specs.ACCOUNT);
  private final PolicyDocuments docs = PolicyDocuments.render(spec, names, Specs.EXTERNAL_ID);
  private final PolicyLinter linter = PolicyLinter.forSpec(spec, names, false);

  private List<LintFinding> lint(String doc, ObjectNode n) {
    return linter.lint(doc, n);
  }

  private static void assertOnly(List<LintFinding> f, LintRule rule, String statement) {
    assertEquals(1, f.size(), "findings: " + f);
    assertEquals(rule, f.get(0).rule());
    assertEquals(statement, f.get(0).statement());
  }

  private ObjectNode statement(ObjectNode doc, String sid) {
    for (var s : doc.withArray("Statement")) {
      if (sid.equals(s.path("Sid").asText())) {
        return (ObjectNode) s;
      }
    }
    throw new AssertionError("no statement " + sid);
  }

  @Test
  void lint_renderedDocuments_passEveryRule() {
    assertEquals(List.of(), linter.lint(docs));
  }

  // ---- structure ----

  @Test
  void structure_missingEffect_fails() {
    ObjectNode doc = docs.get(PolicyDocuments.KEY_POLICY);
    statement(doc, PolicyDocuments.SID_VENDOR).remove("Effect");
    assertOnly(lint(PolicyDocuments.KEY_POLICY, doc), LintRule.STRUCTURE, PolicyDocuments.SID_VENDOR);
  }

  @Test
  void structure_duplicateSid_fails() {
    ObjectNode doc = docs.get(PolicyDocuments.KEY_POLICY);
    doc.withArray("Statement").add(statement(doc, PolicyDocuments.SID_VENDOR).deepCopy());
    List<LintFinding> f = lint(PolicyDocuments.KEY_POLICY, doc);
    assertEquals(LintRule.STRUCTURE, f.get(0).rule());
    assertTrue(f.get(0).message().contains("more than one statement"), f.toString());
  }

  @Test
  void structure_wellFormedDocument_passes() {
    assertEquals(List.of(), lint(PolicyDocuments.KEY_POLICY, docs.get(PolicyDocuments.KEY_POLICY)));
  }

  // ---- size ----

  @Test
  void size_keyPolicyOver32KiB_fails() {
    ObjectNode doc = docs.get(PolicyDocuments.KEY_POLICY);
    doc.put("Id", "x".repeat(PolicyLinter.MAX_KEY_POLICY_BYTES));
    assertOnly(lint(PolicyDocuments.KEY_POLICY, doc), LintRule.SIZE, "(document)");
  }

  @Test
  void size_keyPolicyJustUnder32KiB_passes() {
    ObjectNode doc = docs.get(PolicyDocuments.KEY_POLICY);
    int room = PolicyLinter.MAX_KEY_POLICY_BYTES - doc.toString().length();
    doc.put("Id", "x".repeat(room - 20));
    assertTrue(doc.toString().length() <= PolicyLinter.MAX_KEY_POLICY_BYTES);
    assertEquals(List.of(), lint(PolicyDocuments.KEY_POLICY, doc));
  }

  @Test
  void size_trustPolicyOver2KiB_fails() {
    ObjectNode doc = docs.get(PolicyDocuments.TRUST_POLICY);
    ((ObjectNode) doc.withArray("Statement").get(0)).put("Sid", "S".repeat(2100));
    assertOnly(lint(PolicyDocuments.TRUST_POLICY, doc), LintRule.SIZE, "(document)");
  }

  // ---- no-lockout ----

  @Test
  void noLockout_withoutRootStatement_fails() {
    ObjectNode doc = docs.get(PolicyDocuments.KEY_POLICY);
    doc.withArray("Statement").remove(0);
    assertOnly(lint(PolicyDocuments.KEY_POLICY, doc), LintRule.NO_LOCKOUT, "(document)");
  }

  @Test
  void noLockout_unconditionalDenyOfPutKeyPolicyToRoot_fails() {
    ObjectNode doc = docs.get(PolicyDocuments.KEY_POLICY);
    ObjectNode deny = statement(doc, PolicyDocuments.SID_ROOT).deepCopy();
    deny.put("Sid", "DenyAll").put("Effect", "Deny").put("Action", "kms:PutKeyPolicy");
    doc.withArray("Statement").add(deny);
    assertOnly(lint(PolicyDocuments.KEY_POLICY, doc), LintRule.NO_LOCKOUT, "DenyAll");
  }

  @Test
  void noLockout_administratorInsteadOfRoot_passes() {
    ProvisioningSpec withAdmin = Specs.base("slack").addKeyAdministrator("arn:aws:iam::123456789012:role/KeyAdmins").build();
    ResourceNames n = ResourceNames.of(withAdmin, Specs.ACCOUNT);
    ObjectNode doc = PolicyDocuments.render(withAdmin, n, Specs.EXTERNAL_ID).get(PolicyDocuments.KEY_POLICY);
    doc.withArray("Statement").remove(0); // no root statement; the administrator may still kms:Put*
    assertEquals(List.of(), PolicyLinter.forSpec(withAdmin, n, false).lint(PolicyDocuments.KEY_POLICY, doc));
  }

  @Test
  void noLockout_denyVendorStatement_passes() {
    ObjectNode doc = docs.get(PolicyDocuments.KEY_POLICY);
    doc.withArray("Statement").add(PolicyDocuments.denyVendorStatement(spec));
    assertEquals(List.of(), lint(PolicyDocuments.KEY_POLICY, doc));
  }

  // ---- wildcard principal ----

  @Test
  void wildcardPrincipal_withoutCondition_fails() {
    ObjectNode doc = docs.get(PolicyDocuments.LOG_KEY_POLICY);
    statement(doc, "AllowPrincipalsInAccountToDecryptLogs").remove("Condition");
    assertOnly(lint(PolicyDocuments.LOG_KEY_POLICY, doc), LintRule.WILDCARD_PRINCIPAL, "AllowPrincipalsInAccountToDecryptLogs");
  }

  @Test
  void wildcardPrincipal_bareStarWithoutCondition_fails() {
    ObjectNode doc = docs.get(PolicyDocuments.BUCKET_POLICY);
    ObjectNode s = statement(doc, "DenyInsecureTransport");
    s.put("Principal", "*");
    s.remove("Condition");
    assertOnly(lint(PolicyDocuments.BUCKET_POLICY, doc), LintRule.WILDCARD_PRINCIPAL, "DenyInsecureTransport");
  }

  @Test
  void wildcardPrincipal_withCondition_passes() {
    ObjectNode doc = docs.get(PolicyDocuments.LOG_KEY_POLICY);
    assertTrue(statement(doc, "AllowPrincipalsInAccountToDecryptLogs").has("Condition"));
    assertEquals(List.of(), lint(PolicyDocuments.LOG_KEY_POLICY, doc));
  }

  // ---- account-id ----

  @Test
  void accountId_elevenDigitsInPrincipal_fails() {
    ObjectNode doc = docs.get(PolicyDocuments.TRUST_POLICY);
    ((ObjectNode) doc.withArray("Statement").get(0)).putObject("Principal").putArray("AWS").add("arn:aws:iam::11112222333:root");
    assertOnly(lint(PolicyDocuments.TRUST_POLICY, doc), LintRule.ACCOUNT_ID, "AllowVendorToAssumeLogRole");
  }

  @Test
  void accountId_badCallerAccountCondition_fails() {
    ObjectNode doc = docs.get(PolicyDocuments.LOG_KEY_POLICY);
    ((ObjectNode) statement(doc, "AllowPrincipalsInAccountToDecryptLogs").path("Condition").path("StringEquals")).put("kms:CallerAccount", "12345");
    assertOnly(lint(PolicyDocuments.LOG_KEY_POLICY, doc), LintRule.ACCOUNT_ID, "AllowPrincipalsInAccountToDecryptLogs");
  }

  @Test
  void accountId_placeholder_failsBeforeWriteButPassesInPlan() {
    ResourceNames offline = ResourceNames.of(spec);
    PolicyDocuments planned = PolicyDocuments.render(spec, offline, Specs.EXTERNAL_ID);
    List<LintFinding> strict = PolicyLinter.forSpec(spec, offline, false).lint(PolicyDocuments.KEY_POLICY, planned.get(PolicyDocuments.KEY_POLICY));
    assertOnly(strict, LintRule.ACCOUNT_ID, PolicyDocuments.SID_ROOT);
    assertEquals(List.of(), PolicyLinter.forSpec(spec, offline, true).lint(planned));
  }

  @Test
  void accountId_twelveDigits_passes() {
    assertEquals(List.of(), lint(PolicyDocuments.TRUST_POLICY, docs.get(PolicyDocuments.TRUST_POLICY)));
  }

  // ---- vendor-actions ----

  @Test
  void vendorActions_kmsStar_fails() {
    ObjectNode doc = docs.get(PolicyDocuments.KEY_POLICY);
    statement(doc, PolicyDocuments.SID_VENDOR).put("Action", "kms:*");
    assertOnly(lint(PolicyDocuments.KEY_POLICY, doc), LintRule.VENDOR_ACTIONS, PolicyDocuments.SID_VENDOR);
  }

  @Test
  void vendorActions_actionOutsideProfile_fails() {
    ObjectNode doc = docs.get(PolicyDocuments.KEY_POLICY);
    statement(doc, PolicyDocuments.SID_VENDOR).withArray("Action").add("kms:Encrypt");
    List<LintFinding> f = lint(PolicyDocuments.KEY_POLICY, doc);
    assertOnly(f, LintRule.VENDOR_ACTIONS, PolicyDocuments.SID_VENDOR);
    assertTrue(f.get(0).message().contains("kms:Encrypt"), f.get(0).message());
  }

  @Test
  void vendorActions_unknownForeignAccountGetsKmsStar_fails() {
    ObjectNode doc = docs.get(PolicyDocuments.KEY_POLICY);
    ObjectNode s = statement(doc, PolicyDocuments.SID_VENDOR);
    s.putObject("Principal").putArray("AWS").add("arn:aws:iam::999988887777:root");
    s.put("Action", "kms:*");
    assertOnly(lint(PolicyDocuments.KEY_POLICY, doc), LintRule.VENDOR_ACTIONS, PolicyDocuments.SID_VENDOR);
  }

  @Test
  void vendorActions_profileActions_passes() {
    ObjectNode doc = docs.get(PolicyDocuments.KEY_POLICY);
    assertEquals(spec.vendor().actions().size(), statement(doc, PolicyDocuments.SID_VENDOR).withArray("Action").size());
    assertEquals(List.of(), lint(PolicyDocuments.KEY_POLICY, doc));
  }

  // ---- log-policy-coverage ----

  @Test
  void logCoverage_withoutStreams_fails() {
    ObjectNode doc = docs.get(PolicyDocuments.LOG_POLICY);
    ((ObjectNode) doc.withArray("Statement").get(0)).withArray("Resource").remove(1);
    List<LintFinding> f = lint(PolicyDocuments.LOG_POLICY, doc);
    assertOnly(f, LintRule.LOG_POLICY_COVERAGE, "(document)");
    assertTrue(f.get(0).message().endsWith("missing the streams"), f.get(0).message());
  }

  @Test
  void logCoverage_missingPutLogEvents_fails() {
    ObjectNode doc = docs.get(PolicyDocuments.LOG_POLICY);
    ((ObjectNode) doc.withArray("Statement").get(0)).withArray("Action").remove(3);
    assertOnly(lint(PolicyDocuments.LOG_POLICY, doc), LintRule.LOG_POLICY_COVERAGE, "(document)");
  }

  @Test
  void logCoverage_guidePolicy_passes() {
    assertEquals(List.of(), lint(PolicyDocuments.LOG_POLICY, docs.get(PolicyDocuments.LOG_POLICY)));
  }

  // ---- trust-external-id ----

  @Test
  void trustExternalId_missingCondition_fails() {
    ObjectNode doc = docs.get(PolicyDocuments.TRUST_POLICY);
    ((ObjectNode) doc.withArray("Statement").get(0)).remove("Condition");
    assertOnly(lint(PolicyDocuments.TRUST_POLICY, doc), LintRule.TRUST_EXTERNAL_ID, "AllowVendorToAssumeLogRole");
  }

  @Test
  void trustExternalId_placeholderBeforeWrite_fails() {
    ObjectNode doc = PolicyDocuments.render(spec, names, PolicyDocuments.EXTERNAL_ID_PLACEHOLDER).get(PolicyDocuments.TRUST_POLICY);
    assertOnly(lint(PolicyDocuments.TRUST_POLICY, doc), LintRule.TRUST_EXTERNAL_ID, "AllowVendorToAssumeLogRole");
  }

  @Test
  void trustExternalId_present_passes() {
    assertEquals(List.of(), lint(PolicyDocuments.TRUST_POLICY, docs.get(PolicyDocuments.TRUST_POLICY)));
  }

  // ---- check ----

  @Test
  void check_failure_namesDocumentStatementAndRule() {
    ObjectNode doc = docs.get(PolicyDocuments.KEY_POLICY);
    statement(doc, PolicyDocuments.SID_VENDOR).put("Action", "kms:*");
    ProvisioningException e = assertThrows(ProvisioningException.class, () -> linter.check(PolicyDocuments.KEY_POLICY, doc));
    assertTrue(e.getMessage().contains("keyPolicy statement 'AllowVendorUseOfTheKey' breaks rule vendor-actions"), e.getMessage());
  }
}
