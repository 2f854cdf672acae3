package dev.byok.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.byok.core.AccessReason;
import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyAccessRevokedException;
import dev.byok.core.KeyArn;
import dev.byok.core.ReasonCode;
import dev.byok.core.keys.KeyState;
import dev.byok.crypto.TenantCrypto;
import dev.byok.core.TenantDirectory;
import dev.byok.testing.fakes.FakeKeyService;
import dev.byok.crypto.fakes.FakeTicker;
import dev.byok.testing.fakes.ManualExecutor;
import dev.byok.crypto.fakes.ManualScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** CryptoMetrics published to a Micrometer registry: cache hits and misses, KMS calls, revocations, key state. */
class MicrometerCryptoMetricsTest {
  private static final AccessReason R = AccessReason.of(ReasonCode.SYSTEM_OPERATION);
  private static final EncryptionContext CTX = EncryptionContext.of("tenant", "acme");

  @Test
  void build_jdkProvider_gaugeTaggedWithTheProvider() {
    FakeKeyService kms = new FakeKeyService();
    String arn = kms.createKey("111122223333", "1234abcd-12ab-34cd-56ef-1234567890ab");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (TenantCrypto crypto = TenantCrypto.builder().keyService(kms)
        .tenants(TenantDirectory.builder().put("acme", KeyArn.parse(arn)).build()).metrics(MicrometerCryptoMetrics.create(registry))
        .cryptoProvider(dev.byok.crypto.CryptoProvider.JDK).build()) {
      assertEquals(1.0, registry.get("byok.crypto.provider").tag("provider", "JDK").gauge().value());
    }
  }

  @Test
  void meterRegistry_countsHitsMissesKmsCallsRevocationsAndState() {
    FakeKeyService kms = new FakeKeyService();
    String arn = kms.createKey("111122223333", "1234abcd-12ab-34cd-56ef-1234567890ab");
    FakeTicker ticker = new FakeTicker();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (TenantCrypto crypto = TenantCrypto.builder().keyService(kms)
        .tenants(TenantDirectory.builder().put("acme", KeyArn.parse(arn)).build()).metrics(MicrometerCryptoMetrics.create(registry))
        .ticker(ticker).executor(new ManualExecutor()).scheduler(new ManualScheduler(ticker)).build()) {
      byte[] m = crypto.encrypt("acme", CTX, R, new byte[10]);
      crypto.encrypt("acme", CTX, R, new byte[10]);
      crypto.decrypt("acme", CTX, R, m);
      assertEquals(1.0, registry.get("byok.cache.requests").tag("side", "encrypt").tag("result", "miss").counter().count());
      assertEquals(1.0, registry.get("byok.cache.requests").tag("side", "encrypt").tag("result", "hit").counter().count());
      assertEquals(1.0, registry.get("byok.cache.requests").tag("side", "decrypt").tag("result", "hit").counter().count());
      assertEquals(1.0, registry.get("byok.kms.calls").tag("operation", "GenerateDataKey").tag("outcome", "success")
          .counter().count());
      assertEquals(0.0, registry.get("byok.key.state").tag("key", arn).gauge().value());

      crypto.keyAccess().revoke(KeyArn.parse(arn), "test");
      assertEquals(2.0, registry.get("byok.key.state").tag("key", arn).gauge().value());
      assertEquals(1.0, registry.get("byok.revocations").tag("scope", "key").counter().count());
      kms.setState(arn, KeyState.ENABLED);
      crypto.keyAccess().checkNow();
      assertEquals(1.0, registry.get("byok.restorations").counter().count());
      assertEquals(0.0, registry.get("byok.key.state").tag("key", arn).gauge().value());

      kms.setState(arn, KeyState.DISABLED);
      crypto.close();
    }
    try (TenantCrypto crypto = TenantCrypto.builder().keyService(kms)
        .tenants(TenantDirectory.builder().put("acme", KeyArn.parse(arn)).build()).metrics(MicrometerCryptoMetrics.create(registry))
        .ticker(ticker).executor(new ManualExecutor()).scheduler(new ManualScheduler(ticker)).build()) {
      assertThrows(KeyAccessRevokedException.class, () -> crypto.encrypt("acme", CTX, R, new byte[1]));
      assertEquals(1.0, registry.get("byok.kms.calls").tag("operation", "GenerateDataKey").tag("outcome", "definitive")
          .counter().count());
    }
  }
}
