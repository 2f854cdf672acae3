package dev.byok.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.byok.core.AccessReason;
import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyAccessRevokedException;
import dev.byok.core.KeyArn;
import dev.byok.core.ReasonCode;
import dev.byok.core.TenantDirectory;
import dev.byok.crypto.fakes.FakeTicker;
import dev.byok.crypto.fakes.ManualScheduler;
import dev.byok.testing.fakes.FakeKeyService;
import dev.byok.testing.fakes.ManualExecutor;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 point 5: a probe proves access with the operation that was denied. DescribeKey saying
 * "Enabled" proves nothing about a vendor that the key policy still denies.
 */
class ProbeRepeatsDeniedCallTest {
  private static final AccessReason R = AccessReason.of(ReasonCode.USER_REQUEST);
  private static final EncryptionContext ACME = EncryptionContext.of(Map.of("tenant", "acme", "data-class", "messages"));
  private static final byte[] PLAINTEXT = {1, 2, 3};

  private final FakeTicker ticker = new FakeTicker();
  private final ManualExecutor executor = new ManualExecutor();
  private final ManualScheduler scheduler = new ManualScheduler(ticker);
  private final FakeKeyService kms = new FakeKeyService();
  private KeyArn key;
  private TenantCrypto crypto;

  @BeforeEach
  void setUp() {
    key = KeyArn.parse(kms.createKey("111122223333", "1234abcd-12ab-34cd-56ef-1234567890ab"));
    newCrypto();
  }

  private void newCrypto() {
    if (crypto != null) {
      crypto.close();
    }
    crypto = TenantCrypto.builder().keyService(kms).tenants(TenantDirectory.builder().put("acme", key).build())
        .revocationPolicy(RevocationPolicy.builder().checkInterval(Duration.ofSeconds(5)).build())
        .ticker(ticker).executor(executor).scheduler(scheduler).build();
  }

  @AfterEach
  void tearDown() {
    crypto.close();
  }

  private KeyAccessStatus.State probeOnce() {
    ticker.advance(Duration.ofSeconds(5));
    scheduler.runDue();
    executor.runAll();
    return crypto.keyAccess().status("acme").state();
  }

  @Test
  void probe_wholeKeyDeniedWithEmptyContext_notRestoredByDescribeKeyWhileStillDenied() {
    kms.denyContexts(c -> true); // the policy denies every data-key call; DescribeKey is allowed, the key enabled
    assertThrows(KeyAccessRevokedException.class, () -> crypto.encrypt("acme", EncryptionContext.empty(), R, PLAINTEXT));
    assertEquals(KeyAccessStatus.State.REVOKED, crypto.keyAccess().status("acme").state());
    assertEquals(KeyAccessStatus.State.REVOKED, probeOnce(), "still denied: the repeated GenerateDataKey fails");
    assertEquals(KeyAccessStatus.State.REVOKED, probeOnce());
    kms.denyContexts(c -> false);
    assertEquals(KeyAccessStatus.State.ACTIVE, probeOnce(), "restored once the denied call succeeds");
  }

  @Test
  void probe_scopeRevokedByADeniedDecrypt_repeatsThatDecrypt() {
    byte[] m = crypto.encrypt("acme", ACME, R, PLAINTEXT);
    newCrypto();
    assertArrayEquals(PLAINTEXT, crypto.decrypt("acme", ACME, R, m)); // a Decrypt confirms the context
    kms.denyContexts(c -> "acme".equals(c.get("tenant")));
    ticker.advance(Duration.ofMinutes(2)); // the cached key has expired: the next decrypt calls KMS
    assertThrows(KeyAccessRevokedException.class, () -> crypto.decrypt("acme", ACME, R, m));
    assertEquals(KeyAccessStatus.State.SCOPE_REVOKED, crypto.keyAccess().status("acme").state());
    long generates = kms.generateCalls.get();
    long decrypts = kms.decryptCalls.get();
    assertEquals(KeyAccessStatus.State.SCOPE_REVOKED, probeOnce());
    assertEquals(generates, kms.generateCalls.get(), "the probe made no GenerateDataKey");
    assertEquals(decrypts + 1, kms.decryptCalls.get(), "the probe repeated the denied Decrypt");
    kms.denyContexts(c -> false);
    assertEquals(KeyAccessStatus.State.ACTIVE, probeOnce());
    assertArrayEquals(PLAINTEXT, crypto.decrypt("acme", ACME, R, m));
  }

  @Test
  void probe_pushedRevocation_repeatsAGenerateUnderAKnownContext() {
    crypto.encrypt("acme", ACME, R, PLAINTEXT); // ACME is now a context KMS accepted
    kms.denyContexts(c -> true);
    crypto.keyAccess().revoke(key, "pushed: the vendor was removed from the key policy");
    assertEquals(KeyAccessStatus.State.REVOKED, probeOnce(), "DescribeKey would say Enabled; the Generate is denied");
    kms.denyContexts(c -> false);
    assertEquals(KeyAccessStatus.State.ACTIVE, probeOnce());
  }
}
