package dev.byok.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The tenant directory's look-up by key, which pushed key events use. */
class TenantDirectoryKeyIndexTest {
  private static final KeyArn SHARED = KeyArn.parse("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
  private static final KeyArn OWN = KeyArn.parse("arn:aws:kms:us-east-1:444455556666:key/0987dcba-09fe-87dc-65ba-ab0987654321");

  @Test
  void tenantsOf_keyUsedByTwoTenants_namesBoth() {
    TenantDirectory d = TenantDirectory.builder().allowSharedKeys().put("acme-eng", SHARED).put("acme-sales", SHARED).put("globex", OWN).build();
    assertEquals(Set.of("acme-eng", "acme-sales"), d.tenantsOf(SHARED));
    assertEquals(Set.of("globex"), d.tenantsOf(OWN));
  }

  @Test
  void tenantsOf_unknownKey_empty() {
    TenantDirectory d = TenantDirectory.builder().put("acme", SHARED).build();
    assertTrue(d.tenantsOf(OWN).isEmpty());
    KeyArn sameIdOtherAccount = KeyArn.parse("arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    assertTrue(d.tenantsOf(sameIdOtherAccount).isEmpty(), "the whole ARN must match, not the key ID");
  }

  @Test
  void tenantsOf_resultIsImmutable() {
    TenantDirectory d = TenantDirectory.builder().put("acme", SHARED).build();
    assertThrows(UnsupportedOperationException.class, () -> d.tenantsOf(SHARED).add("intruder"));
    assertEquals(Set.of("acme"), d.tenantsOf(SHARED));
  }

  @Test
  void tenantsOf_ownImplementationWithoutIt_refusesNamingTheClass() {
    TenantDirectory custom = tenant -> Optional.empty();
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> custom.tenantsOf(SHARED));
    assertTrue(e.getMessage().contains("implement tenantsOf(KeyArn)"), e.getMessage());
  }
}
