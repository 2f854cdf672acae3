package dev.byok.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.AwsAccountId;
import org.junit.jupiter.api.Test;

class ProvisioningSpecTest {
  @Test
  void build_missingFields_namesEachOne() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ProvisioningSpec.builder().company("acme").build());
    assertTrue(e.getMessage().contains("app, env, region, vendor, vendorAccounts"), e.getMessage());
  }

  @Test
  void addVendorAccount_twice_rejected() {
    assertThrows(IllegalArgumentException.class, () -> Specs.base("slack").addVendorAccount(AwsAccountId.of(Specs.VENDOR_ACCOUNT)));
  }

  @Test
  void build_ownAccountAsVendor_rejected() {
    assertThrows(IllegalArgumentException.class, () -> Specs.base("slack").account(AwsAccountId.of(Specs.VENDOR_ACCOUNT)).build());
  }

  @Test
  void region_notARegion_rejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Specs.base("slack").region("useast1"));
    assertTrue(e.getMessage().contains("region"), e.getMessage());
  }

  @Test
  void logRetentionDays_notAllowedValue_rejected() {
    assertThrows(IllegalArgumentException.class, () -> Specs.base("slack").logRetentionDays(10));
  }

  @Test
  void toJson_fromJson_roundTrips() {
    ProvisioningSpec spec = Specs.withOptions().toBuilder().tag("team", "security").logRetentionDays(365).externalId("ext-1234")
        .account(Specs.ACCOUNT).bucketName("acme-trail-logs").build();
    assertEquals(spec, ProvisioningSpec.fromJson(spec.toJson()));
  }

  @Test
  void fromJson_builtInVendorByName_loadsProfile() {
    ProvisioningSpec spec = ProvisioningSpec.fromJson("{\"company\":\"acme\",\"app\":\"slack\",\"env\":\"sandbox\",\"region\":\"us-east-1\","
        + "\"vendor\":\"slack\",\"vendorAccounts\":[\"111122223333\"]}");
    assertEquals("slack", spec.vendor().name());
    assertTrue(spec.keyRotation());
    assertFalse(spec.multiRegionKey());
  }

  @Test
  void fromJson_unknownField_rejectedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProvisioningSpec.fromJson(
        "{\"company\":\"acme\",\"app\":\"slack\",\"env\":\"sandbox\",\"region\":\"us-east-1\",\"vendor\":\"slack\","
            + "\"vendorAccounts\":[\"111122223333\"],\"keyRotaton\":false}"));
    assertTrue(e.getMessage().contains("unknown field 'keyRotaton'"), e.getMessage());
  }

  @Test
  void fromJson_badVendorAccount_namesField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProvisioningSpec.fromJson(
        "{\"company\":\"acme\",\"app\":\"slack\",\"env\":\"sandbox\",\"region\":\"us-east-1\",\"vendor\":\"slack\",\"vendorAccounts\":[\"1234\"]}"));
    assertTrue(e.getMessage().contains("vendorAccounts"), e.getMessage());
  }

  @Test
  void toString_externalId_notShown() {
    ProvisioningSpec spec = Specs.base("slack").externalId("very-secret-ish-id").build();
    assertFalse(spec.toString().contains("very-secret-ish-id"), spec.toString());
  }
}
