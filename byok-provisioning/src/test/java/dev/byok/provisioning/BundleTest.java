package dev.byok.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.HandoffBundle;
import dev.byok.core.ProvisioningException;
import dev.byok.provisioning.internal.aws.FakeAws;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Provisioner#bundle()} on the in-memory AWS: the bundle read back from whatever made the resources. */
class BundleTest {
  private final FakeAws aws = new FakeAws();

  private Provisioner provisioner(ProvisioningSpec spec) {
    return Provisioner.builder().spec(spec).ports(aws.ports()).build();
  }

  @Test
  void bundle_afterApply_equalsApplysBundle() {
    Provisioner p = provisioner(Specs.slack());
    HandoffBundle applied = p.apply().handoffBundle().orElseThrow();
    assertEquals(applied, p.bundle());
  }

  @Test
  void bundle_nothingApplied_namesTheMissingKey() {
    ProvisioningException e = assertThrows(ProvisioningException.class, () -> provisioner(Specs.slack()).bundle());
    assertTrue(e.getMessage().startsWith("bundle: no key with alias alias/acme-slack-sandbox"), e.getMessage());
  }

  @Test
  void bundle_roleMissing_namesTheRole() {
    Provisioner p = provisioner(Specs.slack());
    p.apply();
    aws.iam.roles.clear();
    ProvisioningException e = assertThrows(ProvisioningException.class, p::bundle);
    assertTrue(e.getMessage().startsWith("bundle: no role slack-sandbox-kms-logging"), e.getMessage());
  }

  @Test
  void bundle_specExternalIdDiffersFromRoles_refused() {
    provisioner(Specs.base("slack").externalId("the-one-applied").build()).apply();
    ProvisioningException e = assertThrows(ProvisioningException.class,
        () -> provisioner(Specs.base("slack").externalId("another-one").build()).bundle());
    assertTrue(e.getMessage().contains("is not the spec's"), e.getMessage());
    assertTrue(!e.getMessage().contains("the-one-applied") && !e.getMessage().contains("another-one"), "no external ID in the message");
  }

  @Test
  void bundle_vendorWithoutLogRole_refused() {
    VendorProfile quiet = VendorProfile.create("quiet", "Quiet SaaS", List.of("kms:Decrypt", "kms:GenerateDataKey"), false, List.of());
    ProvisioningException e = assertThrows(ProvisioningException.class,
        () -> provisioner(Specs.base("generic").vendor(quiet).build()).bundle());
    assertTrue(e.getMessage().contains("writes no logs through a role"), e.getMessage());
  }
}
