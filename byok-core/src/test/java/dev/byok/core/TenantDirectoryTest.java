package dev.byok.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The immutable tenant directory and its builder; the tenant key value. */
class TenantDirectoryTest {
  private static final KeyArn ACME = KeyArn.parse("arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
  private static final KeyArn GLOBEX = KeyArn.parse("arn:aws:kms:us-east-1:444455556666:key/abcd1234-12ab-34cd-56ef-1234567890ab");

  private static HandoffBundle bundle() {
    return HandoffBundle.builder().keyArn(ACME).region("eu-west-1")
        .roleArn("arn:aws:iam::111122223333:role/slack-prod-kms-logging").logGroupName("ACME_SLACK_PROD_LOG_GROUP")
        .externalId("ext-8f14e45fceea167a5a36dedd4bea2543").vendor("slack").build();
  }

  @Test
  void find_knownAndUnknownTenants() {
    TenantDirectory dir = TenantDirectory.builder().put("acme", bundle()).put("globex", GLOBEX).build();
    TenantKey acme = dir.find("acme").orElseThrow();
    assertEquals(ACME, acme.keyArn());
    assertEquals("eu-west-1", acme.region());
    assertEquals(Optional.of(bundle()), acme.bundle());
    assertEquals(GLOBEX, dir.find("globex").orElseThrow().keyArn());
    assertTrue(dir.find("globex").orElseThrow().bundle().isEmpty());
    assertEquals(Optional.empty(), dir.find("initech"));
    assertThrows(NullPointerException.class, () -> dir.find(null));
  }

  @Test
  void find_sameOptionalEachTime_noAllocationOnTheHotPath() {
    TenantDirectory dir = TenantDirectory.builder().put("acme", ACME).build();
    assertSame(dir.find("acme"), dir.find("acme"));
  }

  @Test
  void builder_tenantAddedTwice_rejectedNamingIt() {
    TenantDirectory.Builder b = TenantDirectory.builder().put("acme", ACME);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.put("acme", GLOBEX));
    assertEquals("tenant directory: tenant 'acme' added twice", e.getMessage());
    assertThrows(IllegalStateException.class, () -> b.put("acme", bundle()));
  }

  @Test
  void builder_badTenant_rejectedNamingTheRule() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TenantDirectory.builder().put("", ACME))
        .getMessage().startsWith("tenant: must be 1 to 256 characters"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TenantDirectory.builder().put("a\nb", ACME))
        .getMessage().contains("control characters"));
  }

  @Test
  void builder_isNotChangedByLaterPuts() {
    TenantDirectory.Builder b = TenantDirectory.builder().put("acme", ACME);
    TenantDirectory first = b.build();
    b.put("globex", GLOBEX);
    assertFalse(first.find("globex").isPresent());
    assertTrue(b.build().find("globex").isPresent());
  }

  @Test
  void fromBundleDirectory_oneTenantPerJsonFile(@TempDir Path dir) throws Exception {
    bundle().write(dir.resolve("acme.json"));
    Files.writeString(dir.resolve("notes.txt"), "not a bundle");
    TenantDirectory d = TenantDirectory.fromBundleDirectory(dir);
    assertEquals(ACME, d.find("acme").orElseThrow().keyArn());
    assertFalse(d.find("notes").isPresent());
    assertEquals(bundle(), TenantDirectory.of(Map.of("acme", bundle())).find("acme").orElseThrow().bundle().orElseThrow());
  }

  @Test
  void tenantKey_equalsAndToString() {
    assertEquals(TenantKey.of("acme", ACME), TenantKey.of("acme", ACME));
    assertFalse(TenantKey.of("acme", ACME).equals(TenantKey.of("acme", GLOBEX)));
    assertEquals("TenantKey{tenant=acme, keyArn=" + ACME + "}", TenantKey.of("acme", ACME).toString());
    assertEquals("TenantKey{tenant=acme, keyArn=" + ACME + ", vendor=slack}", TenantKey.of("acme", bundle()).toString());
  }
}
