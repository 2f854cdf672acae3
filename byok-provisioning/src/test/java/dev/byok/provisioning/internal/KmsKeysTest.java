package dev.byok.provisioning.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.core.ProvisioningException;
import dev.byok.provisioning.Check;
import dev.byok.provisioning.PolicyDocuments;
import dev.byok.provisioning.Revocation;
import dev.byok.provisioning.internal.aws.FakeKms;
import dev.byok.provisioning.internal.aws.KmsPort.KeyInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The KMS key part on the in-memory KMS: apply, verify, revoke and restore, destroy. */
class KmsKeysTest {
  private final Fixture f = new Fixture();

  private KmsKeys.Ref ensure(Calls calls) {
    return f.keys(calls).ensure(f.customerKey());
  }

  private List<Check> verify(String keyId) {
    List<Check> checks = new ArrayList<>();
    f.keys(f.calls("verify")).verify(checks, "key", keyId, f.doc(PolicyDocuments.KEY_POLICY), PolicyDocuments.KEY_POLICY, true);
    return checks;
  }

  private static List<String> failed(List<Check> checks) {
    return checks.stream().filter(c -> !c.passed()).map(Check::name).toList();
  }

  private List<String> sids(String keyId) {
    List<String> out = new ArrayList<>();
    Json.parsePolicy(f.aws.kms.keys.get(keyId).policy).path("Statement").forEach(s -> out.add(s.path("Sid").asText()));
    return out;
  }

  @Test
  void ensure_freshAccount_createsKeyAliasAndRotationWithThePlannedPolicyAndTags() {
    Calls calls = f.calls("apply");
    KmsKeys.Ref ref = ensure(calls);
    assertEquals(List.of("kms:CreateKey", "kms:CreateAlias", "kms:EnableKeyRotation"), Fixture.calls(calls.changes()));
    FakeKms.Key key = f.aws.kms.keys.get(ref.id());
    assertEquals(ref.id(), f.aws.kms.aliases.get("alias/acme-slack-sandbox"));
    assertEquals(key.arn, ref.arn());
    assertTrue(Json.samePolicy(f.doc(PolicyDocuments.KEY_POLICY), Json.parsePolicy(key.policy)), key.policy);
    assertTrue(key.rotation);
    assertEquals("alias/acme-slack-sandbox", key.tags.get(KmsKeys.ALIAS_TAG));
    assertEquals("byok", key.tags.get(KmsKeys.MANAGED_TAG));
    assertEquals("security", key.tags.get("team"));
  }

  @Test
  void ensure_twice_secondChangesNothing() {
    ensure(f.calls("apply"));
    f.aws.clearLog();
    Calls second = f.calls("apply");
    ensure(second);
    assertEquals(List.of(), second.changes());
    assertEquals(List.of(), f.aws.writes());
  }

  @Test
  void ensure_driftedPolicyRotationDescriptionAndTag_eachPutBack() {
    FakeKms.Key key = f.aws.kms.keys.get(ensure(f.calls("apply")).id());
    key.policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"EnableRootAccountAdministration\",\"Effect\":\"Allow\","
        + "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
    key.rotation = false;
    key.description = "changed by hand";
    key.tags.remove(KmsKeys.MANAGED_TAG);
    Calls calls = f.calls("apply");
    ensure(calls);
    assertEquals(List.of("kms:PutKeyPolicy", "kms:EnableKeyRotation", "kms:UpdateKeyDescription", "kms:TagResource"),
        Fixture.calls(calls.changes()));
    assertTrue(Json.samePolicy(f.doc(PolicyDocuments.KEY_POLICY), Json.parsePolicy(key.policy)));
    assertEquals(List.of(), Fixture.calls(f.calls("apply").changes()));
  }

  @Test
  void ensure_aliasNeverCreated_findsTheTaggedKeyAndCreatesOnlyTheAlias() {
    KmsKeys.Ref first = ensure(f.calls("apply"));
    f.aws.kms.aliases.clear(); // as if the first apply stopped right after CreateKey
    Calls calls = f.calls("apply");
    KmsKeys.Ref again = ensure(calls);
    assertEquals(first.id(), again.id());
    assertEquals(List.of("kms:CreateAlias"), Fixture.calls(calls.changes()));
    assertEquals(1, f.aws.kms.keys.size(), "no second key");
    assertTrue(calls.notes().get(0).contains("found key " + first.id()), calls.notes().toString());
  }

  @Test
  void ensure_keyPendingDeletion_refusedWithTheWayOut() {
    KmsKeys.Ref ref = ensure(f.calls("apply"));
    f.aws.kms.keys.get(ref.id()).state = KeyInfo.PENDING_DELETION;
    ProvisioningException e = assertThrows(ProvisioningException.class, () -> ensure(f.calls("apply")));
    assertTrue(e.getMessage().contains("pending deletion") && e.getMessage().contains("provision restore schedule-deletion"), e.getMessage());
  }

  @Test
  void ensure_revocationInForce_keptAndNoted() {
    KmsKeys.Ref ref = ensure(f.calls("apply"));
    f.keys(f.calls("revoke")).revoke(f.names.keyAlias(), ref.id(), Revocation.disable(), null);
    Calls calls = f.calls("apply");
    ensure(calls);
    assertEquals(List.of(), calls.changes());
    assertEquals(KeyInfo.DISABLED, f.aws.kms.keys.get(ref.id()).state);
    assertTrue(calls.notes().get(0).contains("is disabled"), calls.notes().toString());
  }

  @Test
  void verify_afterEnsure_everyCheckPasses() {
    List<Check> checks = verify(ensure(f.calls("apply")).id());
    assertEquals(List.of(), failed(checks), checks.toString());
    assertEquals(7, checks.size(), checks.toString());
  }

  @Test
  void verify_vendorStatementChangedAndRotationOff_reportsBoth() {
    FakeKms.Key key = f.aws.kms.keys.get(ensure(f.calls("apply")).id());
    ObjectNode policy = (ObjectNode) Json.parsePolicy(key.policy);
    for (JsonNode s : policy.withArray("Statement")) {
      if (s.path("Sid").asText().equals(PolicyDocuments.SID_VENDOR)) {
        ((ObjectNode) s).put("Action", "kms:Decrypt");
      }
    }
    key.policy = policy.toString();
    key.rotation = false;
    List<Check> checks = verify(key.id);
    assertEquals(List.of("key rotation", "key policy statement " + PolicyDocuments.SID_VENDOR), failed(checks), checks.toString());
  }

  @Test
  void verify_disabledKeyWithRevokeStatement_reportsStateAndRevocation() {
    String id = ensure(f.calls("apply")).id();
    KmsKeys keys = f.keys(f.calls("revoke"));
    keys.revoke(f.names.keyAlias(), id, Revocation.disable(), null);
    keys.revoke(f.names.keyAlias(), id, Revocation.denyVendor(), denyVendor());
    assertEquals(List.of("key enabled", "key policy has no revocation"), failed(verify(id)));
  }

  private ObjectNode denyVendor() {
    ObjectNode s = Json.MAPPER.createObjectNode();
    s.put("Sid", PolicyDocuments.SID_DENY_VENDOR).put("Effect", "Deny").put("Action", "kms:Decrypt").put("Resource", "*");
    s.putObject("Principal").putArray("AWS").add("arn:aws:iam::" + Fixture.VENDOR_ACCOUNT + ":root");
    return s;
  }

  @Test
  void revokeAndRestore_eachMode_changesOnlyWhatIsNeeded() {
    String id = ensure(f.calls("apply")).id();
    String alias = f.names.keyAlias();
    Calls revoke = f.calls("revoke");
    KmsKeys keys = f.keys(revoke);
    keys.revoke(alias, id, Revocation.denyVendor(), denyVendor());
    keys.revoke(alias, id, Revocation.denyVendor(), denyVendor());
    assertEquals(List.of("kms:PutKeyPolicy"), Fixture.calls(revoke.changes()), "the second deny-vendor changes nothing");
    assertTrue(sids(id).contains(PolicyDocuments.SID_DENY_VENDOR));
    keys.revoke(alias, id, Revocation.scheduleDeletion(7), null);
    assertEquals(KeyInfo.PENDING_DELETION, f.aws.kms.keys.get(id).state);

    Calls restore = f.calls("restore");
    f.keys(restore).restore(alias, id, null);
    assertEquals(List.of("kms:PutKeyPolicy", "kms:CancelKeyDeletion", "kms:EnableKey"), Fixture.calls(restore.changes()));
    assertFalse(sids(id).contains(PolicyDocuments.SID_DENY_VENDOR));
    assertEquals(KeyInfo.ENABLED, f.aws.kms.keys.get(id).state);
    Calls again = f.calls("restore");
    f.keys(again).restore(alias, id, null);
    assertEquals(List.of(), again.changes(), "nothing left to restore");
  }

  @Test
  void restore_disableWhileDeletionPending_refused() {
    String id = ensure(f.calls("apply")).id();
    f.keys(f.calls("revoke")).revoke(f.names.keyAlias(), id, Revocation.scheduleDeletion(7), null);
    ProvisioningException e = assertThrows(ProvisioningException.class,
        () -> f.keys(f.calls("restore")).restore(f.names.keyAlias(), id, Revocation.disable()));
    assertTrue(e.getMessage().contains("restore schedule-deletion"), e.getMessage());
  }

  @Test
  void destroy_removesTheAliasAndSchedulesOnlyItsKeys() {
    FakeKms.Key other = f.aws.kms.addKey("another team's key", "{}");
    f.aws.kms.aliases.put("alias/other", other.id);
    String id = ensure(f.calls("apply")).id();
    Calls calls = f.calls("destroy");
    f.keys(calls).destroy("key", f.names.keyAlias(), 7);
    assertEquals(List.of("kms:DeleteAlias", "kms:ScheduleKeyDeletion"), Fixture.calls(calls.changes()));
    assertEquals(KeyInfo.PENDING_DELETION, f.aws.kms.keys.get(id).state);
    assertEquals(KeyInfo.ENABLED, other.state);
    assertEquals(Set.of("alias/other"), f.aws.kms.aliases.keySet());
    Calls again = f.calls("destroy");
    f.keys(again).destroy("key", f.names.keyAlias(), 7);
    assertEquals(List.of(), again.changes(), "a second destroy finds nothing");
  }
}
