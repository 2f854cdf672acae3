package dev.byok.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.AccessReason;
import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyArn;
import dev.byok.core.ReasonCode;
import dev.byok.core.TenantDirectory;
import dev.byok.crypto.internal.format.CryptoProviders;
import dev.byok.testing.fakes.FakeKeyService;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The provider choice. Surefire runs this class twice: with ACCP on the class path
 * ({@code byok.test.accp=present}) and without it ({@code byok.test.accp=absent}, the
 * {@code without-accp} execution, which also runs the format suite), so {@code AUTO} is seen to pick
 * ACCP when it can and to fall back to the JDK when it cannot.
 */
class ProviderChoiceTest {
  private static final AccessReason USER = AccessReason.of(ReasonCode.USER_REQUEST, "read", "user:1");
  private static final EncryptionContext CONTEXT = EncryptionContext.of("tenant", "acme");
  private static final String KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  private static String expected() {
    String v = System.getProperty("byok.test.accp");
    Assumptions.assumeTrue(v != null, "byok.test.accp is not set (Surefire sets it to present or absent); run through Maven");
    return v;
  }

  @Test
  void resolve_auto_isAccpExactlyWhenOnTheClassPath() {
    boolean present = "present".equals(expected());
    assertEquals(present, CryptoProviders.accpAvailable(), "ACCP availability, byok.test.accp=" + expected());
    assertEquals(present ? CryptoProvider.ACCP : CryptoProvider.JDK, CryptoProviders.resolve(CryptoProvider.AUTO));
    assertEquals(CryptoProvider.JDK, CryptoProviders.resolve(CryptoProvider.JDK));
    assertTrue(CryptoProvider.AUTO.describeResolved().startsWith(present ? "ACCP 2." : "JDK ("),
        CryptoProvider.AUTO.describeResolved());
  }

  @Test
  void build_accpAbsent_failsNamingTheArtifact() {
    Assumptions.assumeTrue("absent".equals(expected()), "ACCP is on the class path in this run");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> builder(new FakeKeyService())
        .cryptoProvider(CryptoProvider.ACCP).build());
    assertTrue(e.getMessage().contains("software.amazon.cryptools:AmazonCorrettoCryptoProvider"), e.getMessage());
  }

  @Test
  void build_eachProvider_reportsItToMetricsAndReadsTheOthersMessages() {
    boolean present = "present".equals(expected());
    FakeKeyService kms = new FakeKeyService();
    assertEquals(KEY, kms.createKey("111122223333", "1234abcd-12ab-34cd-56ef-1234567890ab"));
    List<CryptoProvider> reported = new ArrayList<>();
    CryptoMetrics metrics = new CryptoMetrics() {
      @Override public void cacheHit(Side side) {}
      @Override public void cacheMiss(Side side) {}
      @Override public void keyServiceCall(String operation, String outcome) {}
      @Override public void revoked(KeyArn keyArn, boolean scoped) {}
      @Override public void restored(KeyArn keyArn) {}
      @Override public <T> void keyState(KeyArn keyArn, T holder, java.util.function.ToDoubleFunction<T> state) {}
      @Override public void contextSpread(KeyArn keyArn, int distinctContexts) {}
      @Override public void cryptoProvider(CryptoProvider resolved) {
        reported.add(resolved);
      }
    };
    byte[] plaintext = "same bytes either way".getBytes(StandardCharsets.UTF_8);
    List<byte[]> messages = new ArrayList<>();
    List<TenantCrypto> all = new ArrayList<>();
    for (CryptoProvider p : present ? List.of(CryptoProvider.JDK, CryptoProvider.ACCP) : List.of(CryptoProvider.JDK, CryptoProvider.AUTO)) {
      for (AlgorithmSuite suite : AlgorithmSuite.values()) {
        TenantCrypto c = builder(kms).cryptoProvider(p).metrics(metrics).algorithmSuite(suite).build();
        all.add(c);
        messages.add(c.encrypt("acme", CONTEXT, USER, plaintext));
      }
    }
    assertEquals(present ? List.of(CryptoProvider.JDK, CryptoProvider.JDK, CryptoProvider.ACCP, CryptoProvider.ACCP)
        : List.of(CryptoProvider.JDK, CryptoProvider.JDK, CryptoProvider.JDK, CryptoProvider.JDK), reported);
    for (TenantCrypto reader : all) {
      for (byte[] m : messages) {
        assertArrayEquals(plaintext, reader.decrypt("acme", CONTEXT, USER, m));
      }
    }
    all.forEach(TenantCrypto::close);
  }

  @Test
  void builder_cryptoProviderTwice_fails() {
    TenantCrypto.Builder b = builder(new FakeKeyService()).cryptoProvider(CryptoProvider.JDK);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.cryptoProvider(CryptoProvider.AUTO));
    assertTrue(e.getMessage().contains("cryptoProvider"), e.getMessage());
    assertFalse(e.getMessage().isEmpty());
  }

  private static TenantCrypto.Builder builder(FakeKeyService kms) {
    return TenantCrypto.builder().keyService(kms).tenants(TenantDirectory.builder().put("acme", KeyArn.parse(KEY)).build());
  }
}
