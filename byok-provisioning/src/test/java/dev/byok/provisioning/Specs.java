package dev.byok.provisioning;

import dev.byok.core.AwsAccountId;

/** Specs shared by the unit tests. */
final class Specs {
  static final AwsAccountId ACCOUNT = AwsAccountId.of("123456789012");
  static final String VENDOR_ACCOUNT = "111122223333";
  static final String EXTERNAL_ID = "test-external-id-0001";

  private Specs() {}

  /** A builder holding a complete spec for {@code vendor}, each of whose values a test may change once (toBuilder). */
  static ProvisioningSpec.Builder base(String vendor) {
    return ProvisioningSpec.builder().company("acme").app(vendor.equals("generic") ? "crm" : vendor).env("sandbox").region("us-east-1")
        .vendor(VendorProfile.builtIn(vendor)).addVendorAccount(AwsAccountId.of(VENDOR_ACCOUNT)).build().toBuilder();
  }

  static ProvisioningSpec slack() {
    return base("slack").build();
  }

  /** Every option that changes a document: a second vendor account, administrators without deletion, context conditions. */
  static ProvisioningSpec withOptions() {
    return base("slack").addVendorAccount(AwsAccountId.of("444455556666"))
        .addKeyAdministrator("arn:aws:iam::123456789012:role/KeyAdmins").administratorsMayDeleteKey(false)
        .encryptionContextCondition("tenant", "T0001").encryptionContextCondition("byok:purpose", "messages")
        .build();
  }
}
