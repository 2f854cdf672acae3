package dev.byok.crypto;

import dev.byok.core.TenantDirectory;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.AccessReason;
import dev.byok.core.AwsAccountId;
import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyAccessRevokedException;
import dev.byok.core.KeyArn;
import dev.byok.core.ReasonCode;
import dev.byok.core.audit.KeyUseEvent;
import dev.byok.local.LocalKeyCall;
import dev.byok.local.LocalKeyService;
import dev.byok.testing.fakes.CollectingSink;
import dev.byok.crypto.fakes.FakeTicker;
import dev.byok.testing.fakes.ManualExecutor;
import dev.byok.crypto.fakes.ManualScheduler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Policy-based and scoped revocation on the embedded {@link LocalKeyService}, which (unlike the
 * emulators) evaluates an access list and Deny-by-context rules: the customer removes the vendor's
 * account, or denies the scope {@code tenant=acme}. Fake ticker and manual scheduler; no sleeps.
 */
class LocalKeyServiceRevocationTest {
  private static final AwsAccountId VENDOR = AwsAccountId.of("444455556666");
  private static final AccessReason R = AccessReason.of(ReasonCode.USER_REQUEST);
  private static final EncryptionContext ACME_MESSAGES = EncryptionContext.of(Map.of("tenant", "acme", "data-class", "messages"));
  private static final EncryptionContext ACME_FILES = EncryptionContext.of(Map.of("tenant", "acme", "data-class", "files"));
  private static final EncryptionContext GLOBEX = EncryptionContext.of(Map.of("tenant", "globex", "data-class", "messages"));
  private static final byte[] PLAINTEXT = {1, 2, 3, 4};

  private final FakeTicker ticker = new FakeTicker();
  private final ManualExecutor executor = new ManualExecutor();
  private final ManualScheduler scheduler = new ManualScheduler(ticker);
  private final CollectingSink audit = new CollectingSink();
  private LocalKeyService local;
  private KeyArn key;
  private TenantCrypto crypto;

  @BeforeEach
  void setUp() {
    local = LocalKeyService.builder().build();
    key = local.createKey("shared key of acme and globex");
    local.allowAccount(key.toString(), VENDOR);
    crypto = TenantCrypto.builder().keyService(local.clientFor(VENDOR))
        .tenants(TenantDirectory.builder().allowSharedKeys().put("acme", key).put("globex", key).build())
        .cachePolicy(CachePolicy.builder().revalidateAfter(Duration.ofSeconds(60)).build())
        .revocationPolicy(RevocationPolicy.builder().checkInterval(Duration.ofSeconds(5)).build())
        .auditSink(audit).ticker(ticker).executor(executor).scheduler(scheduler).build();
  }

  @AfterEach
  void tearDown() {
    crypto.close();
  }

  @Test
  void vendorAccountRemoved_cachedKeysStopWithinRevalidateAfter_thenWholeKeyRevoked() {
    byte[] m = crypto.encrypt("acme", ACME_MESSAGES, R, PLAINTEXT);
    local.removeAccount(key.toString(), VENDOR);
    ticker.advance(Duration.ofSeconds(48));
    assertArrayEquals(PLAINTEXT, crypto.decrypt("acme", ACME_MESSAGES, R, m), "cached, within the invariant");
    executor.runAll(); // the refresh meets AccessDenied; DescribeKey is denied too: the whole key
    KeyAccessStatus s = crypto.keyAccess().status("acme");
    assertEquals(KeyAccessStatus.State.REVOKED, s.state());
    assertTrue(s.reason().orElseThrow().startsWith("AccessDeniedException"), s.toString());
    assertThrows(KeyAccessRevokedException.class, () -> crypto.decrypt("acme", ACME_MESSAGES, R, m));
    assertThrows(KeyAccessRevokedException.class, () -> crypto.encrypt("globex", GLOBEX, R, PLAINTEXT));

    ticker.advance(Duration.ofSeconds(5));
    scheduler.runDue();
    assertEquals(KeyAccessStatus.State.REVOKED, crypto.keyAccess().status("acme").state());
    local.allowAccount(key.toString(), VENDOR);
    ticker.advance(Duration.ofSeconds(5));
    scheduler.runDue();
    assertEquals(KeyAccessStatus.State.ACTIVE, crypto.keyAccess().status("acme").state());
    assertArrayEquals(PLAINTEXT, crypto.decrypt("acme", ACME_MESSAGES, R, m));
  }

  @Test
  void denyOnTenantAcme_revokesAcmeScopesOnly_globexKeepsWorking() {
    byte[] files = crypto.encrypt("acme", ACME_FILES, R, PLAINTEXT);
    byte[] globex = crypto.encrypt("globex", GLOBEX, R, PLAINTEXT);
    local.addDenyRule(key.toString(), "tenant", "acme");

    // A new acme scope meets the rule at once.
    KeyAccessRevokedException e = assertThrows(KeyAccessRevokedException.class,
        () -> crypto.encrypt("acme", ACME_MESSAGES, R, PLAINTEXT));
    assertEquals("data-class=messages,tenant=acme", e.scope().orElseThrow());
    // A cached acme scope stops at its revalidation, within revalidateAfter.
    ticker.advance(Duration.ofSeconds(48));
    assertArrayEquals(PLAINTEXT, crypto.decrypt("acme", ACME_FILES, R, files));
    assertArrayEquals(PLAINTEXT, crypto.decrypt("globex", GLOBEX, R, globex));
    executor.runAll();
    assertThrows(KeyAccessRevokedException.class, () -> crypto.decrypt("acme", ACME_FILES, R, files));
    // Globex, under the same key, is untouched.
    assertArrayEquals(PLAINTEXT, crypto.decrypt("globex", GLOBEX, R, globex));
    assertArrayEquals(PLAINTEXT, crypto.decrypt("globex", GLOBEX, R, crypto.encrypt("globex", GLOBEX, R, PLAINTEXT)));
    KeyAccessStatus s = crypto.keyAccess().status("acme");
    assertEquals(KeyAccessStatus.State.SCOPE_REVOKED, s.state());
    assertEquals(List.of(ACME_FILES, ACME_MESSAGES).size(), s.revokedScopes().size());
    assertEquals(2, audit.of(KeyUseEvent.Operation.REVOKED).size());

    local.removeDenyRule(key.toString(), "tenant", "acme");
    ticker.advance(Duration.ofSeconds(5));
    scheduler.runDue();
    assertEquals(KeyAccessStatus.State.ACTIVE, crypto.keyAccess().status("acme").state());
    assertArrayEquals(PLAINTEXT, crypto.decrypt("acme", ACME_FILES, R, files));
  }

  @Test
  void everyKmsCall_carriesTheWholeContext_inTheCustomersLog() {
    crypto.encrypt("acme", ACME_MESSAGES, R, PLAINTEXT);
    List<LocalKeyCall> calls = local.callLog();
    assertEquals(1, calls.size());
    assertEquals(ACME_MESSAGES, calls.get(0).encryptionContext());
  }
}
