package dev.byok.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.AwsAccountId;
import dev.byok.core.HandoffBundle;
import dev.byok.core.ProvisioningException;
import dev.byok.provisioning.internal.KmsKeys;
import dev.byok.provisioning.internal.aws.AwsCallException;
import dev.byok.provisioning.internal.aws.FakeAws;
import dev.byok.provisioning.internal.aws.FakeKms;
import dev.byok.provisioning.internal.aws.KmsPort.KeyInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole life of a set-up through the public {@link Provisioner}, on the in-memory AWS
 * ({@link FakeAws}): the same story as {@code ProvisioningIT} on moto, in milliseconds, with a
 * failure injected at every write in turn.
 */
class ProvisionerTest {
  private final FakeAws aws = new FakeAws();
  private final List<Duration> slept = new ArrayList<>();

  private static ProvisioningSpec spec() {
    return Specs.base("slack").tag("team", "security").logRetentionDays(365).build();
  }

  private Provisioner provisioner(ProvisioningSpec spec) {
    return Provisioner.builder().spec(spec).ports(aws.ports()).propagationRetry(PropagationRetry.builder().sleeper(slept::add).build()).build();
  }

  private static List<String> calls(ChangeReport r) {
    return r.changes().stream().map(Change::call).toList();
  }

  @Test
  void lifecycle_applyVerifyReapplyRevokeRestoreDestroy_destroyRemovesExactlyWhatApplyMade() {
    FakeKms.Key unrelated = aws.kms.addKey("another team's key", "{}");
    aws.kms.aliases.put("alias/unrelated", unrelated.id);
    aws.s3.addBucket("unrelated-bucket", FakeAws.ACCOUNT);
    aws.iam.addRole("unrelated-role", "{}");
    TreeSet<String> before = aws.inventory();
    Provisioner p = provisioner(spec());

    ChangeReport first = p.apply();
    assertEquals(Provisioner.plan(spec()).calls().stream().map(Change::call).toList(), first.changes().stream().map(Change::call).toList(),
        "a fresh account gets exactly the planned calls, in order");
    HandoffBundle bundle = first.handoffBundle().orElseThrow();
    assertEquals("arn:aws:iam::" + FakeAws.ACCOUNT + ":role/slack-sandbox-kms-logging", bundle.roleArn());
    assertEquals(64, bundle.externalId().length(), "generated external ID: 32 bytes hex");
    assertTrue(first.vendorSummary().orElseThrow().contains(bundle.keyArn().toString()));
    assertEquals(List.of(), slept);

    VerifyReport verified = p.verify();
    assertTrue(verified.allPassed(), verified.toText());
    assertTrue(verified.checks().size() >= 25, "checks: " + verified.checks().size());

    ChangeReport second = p.apply();
    assertEquals(List.of(), second.changes(), second.toText());
    assertEquals(bundle, second.handoffBundle().orElseThrow(), "the second apply reuses the role's external ID");

    String keyId = bundle.keyArn().resourceId();
    assertEquals(List.of("kms:DisableKey"), calls(p.revoke(Revocation.disable())));
    assertEquals(List.of("kms:PutKeyPolicy"), calls(p.revoke(Revocation.denyScope("tenant", "T1"))));
    assertFalse(p.verify().allPassed());
    assertEquals(List.of(), p.apply().changes(), "apply leaves a revocation in place");
    assertEquals(List.of("kms:PutKeyPolicy", "kms:EnableKey"), calls(p.restore(null)));
    assertEquals(KeyInfo.ENABLED, aws.kms.keys.get(keyId).state);
    assertTrue(p.verify().allPassed());

    ChangeReport destroyed = p.destroy(7);
    assertTrue(destroyed.notes().get(destroyed.notes().size() - 1).contains("7-day waiting period"), destroyed.toText());
    TreeSet<String> after = aws.inventory();
    after.removeIf(r -> r.startsWith("kms key ") && r.endsWith(" " + KeyInfo.PENDING_DELETION));
    assertEquals(before, after, "destroy leaves exactly what was there before apply (and the two keys pending deletion)");
    assertEquals(2, aws.kms.keys.values().stream().filter(k -> k.state.equals(KeyInfo.PENDING_DELETION)).count());
    assertEquals(List.of(), p.destroy(7).changes(), "a second destroy finds nothing to remove");
    assertFalse(p.verify().allPassed());
  }

  static List<Integer> everyWrite() {
    return IntStream.rangeClosed(1, Provisioner.plan(spec()).calls().size()).boxed().toList();
  }

  @ParameterizedTest(name = "failure at write {0}")
  @MethodSource("everyWrite")
  void apply_failureInjectedAtWriteK_nextApplyConverges(int k) {
    aws.failWrite(k, AwsCallException.client("injected failure at write " + k));
    ProvisioningException e = assertThrows(ProvisioningException.class, () -> provisioner(spec()).apply());
    assertTrue(e.getMessage().contains("injected failure at write " + k), e.getMessage());
    assertTrue(k == 1 ? e.getMessage().endsWith("; nothing was changed") : e.getMessage().contains((k - 1)
        + (k == 2 ? " change " : " changes ") + "made before it (kms:CreateKey alias/acme-slack-sandbox")
        && e.getMessage().contains("; run apply again to resume"), e.getMessage());
    aws.failWrite(0, AwsCallException.client("unused"));
    Provisioner p = provisioner(spec());
    ChangeReport resumed = p.apply();
    int planned = Provisioner.plan(spec()).calls().size();
    assertEquals(planned - (k - 1), resumed.changes().size(), "resume makes only the calls still missing: " + resumed.toText());
    assertTrue(p.verify().allPassed());
    assertEquals(List.of(), p.apply().changes());
    long keys = aws.kms.keys.values().stream().filter(key -> "alias/acme-slack-sandbox".equals(key.tags.get(KmsKeys.ALIAS_TAG))).count();
    assertEquals(1, keys, "no orphan key was created by the resumed apply");
  }

  @Test
  void apply_specNamesAnotherAccount_failsBeforeAnyWrite() {
    ProvisioningSpec spec = spec().toBuilder().account(AwsAccountId.of("210987654321")).build();
    ProvisioningException e = assertThrows(ProvisioningException.class, () -> provisioner(spec).apply());
    assertTrue(e.getMessage().contains("210987654321"), e.getMessage());
    assertEquals(List.of("sts:GetCallerIdentity"), aws.log());
  }

  @Test
  void revoke_noKeyYet_saysToApplyFirst() {
    ProvisioningException e = assertThrows(ProvisioningException.class, () -> provisioner(spec()).revoke(Revocation.disable()));
    assertTrue(e.getMessage().contains("no key with alias alias/acme-slack-sandbox") && e.getMessage().contains("run apply first"),
        e.getMessage());
    assertEquals(List.of(), aws.writes());
  }

  @Test
  void builder_missingSpecOrClients_namesIt() {
    IllegalStateException noSpec = assertThrows(IllegalStateException.class, () -> Provisioner.builder().ports(aws.ports()).build());
    assertTrue(noSpec.getMessage().contains("spec is required"), noSpec.getMessage());
    IllegalStateException noClients = assertThrows(IllegalStateException.class, () -> Provisioner.builder().spec(spec()).build());
    assertTrue(noClients.getMessage().contains("clients is required"), noClients.getMessage());
  }

  @Test
  void builder_valueSetTwice_refused() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Provisioner.builder().spec(spec()).spec(spec()));
    assertTrue(e.getMessage().contains("spec is already set"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> Provisioner.builder().propagationRetry(PropagationRetry.DEFAULT)
        .propagationRetry(PropagationRetry.DEFAULT));
  }
}
