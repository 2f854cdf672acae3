package dev.byok.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 point 5: the tenant directory refuses set-ups that let one customer reach another: two
 * tenants on one key (unless declared one customer's), two bundles of different keys on one log
 * role and external ID, an alias ARN; it names a key and log role in different accounts (a warning);
 * and it can check vendor-assigned external IDs.
 */
class TenantDirectoryIsolationTest {
  private static final KeyArn ACME = KeyArn.parse("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
  private static final KeyArn ACME_2 = KeyArn.parse("arn:aws:kms:us-east-1:111122223333:key/5678abcd-12ab-34cd-56ef-1234567890ab");
  private static final KeyArn GLOBEX = KeyArn.parse("arn:aws:kms:us-east-1:444455556666:key/abcd1234-12ab-34cd-56ef-1234567890ab");

  private static HandoffBundle bundle(KeyArn key, String roleAccount, String role, String externalId) {
    return HandoffBundle.builder().keyArn(key).region(key.region())
        .roleArn("arn:aws:iam::" + roleAccount + ":role/" + role).logGroupName("LOG_GROUP_" + role)
        .externalId(externalId).vendor("slack").build();
  }

  @Test
  void build_twoTenantsOnOneKey_refusedNamingBoth() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> TenantDirectory.builder().put("acme", ACME).put("initech", ACME).build());
    assertTrue(e.getMessage().contains("'acme' and 'initech' both use key " + ACME), e.getMessage());
    assertTrue(e.getMessage().contains("allowSharedKeys()"), e.getMessage());
  }

  @Test
  void build_twoTenantsOnOneKeyDeclaredOneCustomers_allowed() {
    TenantDirectory d = TenantDirectory.builder().allowSharedKeys().put("acme-eng", ACME).put("acme-sales", ACME).build();
    assertEquals(Set.of("acme-eng", "acme-sales"), d.tenantsOf(ACME));
  }

  @Test
  void of_twoBundlesOnOneKey_refused() {
    assertThrows(IllegalStateException.class, () -> TenantDirectory.of(Map.of(
        "acme", bundle(ACME, "111122223333", "acme-logging", "ext-acme-0001"),
        "initech", bundle(ACME, "111122223333", "initech-logging", "ext-initech-0001"))));
  }

  @Test
  void build_sameRoleAndExternalIdForDifferentKeys_refused() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> TenantDirectory.builder()
        .put("acme", bundle(ACME, "111122223333", "shared-logging", "ext-0001"))
        .put("initech", bundle(ACME_2, "111122223333", "shared-logging", "ext-0001")).build());
    assertTrue(e.getMessage().contains("same log role"), e.getMessage());
  }

  @Test
  void accountMismatch_keyAndLogRoleInDifferentAccounts_named() {
    TenantKey k = TenantKey.of("acme", bundle(ACME, "444455556666", "acme-logging", "ext-0001"));
    String why = k.accountMismatch().orElseThrow();
    assertTrue(why.contains("is in account 111122223333 but its log role"), why);
    assertTrue(TenantKey.of("acme", bundle(ACME, "111122223333", "acme-logging", "ext-0001")).accountMismatch().isEmpty());
    assertTrue(TenantKey.of("acme", ACME).accountMismatch().isEmpty(), "no bundle, no role");
    // Logged at WARN, not refused: a customer may keep its logs in a log-archive account.
    assertEquals(ACME, TenantDirectory.builder().put("acme", bundle(ACME, "444455556666", "acme-logging", "ext-0001")).build()
        .find("acme").orElseThrow().keyArn());
  }

  @Test
  void put_aliasArn_refusedWithTheReason() {
    KeyArn alias = KeyArn.parse("arn:aws:kms:us-east-1:111122223333:alias/acme");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TenantDirectory.builder().put("acme", alias));
    assertTrue(e.getMessage().contains("is an alias ARN; give the key ARN"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TenantKey.of("acme", alias));
  }

  @Test
  void build_vendorAssignedExternalIds_checked() {
    HandoffBundle acme = bundle(ACME, "111122223333", "acme-logging", "vendor-assigned-acme-7f3a");
    TenantDirectory ok = TenantDirectory.builder().vendorExternalIds(Map.of("acme", "vendor-assigned-acme-7f3a"))
        .put("acme", acme).put("globex", GLOBEX).build();
    assertEquals(ACME, ok.find("acme").orElseThrow().keyArn());
    IllegalStateException other = assertThrows(IllegalStateException.class, () -> TenantDirectory.builder()
        .vendorExternalIds(Map.of("acme", "vendor-assigned-acme-0000")).put("acme", acme).build());
    assertTrue(other.getMessage().contains("other than the one the vendor assigned"), other.getMessage());
    assertThrows(IllegalStateException.class, () -> TenantDirectory.builder().vendorExternalIds(Map.of()).put("acme", acme).build(),
        "a bundle tenant without an assigned ID");
  }
}
