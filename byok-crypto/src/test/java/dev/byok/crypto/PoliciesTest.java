package dev.byok.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.byok.core.TenantDirectory;
import dev.byok.testing.fakes.FakeKeyService;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builders of the settings: a second set and a missing value are IllegalStateExceptions naming them. */
class PoliciesTest {

  @Test
  void cachePolicy_settingTwice_rejectedNamingIt() {
    assertEquals("CachePolicy.Builder: maxAge was already set", assertThrows(IllegalStateException.class,
        () -> CachePolicy.builder().maxAge(Duration.ofMinutes(1)).maxAge(Duration.ofMinutes(2))).getMessage());
    assertEquals("CachePolicy.Builder: maxEntries was already set", assertThrows(IllegalStateException.class,
        () -> CachePolicy.builder().maxEntries(5).maxEntries(5)).getMessage());
  }

  @Test
  void cachePolicy_toBuilder_keepsValuesAndAllowsOneChangeEach() {
    CachePolicy p = CachePolicy.builder().maxAge(Duration.ofMinutes(1)).maxMessages(10).build();
    CachePolicy q = p.toBuilder().maxMessages(20).build();
    assertEquals(Duration.ofMinutes(1), q.maxAge());
    assertEquals(20, q.maxMessages());
    assertEquals(CachePolicy.defaults().revalidateAfter(), q.revalidateAfter());
    assertThrows(IllegalStateException.class, () -> p.toBuilder().maxMessages(20).maxMessages(30));
  }

  @Test
  void revocationPolicy_settingTwice_rejectedNamingIt() {
    assertEquals("RevocationPolicy.Builder: checkInterval was already set", assertThrows(IllegalStateException.class,
        () -> RevocationPolicy.builder().checkInterval(Duration.ofSeconds(1)).checkInterval(Duration.ofSeconds(2)))
        .getMessage());
    assertEquals("RevocationPolicy.Builder: outageGrace was already set", assertThrows(IllegalStateException.class,
        () -> RevocationPolicy.builder().outageGrace(Duration.ZERO).outageGrace(Duration.ZERO)).getMessage());
    assertEquals(RevocationPolicy.defaults(), RevocationPolicy.builder().build());
  }

  @Test
  void tenantCrypto_missingOrTwice_namesTheSetting() {
    FakeKeyService kms = new FakeKeyService();
    assertEquals("TenantCrypto: tenants is required",
        assertThrows(IllegalStateException.class, () -> TenantCrypto.builder().keyService(kms).build()).getMessage());
    assertEquals("TenantCrypto: keyService is required", assertThrows(IllegalStateException.class,
        () -> TenantCrypto.builder().tenants(TenantDirectory.builder().build()).build()).getMessage());
    assertEquals("TenantCrypto.Builder: ticker was already set", assertThrows(IllegalStateException.class,
        () -> TenantCrypto.builder().ticker(Ticker.system()).ticker(Ticker.system())).getMessage());
    assertEquals("TenantCrypto.Builder: allowSignedStreamingDecrypt was already set", assertThrows(
        IllegalStateException.class,
        () -> TenantCrypto.builder().allowSignedStreamingDecrypt(false).allowSignedStreamingDecrypt(true)).getMessage());
  }
}
