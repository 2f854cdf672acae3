package dev.byok.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.AccessReason;
import dev.byok.core.ByokException;
import dev.byok.core.EncryptionContext;
import dev.byok.core.InvalidCiphertextException;
import dev.byok.core.KeyAccessRevokedException;
import dev.byok.core.KeyArn;
import dev.byok.core.ReasonCode;
import dev.byok.core.TenantDirectory;
import dev.byok.core.audit.KeyUseEvent;
import dev.byok.core.internal.ContextWireFormat;
import dev.byok.crypto.fakes.FakeTicker;
import dev.byok.crypto.fakes.ManualScheduler;
import dev.byok.testing.fakes.CollectingSink;
import dev.byok.testing.fakes.FakeKeyService;
import dev.byok.testing.fakes.ManualExecutor;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 point 2: a message alone never changes access state. The customer's key policy lets the
 * vendor use the key only with {@code tenant=acme} (as provisioning's {@code --encryption-context}
 * does). Crafted messages copy a legitimate encrypted data key under another header context: KMS
 * denies their Decrypt. That fails the call only: no revocation, no scope, no probe (no DescribeKey),
 * and acme's own traffic is untouched. A denial for a context the library chose or had confirmed
 * still revokes.
 */
class MessageCannotRevokeTest {
  private static final AccessReason R = AccessReason.of(ReasonCode.USER_REQUEST);
  private static final EncryptionContext ACME = EncryptionContext.of(Map.of("tenant", "acme", "data-class", "messages"));
  private static final byte[] PLAINTEXT = {1, 2, 3, 4};

  private final FakeTicker ticker = new FakeTicker();
  private final ManualExecutor executor = new ManualExecutor();
  private final ManualScheduler scheduler = new ManualScheduler(ticker);
  private final CollectingSink audit = new CollectingSink();
  private final FakeKeyService kms = new FakeKeyService();
  private KeyArn key;
  private TenantCrypto crypto;

  @BeforeEach
  void setUp() {
    key = KeyArn.parse(kms.createKey("111122223333", "1234abcd-12ab-34cd-56ef-1234567890ab"));
    kms.denyContexts(c -> !"acme".equals(c.get("tenant"))); // the policy's condition on tenant=acme
    newCrypto();
  }

  /** A fresh TenantCrypto on the same key service: nothing cached, nothing confirmed. */
  private void newCrypto() {
    if (crypto != null) {
      crypto.close();
    }
    crypto = TenantCrypto.builder().keyService(kms).tenants(TenantDirectory.builder().put("acme", key).build())
        .revocationPolicy(RevocationPolicy.builder().checkInterval(Duration.ofSeconds(5)).build())
        .auditSink(audit).ticker(ticker).executor(executor).scheduler(scheduler).build();
  }

  @AfterEach
  void tearDown() {
    crypto.close();
  }

  /** {@code message} with its header context replaced by {@code context} (data key and body kept). */
  private static byte[] withContext(byte[] message, EncryptionContext context) {
    int aadLengthAt = 3 + 32;
    int aadLength = ((message[aadLengthAt] & 0xFF) << 8) | (message[aadLengthAt + 1] & 0xFF);
    byte[] aad = ContextWireFormat.serialize(context);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(message, 0, aadLengthAt);
    out.write(aad.length >> 8);
    out.write(aad.length & 0xFF);
    out.write(aad, 0, aad.length);
    int rest = aadLengthAt + 2 + aadLength;
    out.write(message, rest, message.length - rest);
    return out.toByteArray();
  }

  private void assertNoStateChange() {
    assertEquals(KeyAccessStatus.State.ACTIVE, crypto.keyAccess().status("acme").state(), "no revocation, no scope");
    assertEquals(0, kms.describeCalls.get(), "no probe of the key");
    assertEquals(0, scheduler.pending(), "no probe scheduled");
    assertTrue(audit.events().stream().noneMatch(e -> e.operation() == KeyUseEvent.Operation.REVOKED
        || e.operation() == KeyUseEvent.Operation.PROBE), "no REVOKED or PROBE event");
  }

  @Test
  void decrypt_copiedDataKeyUnderNarrowerContext_failsThatCallOnly() {
    byte[] legit = crypto.encrypt("acme", ACME, R, PLAINTEXT);
    newCrypto(); // a fresh instance: the legitimate data key is not cached
    byte[] crafted = withContext(legit, EncryptionContext.of("tenant", "mallory"));
    ByokException e = assertThrows(ByokException.class, () -> crypto.decrypt("acme", EncryptionContext.empty(), R, crafted));
    assertTrue(e instanceof KeyAccessRevokedException || e instanceof InvalidCiphertextException, e.toString());
    assertNoStateChange();
    assertArrayEquals(PLAINTEXT, crypto.decrypt("acme", ACME, R, legit), "acme's own messages still decrypt");
    crypto.encrypt("acme", ACME, R, PLAINTEXT);
  }

  @Test
  void decrypt_emptyHeaderContext_failsThatCallOnly_everyTime() {
    byte[] legit = crypto.encrypt("acme", ACME, R, PLAINTEXT);
    byte[] crafted = withContext(legit, EncryptionContext.empty());
    for (int i = 0; i < 3; i++) {
      assertThrows(ByokException.class, () -> crypto.decrypt("acme", EncryptionContext.empty(), R, crafted));
      ticker.advance(Duration.ofSeconds(5));
      scheduler.runDue();
      executor.runAll();
    }
    assertNoStateChange();
    assertArrayEquals(PLAINTEXT, crypto.decrypt("acme", ACME, R, legit));
    assertArrayEquals(PLAINTEXT, crypto.decrypt("acme", ACME, R, crypto.encrypt("acme", ACME, R, PLAINTEXT)));
  }

  @Test
  void decrypt_manyDistinctCraftedContexts_noScopesPileUp() {
    byte[] legit = crypto.encrypt("acme", ACME, R, PLAINTEXT);
    for (int i = 0; i < 50; i++) {
      byte[] crafted = withContext(legit, EncryptionContext.of("tenant", "t" + i));
      assertThrows(ByokException.class, () -> crypto.decrypt("acme", EncryptionContext.empty(), R, crafted));
    }
    assertNoStateChange();
    assertTrue(crypto.keyAccess().status("acme").revokedScopes().isEmpty());
  }

  @Test
  void encrypt_deniedForTheContextTheApplicationChose_stillRevokesThatScope() {
    KeyAccessRevokedException e = assertThrows(KeyAccessRevokedException.class,
        () -> crypto.encrypt("acme", EncryptionContext.of("tenant", "globex"), R, PLAINTEXT));
    assertEquals("tenant=globex", e.scope().orElseThrow());
    assertEquals(KeyAccessStatus.State.SCOPE_REVOKED, crypto.keyAccess().status("acme").state());
  }

  @Test
  void decrypt_deniedForAConfirmedContext_revokesAsBefore() {
    byte[] legit = crypto.encrypt("acme", ACME, R, PLAINTEXT);
    assertArrayEquals(PLAINTEXT, crypto.decrypt("acme", ACME, R, legit));
    newCrypto();
    assertArrayEquals(PLAINTEXT, crypto.decrypt("acme", ACME, R, legit), "Decrypt succeeded: the context is confirmed");
    kms.denyAll(true); // the customer removes the vendor from the policy
    ticker.advance(Duration.ofMinutes(2)); // past revalidateAfter: the next use goes to KMS
    assertThrows(KeyAccessRevokedException.class, () -> crypto.decrypt("acme", ACME, R, legit));
    assertEquals(KeyAccessStatus.State.REVOKED, crypto.keyAccess().status("acme").state());
  }
}
