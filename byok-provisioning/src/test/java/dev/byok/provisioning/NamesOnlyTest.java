package dev.byok.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.AwsAccountId;
import dev.byok.core.ProvisioningException;
import dev.byok.provisioning.internal.aws.FakeAws;
import dev.byok.provisioning.internal.aws.KmsPort.KeyInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Revoke, restore, verify, destroy and bundle from the names alone (issue 19, item 6): the vendor's
 * part is read from the live set-up, so the emergency cut-off needs no vendor account IDs.
 */
class NamesOnlyTest {
  private final FakeAws aws = new FakeAws();

  private Provisioner provisioner(ProvisioningSpec spec) {
    return Provisioner.builder().spec(spec).ports(aws.ports()).propagationRetry(PropagationRetry.builder().sleeper(d -> { }).build())
        .build();
  }

  private static ProvisioningSpec namesOnly() {
    return ProvisioningSpec.builder().company("acme").app("slack").env("sandbox").region("us-east-1").buildNamesOnly();
  }

  @Test
  void buildNamesOnly_needsOnlyTheNames_andPlanAndApplyRefuseIt() {
    ProvisioningSpec spec = namesOnly();
    assertTrue(spec.namesOnly());
    assertTrue(spec.toString().contains("names only"), spec.toString());
    IllegalStateException missing = assertThrows(IllegalStateException.class,
        () -> ProvisioningSpec.builder().company("acme").region("us-east-1").buildNamesOnly());
    assertEquals("spec: missing app, env", missing.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Provisioner.plan(spec));
    ProvisioningException apply = assertThrows(ProvisioningException.class, () -> provisioner(spec).apply());
    assertTrue(apply.getMessage().startsWith("apply needs the vendor"), apply.getMessage());
    assertFalse(Specs.slack().namesOnly(), "a full spec is not names-only");
    assertFalse(Specs.slack().toBuilder().build().namesOnly());
  }

  @Test
  void revokeRestoreVerifyBundleDestroy_fromNamesAlone_readTheVendorFromTheKeyPolicy() {
    ProvisioningSpec full = Specs.withOptions().toBuilder().vendorEventBus(KeyEventProvisioningTest.BUS).build();
    ChangeReport applied = provisioner(full).apply();
    Provisioner p = provisioner(namesOnly());

    VerifyReport verify = p.verify();
    assertTrue(verify.allPassed(), verify.toText());
    assertEquals(applied.handoffBundle().orElseThrow(), p.bundle());

    p.revoke(Revocation.disable());
    String keyId = aws.kms.aliases.get("alias/acme-slack-sandbox");
    assertEquals(KeyInfo.DISABLED, aws.kms.keys.get(keyId).state);
    p.revoke(Revocation.denyVendor());
    String policy = aws.kms.keys.get(keyId).policy;
    assertTrue(policy.contains(PolicyDocuments.SID_DENY_VENDOR) && policy.contains("arn:aws:iam::444455556666:root")
        && policy.contains("arn:aws:iam::111122223333:root"), "deny-vendor denies both vendor accounts read from the policy: " + policy);
    p.revoke(Revocation.denyScope("tenant", "T0042"));
    assertTrue(aws.kms.keys.get(keyId).policy.contains("kms:EncryptionContext:tenant"));

    assertEquals(2, p.restore(null).changes().size(), "enable, and the two Deny statements removed in one policy write");
    assertTrue(provisioner(full).verify().allPassed(), "restored to exactly what the full spec wants");

    ChangeReport destroyed = p.destroy(7);
    assertTrue(destroyed.changes().stream().anyMatch(c -> c.call().equals("events:DeleteRule")), destroyed.toText());
    assertTrue(destroyed.changes().stream().anyMatch(c -> c.call().equals("iam:DeleteRole")
        && c.resource().equals("slack-sandbox-kms-logging")), destroyed.toText());
    assertEquals(List.of(), p.destroy(7).changes(), "a second destroy finds nothing");
  }

  @Test
  void liveVendor_profileWithTheSameActions_isTheBuiltInOne_elseLive() {
    VendorProfile slack = VendorProfile.builtIn("slack");
    List<String> reversed = new java.util.ArrayList<>(slack.actions());
    java.util.Collections.reverse(reversed);
    assertEquals("slack", LiveVendor.profile(reversed, slack.logsViaRole()).name());
    VendorProfile other = LiveVendor.profile(List.of("kms:Decrypt"), true);
    assertEquals(LiveVendor.LIVE_PROFILE, other.name());
    assertEquals(List.of("kms:Decrypt"), other.actions());
  }

  @Test
  void revoke_noKeyYet_saysRunApplyFirst() {
    ProvisioningException e = assertThrows(ProvisioningException.class, () -> provisioner(namesOnly()).revoke(Revocation.disable()));
    assertTrue(e.getMessage().startsWith("revoke: no key with alias alias/acme-slack-sandbox"), e.getMessage());
  }

  @Test
  void names_withTheVendorGiven_isTheFullSpec() {
    ProvisioningSpec s = ProvisioningSpec.builder().company("acme").app("slack").env("sandbox").region("us-east-1")
        .vendor(VendorProfile.builtIn("slack")).addVendorAccount(AwsAccountId.of("111122223333")).buildNamesOnly();
    assertFalse(s.namesOnly());
  }
}
