package dev.byok.crypto;

import dev.byok.core.TenantDirectory;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.AccessReason;
import dev.byok.core.EncryptionContext;
import dev.byok.core.InvalidCiphertextException;
import dev.byok.core.KeyAccessRevokedException;
import dev.byok.core.KeyArn;
import dev.byok.core.KeyServiceUnavailableException;
import dev.byok.core.ReasonCode;
import dev.byok.core.audit.KeyUseEvent;
import dev.byok.core.keys.KeyState;
import dev.byok.testing.fakes.CollectingSink;
import dev.byok.testing.fakes.FakeKeyService;
import dev.byok.crypto.fakes.FakeTicker;
import dev.byok.testing.fakes.ManualExecutor;
import dev.byok.crypto.fakes.ManualScheduler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The entry point end to end on a fault-injecting key service, a fake ticker, a manual executor and
 * scheduler: round trips, context checks, audit events, every error class, revocation, probing,
 * restoration, scoped revocation, revalidation, outages. No sleeps.
 */
class TenantCryptoTest {
  private static final AccessReason USER = AccessReason.of(ReasonCode.USER_REQUEST, "open message", "user:42");
  private static final EncryptionContext ACME = EncryptionContext.of(Map.of("tenant", "acme", "data-class", "messages"));
  private static final EncryptionContext ACME_FILES = EncryptionContext.of(Map.of("tenant", "acme", "data-class", "files"));
  private static final byte[] PLAINTEXT = "hello, customer-managed world".getBytes(StandardCharsets.UTF_8);

  private final FakeTicker ticker = new FakeTicker();
  private final ManualExecutor executor = new ManualExecutor();
  private final ManualScheduler scheduler = new ManualScheduler(ticker);
  private final FakeKeyService kms = new FakeKeyService();
  private final CollectingSink audit = new CollectingSink();
  private final String acmeKey = kms.createKey("111122223333", "1234abcd-12ab-34cd-56ef-1234567890ab");
  private final String globexKey = kms.createKey("444455556666", "abcd1234-12ab-34cd-56ef-1234567890ab");
  private TenantCrypto crypto;

  private TenantCrypto crypto(CachePolicy cache, RevocationPolicy revocation) {
    crypto = TenantCrypto.builder().keyService(kms)
        .tenants(TenantDirectory.builder().put("acme", KeyArn.parse(acmeKey)).put("globex", KeyArn.parse(globexKey)).build())
        .cachePolicy(cache).revocationPolicy(revocation).auditSink(audit).ticker(ticker)
        .clock(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC))
        .executor(executor).scheduler(scheduler).build();
    return crypto;
  }

  private TenantCrypto crypto() {
    return crypto(CachePolicy.defaults(), RevocationPolicy.builder().checkInterval(Duration.ofSeconds(10)).build());
  }

  @AfterEach
  void close() {
    if (crypto != null) {
      crypto.close();
    }
  }

  @Test
  void encryptDecrypt_roundTrip_oneKmsCallThenCache() {
    crypto();
    byte[] m1 = crypto.encrypt("acme", ACME, USER, PLAINTEXT);
    byte[] m2 = crypto.encrypt("acme", ACME, USER, PLAINTEXT);
    assertArrayEquals(PLAINTEXT, crypto.decrypt("acme", ACME, USER, m1));
    assertArrayEquals(PLAINTEXT, crypto.decrypt("acme", EncryptionContext.empty(), USER, m2));
    assertEquals(1, kms.generateCalls.get());
    assertEquals(0, kms.decryptCalls.get(), "messages of a cached key decrypt with its twin, no KMS call");
    assertFalse(Arrays.equals(m1, m2), "each message has its own message ID");
  }

  @Test
  void encryptDecrypt_signedSuite_roundTrip() {
    crypto = TenantCrypto.builder().keyService(kms).tenants(TenantDirectory.builder().put("acme", KeyArn.parse(acmeKey)).build())
        .ticker(ticker).executor(executor).scheduler(scheduler)
        .algorithmSuite(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384).build();
    byte[] m = crypto.encrypt("acme", ACME, USER, PLAINTEXT);
    assertEquals(0x05, m[1]);
    assertEquals(0x78, m[2]);
    assertArrayEquals(PLAINTEXT, crypto.decrypt("acme", ACME, USER, m));
  }

  @Test
  void decryptingStream_signedMessage_refusedUnlessOptedIn() throws Exception {
    TenantDirectory dir = TenantDirectory.builder().put("acme", KeyArn.parse(acmeKey)).build();
    crypto = TenantCrypto.builder().keyService(kms).tenants(dir).ticker(ticker).executor(executor).scheduler(scheduler)
        .algorithmSuite(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384).build();
    byte[] m = crypto.encrypt("acme", ACME, USER, PLAINTEXT);
    try (java.io.InputStream in = crypto.decryptingStream("acme", ACME, USER, new java.io.ByteArrayInputStream(m))) {
      assertThrows(InvalidCiphertextException.class, in::readAllBytes, "signed streaming is off by default");
    }
    crypto.close();

    crypto = TenantCrypto.builder().keyService(kms).tenants(dir).ticker(ticker).executor(executor).scheduler(scheduler)
        .allowSignedStreamingDecrypt(true).build();
    try (java.io.InputStream in = crypto.decryptingStream("acme", ACME, USER, new java.io.ByteArrayInputStream(m))) {
      assertArrayEquals(PLAINTEXT, in.readAllBytes());
    }
    byte[] badSignature = m.clone();
    badSignature[badSignature.length - 1] ^= 1;
    try (java.io.InputStream in = crypto.decryptingStream("acme", ACME, USER,
        new java.io.ByteArrayInputStream(badSignature))) {
      assertThrows(InvalidCiphertextException.class, in::readAllBytes, "the signature is still checked at the end");
    }
  }

  @Test
  void decrypt_coldCache_callsKmsOnceWithKeyArnAndContext() {
    crypto();
    byte[] m = crypto.encrypt("acme", ACME, USER, PLAINTEXT);
    crypto.close();
    crypto(); // a fresh instance: nothing cached
    assertArrayEquals(PLAINTEXT, crypto.decrypt("acme", ACME, USER, m));
    assertArrayEquals(PLAINTEXT, crypto.decrypt("acme", ACME, USER, m));
    assertEquals(1, kms.decryptCalls.get());
  }

  @Test
  void decrypt_requiredContextMismatch_invalidCiphertextWithoutKms() {
    crypto();
    byte[] m = crypto.encrypt("acme", ACME, USER, PLAINTEXT);
    crypto.close();
    crypto();
    assertThrows(InvalidCiphertextException.class,
        () -> crypto.decrypt("acme", EncryptionContext.of("data-class", "files"), USER, m));
    assertEquals(0, kms.decryptCalls.get());
    KeyUseEvent e = audit.last();
    assertEquals(KeyUseEvent.Operation.DECRYPT, e.operation());
    assertEquals(KeyUseEvent.Outcome.FAILURE, e.outcome());
  }

  @Test
  void decrypt_otherTenantsMessage_invalidCiphertext() {
    crypto();
    byte[] m = crypto.encrypt("globex", ACME, USER, PLAINTEXT);
    assertThrows(InvalidCiphertextException.class, () -> crypto.decrypt("acme", EncryptionContext.empty(), USER, m));
  }

  @Test
  void decrypt_keyServiceDisownsEveryDataKey_invalidCiphertextWithoutKms() {
    crypto();
    byte[] m = crypto.encrypt("acme", ACME, USER, PLAINTEXT);
    // The key service, not the envelope, says which encrypted data key is the tenant key's.
    dev.byok.core.keys.KeyService disowning = new dev.byok.core.keys.KeyService() {
      @Override public String providerId() { return kms.providerId(); }
      @Override public boolean canDecrypt(dev.byok.core.KeyArn keyArn, dev.byok.core.keys.EncryptedDataKey edk) { return false; }
      @Override public dev.byok.core.keys.GeneratedDataKey generateDataKey(dev.byok.core.KeyArn keyArn, EncryptionContext context) {
        return kms.generateDataKey(keyArn, context);
      }
      @Override public dev.byok.core.keys.DecryptedDataKey decryptDataKey(dev.byok.core.KeyArn keyArn, dev.byok.core.keys.EncryptedDataKey edk,
          EncryptionContext context) {
        return kms.decryptDataKey(keyArn, edk, context);
      }
      @Override public dev.byok.core.keys.KeyDescription describeKey(dev.byok.core.KeyArn keyArn) { return kms.describeKey(keyArn); }
    };
    try (TenantCrypto other = TenantCrypto.builder().keyService(disowning)
        .tenants(TenantDirectory.builder().put("acme", KeyArn.parse(acmeKey)).build())
        .ticker(ticker).executor(executor).scheduler(scheduler).build()) {
      InvalidCiphertextException e = assertThrows(InvalidCiphertextException.class,
          () -> other.decrypt("acme", EncryptionContext.empty(), USER, m));
      assertTrue(e.getMessage().contains("no encrypted data key"), e.getMessage());
    }
    assertEquals(0, kms.decryptCalls.get());
  }

  @Test
  void decrypt_otherTenantAfterOwnerDecryptedSameHeader_invalidCiphertext() {
    crypto();
    byte[] m1 = crypto.encrypt("globex", ACME, USER, PLAINTEXT);
    byte[] m2 = crypto.encrypt("globex", ACME, USER, PLAINTEXT); // same header section as m1
    assertArrayEquals(PLAINTEXT, crypto.decrypt("globex", ACME, USER, m1)); // remembers globex's data key choice
    assertThrows(InvalidCiphertextException.class, () -> crypto.decrypt("acme", EncryptionContext.empty(), USER, m2));
    assertArrayEquals(PLAINTEXT, crypto.decrypt("globex", ACME, USER, m2));
  }

  @Test
  void decrypt_everyByteFlipped_invalidCiphertextOnly() {
    crypto();
    byte[] m = crypto.encrypt("acme", ACME, USER, PLAINTEXT);
    for (int i = 0; i < m.length; i++) {
      byte[] t = m.clone();
      t[i] ^= 0x01;
      assertThrows(InvalidCiphertextException.class, () -> crypto.decrypt("acme", EncryptionContext.empty(), USER, t),
          "byte " + i);
    }
    assertThrows(InvalidCiphertextException.class,
        () -> crypto.decrypt("acme", EncryptionContext.empty(), USER, Arrays.copyOf(m, m.length - 1)));
  }

  @Test
  void streams_roundTrip_andTruncationFails() throws Exception {
    crypto();
    byte[] big = new byte[200_000];
    new java.util.Random(7).nextBytes(big);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = crypto.encryptingStream("acme", ACME, USER, sink)) {
      out.write(big, 0, 100_000);
      out.write(big, 100_000, 100_000);
    }
    byte[] message = sink.toByteArray();
    try (InputStream in = crypto.decryptingStream("acme", ACME, USER, new ByteArrayInputStream(message))) {
      assertArrayEquals(big, in.readAllBytes());
    }
    assertArrayEquals(big, crypto.decrypt("acme", ACME, USER, message));
    InputStream truncated = crypto.decryptingStream("acme", ACME, USER,
        new ByteArrayInputStream(Arrays.copyOf(message, message.length - 10)));
    assertThrows(InvalidCiphertextException.class, truncated::readAllBytes);
    truncated.close();
    List<KeyUseEvent> decrypts = audit.of(KeyUseEvent.Operation.DECRYPT);
    assertEquals(KeyUseEvent.Outcome.SUCCESS, decrypts.get(0).outcome());
    assertEquals(KeyUseEvent.Outcome.FAILURE, decrypts.get(2).outcome());
    assertNotNull(audit.of(KeyUseEvent.Operation.ENCRYPT).get(0).messageId());
  }

  @Test
  void audit_everyUse_oneEventWithReasonSourceRequestIdAndMessageId() {
    crypto();
    byte[] m = crypto.encrypt("acme", ACME, USER, PLAINTEXT);
    crypto.encrypt("acme", ACME, AccessReason.of(ReasonCode.SEARCH_INDEXING), PLAINTEXT);
    crypto.decrypt("acme", ACME, AccessReason.of(ReasonCode.VENDOR_SUPPORT_ACCESS, "ticket 4711", "support:jdoe"), m);
    List<KeyUseEvent> events = audit.events();
    assertEquals(3, events.size());
    KeyUseEvent first = events.get(0);
    assertEquals(KeyUseEvent.Operation.ENCRYPT, first.operation());
    assertEquals("USER_REQUEST", first.reasonCode());
    assertEquals("user:42", first.actor());
    assertEquals(KeyUseEvent.DataKeySource.KMS, first.dataKeySource());
    assertTrue(first.kmsRequestId().startsWith("req-"));
    assertEquals(acmeKey, first.keyArn());
    assertEquals(ACME.asMap(), first.encryptionContext());
    assertEquals(64, first.messageId().length());
    KeyUseEvent second = events.get(1);
    assertEquals("SEARCH_INDEXING", second.reasonCode());
    assertEquals(KeyUseEvent.DataKeySource.CACHE, second.dataKeySource());
    assertNull(second.kmsRequestId());
    KeyUseEvent third = events.get(2);
    assertEquals(KeyUseEvent.Operation.DECRYPT, third.operation());
    assertEquals("ticket 4711", third.reasonDetail());
    assertEquals(first.messageId(), third.messageId());
    assertEquals(KeyUseEvent.Outcome.SUCCESS, third.outcome());
  }

  @Test
  void disabledKey_revokesAtOnce_failsFastWithoutKms_probesAndRestores() {
    crypto();
    byte[] m = crypto.encrypt("acme", ACME, USER, PLAINTEXT);
    kms.setState(acmeKey, KeyState.DISABLED);
    crypto.close(); // drop the cache so the next call meets KMS
    crypto();
    KeyAccessRevokedException e = assertThrows(KeyAccessRevokedException.class,
        () -> crypto.encrypt("acme", ACME, USER, PLAINTEXT));
    assertEquals(acmeKey, e.keyArn());
    assertTrue(e.scope().isEmpty());
    long calls = kms.totalCalls();
    assertThrows(KeyAccessRevokedException.class, () -> crypto.encrypt("acme", ACME_FILES, USER, PLAINTEXT));
    assertThrows(KeyAccessRevokedException.class, () -> crypto.decrypt("acme", ACME, USER, m));
    assertEquals(calls, kms.totalCalls(), "revoked: no KMS call");
    assertEquals(KeyAccessStatus.State.REVOKED, crypto.keyAccess().status("acme").state());
    assertEquals("DisabledException", crypto.keyAccess().status("acme").reason().orElseThrow());
    assertEquals(KeyAccessStatus.State.ACTIVE, crypto.keyAccess().status("globex").state());
    assertEquals(1, audit.of(KeyUseEvent.Operation.REVOKED).size());

    ticker.advance(Duration.ofSeconds(10));
    assertEquals(1, scheduler.runDue(), "one probe per checkInterval");
    assertEquals(KeyAccessStatus.State.REVOKED, crypto.keyAccess().status("acme").state());
    // The probe repeats the denied GenerateDataKey (issue 12), which meets the disabled key.
    assertEquals("DisabledException", crypto.keyAccess().status("acme").lastCheckResult().orElseThrow());
    kms.setState(acmeKey, KeyState.ENABLED);
    ticker.advance(Duration.ofSeconds(9));
    assertEquals(0, scheduler.runDue());
    ticker.advance(Duration.ofSeconds(1));
    assertEquals(1, scheduler.runDue());
    assertEquals(KeyAccessStatus.State.ACTIVE, crypto.keyAccess().status("acme").state());
    assertArrayEquals(PLAINTEXT, crypto.decrypt("acme", ACME, USER, m));
    assertEquals(1, audit.of(KeyUseEvent.Operation.RESTORED).size());
    assertEquals(2, audit.of(KeyUseEvent.Operation.PROBE).size());
    assertEquals(0, scheduler.pending(), "no probing once restored");
  }

  @Test
  void pendingDeletionAndNotFound_areDefinitive() {
    crypto();
    kms.setState(acmeKey, KeyState.PENDING_DELETION);
    assertThrows(KeyAccessRevokedException.class, () -> crypto.encrypt("acme", ACME, USER, PLAINTEXT));
    kms.delete(globexKey);
    assertThrows(KeyAccessRevokedException.class, () -> crypto.encrypt("globex", ACME, USER, PLAINTEXT));
    assertEquals("KMSInvalidStateException", crypto.keyAccess().status("acme").reason().orElseThrow());
    assertEquals("NotFoundException", crypto.keyAccess().status("globex").reason().orElseThrow());
  }

  @Test
  void transientError_unavailableAndNeverRevokes() {
    crypto();
    kms.outage("ThrottlingException");
    KeyServiceUnavailableException e = assertThrows(KeyServiceUnavailableException.class,
        () -> crypto.encrypt("acme", ACME, USER, PLAINTEXT));
    assertTrue(e.retryable());
    assertEquals(KeyAccessStatus.State.ACTIVE, crypto.keyAccess().status("acme").state());
    kms.outage(null);
    assertArrayEquals(PLAINTEXT, crypto.decrypt("acme", ACME, USER, crypto.encrypt("acme", ACME, USER, PLAINTEXT)));
    assertEquals(0, audit.of(KeyUseEvent.Operation.REVOKED).size());
  }

  @Test
  void badInputOnDecrypt_invalidCiphertextAndNoRevocation() {
    crypto();
    // A message whose data key is well-formed for the tenant's key but was not made by it.
    FakeKeyService other = new FakeKeyService();
    other.createKey("111122223333", "1234abcd-12ab-34cd-56ef-1234567890ab"); // same ARN, other master key
    TenantCrypto foreign = TenantCrypto.builder().keyService(other)
        .tenants(TenantDirectory.builder().put("acme", KeyArn.parse(acmeKey)).build()).build();
    byte[] m = foreign.encrypt("acme", ACME, USER, PLAINTEXT);
    foreign.close();
    assertThrows(InvalidCiphertextException.class, () -> crypto.decrypt("acme", ACME, USER, m));
    assertEquals(KeyAccessStatus.State.ACTIVE, crypto.keyAccess().status("acme").state());
  }

  @Test
  void accessDeniedOnOneContext_revokesOnlyThatScope() {
    crypto();
    byte[] files = crypto.encrypt("acme", ACME_FILES, USER, PLAINTEXT);
    kms.denyContexts(c -> "messages".equals(c.get("data-class")));
    KeyAccessRevokedException e = assertThrows(KeyAccessRevokedException.class,
        () -> crypto.encrypt("acme", ACME, USER, PLAINTEXT));
    assertEquals("data-class=messages,tenant=acme", e.scope().orElseThrow());
    assertArrayEquals(PLAINTEXT, crypto.decrypt("acme", ACME_FILES, USER, files), "other scopes of the key still work");
    crypto.encrypt("acme", ACME_FILES, USER, PLAINTEXT);
    KeyAccessStatus s = crypto.keyAccess().status("acme");
    assertEquals(KeyAccessStatus.State.SCOPE_REVOKED, s.state());
    assertEquals(List.of(ACME), s.revokedScopes());
    long calls = kms.totalCalls();
    assertThrows(KeyAccessRevokedException.class, () -> crypto.encrypt("acme", ACME, USER, PLAINTEXT));
    assertEquals(calls, kms.totalCalls());
    // The policy is lifted: the scope's probe (a GenerateDataKey with the scope) restores it.
    kms.denyContexts(c -> false);
    ticker.advance(Duration.ofSeconds(10));
    scheduler.runDue();
    assertEquals(KeyAccessStatus.State.ACTIVE, crypto.keyAccess().status("acme").state());
    crypto.encrypt("acme", ACME, USER, PLAINTEXT);
  }

  @Test
  void accessDeniedAndDescribeDenied_revokesWholeKey() {
    crypto();
    kms.denyAll(true);
    KeyAccessRevokedException e = assertThrows(KeyAccessRevokedException.class,
        () -> crypto.encrypt("acme", ACME, USER, PLAINTEXT));
    assertTrue(e.scope().isEmpty());
    assertEquals(KeyAccessStatus.State.REVOKED, crypto.keyAccess().status("acme").state());
    assertThrows(KeyAccessRevokedException.class, () -> crypto.encrypt("acme", ACME_FILES, USER, PLAINTEXT));
    // Vendor re-added: DescribeKey alone is not enough, the denied call's context must work too.
    kms.denyAll(false);
    kms.denyContexts(c -> "messages".equals(c.get("data-class")));
    assertEquals(0, crypto.keyAccess().checkNow());
    kms.denyContexts(c -> false);
    assertEquals(1, crypto.keyAccess().checkNow());
    crypto.encrypt("acme", ACME, USER, PLAINTEXT);
  }

  @Test
  void pushedRevoke_purgesCacheAndFailsFast() {
    crypto();
    byte[] m = crypto.encrypt("acme", ACME, USER, PLAINTEXT);
    long calls = kms.totalCalls();
    crypto.keyAccess().revoke(KeyArn.parse(acmeKey), "EventBridge: DisableKey");
    assertThrows(KeyAccessRevokedException.class, () -> crypto.decrypt("acme", ACME, USER, m));
    assertThrows(KeyAccessRevokedException.class, () -> crypto.encrypt("acme", ACME, USER, PLAINTEXT));
    assertEquals(calls, kms.totalCalls());
    assertEquals("EventBridge: DisableKey", crypto.keyAccess().status("acme").reason().orElseThrow());
    KeyUseEvent revoked = audit.of(KeyUseEvent.Operation.REVOKED).get(0);
    assertEquals("acme", revoked.tenant());
    assertEquals(KeyUseEvent.Outcome.DENIED, revoked.outcome());
    // The key is in fact still enabled: the first probe lifts the pushed revocation.
    assertEquals(1, crypto.keyAccess().checkNow());
    assertArrayEquals(PLAINTEXT, crypto.decrypt("acme", ACME, USER, m));
    assertTrue(kms.totalCalls() > calls, "the purged key was fetched again from KMS");
  }

  @Test
  void checkNowOfOneKey_probesOnlyThatKey_andLiftsOnlyWhenAccessIsBack() {
    crypto();
    crypto.encrypt("acme", ACME, USER, PLAINTEXT);
    crypto.encrypt("globex", EncryptionContext.of(Map.of("tenant", "globex")), USER, PLAINTEXT);
    KeyAccessControl access = crypto.keyAccess();
    kms.setState(acmeKey, KeyState.DISABLED);
    access.revoke(KeyArn.parse(acmeKey), "EventBridge: DisableKey");
    access.revoke(KeyArn.parse(globexKey), "EventBridge: DisableKey");
    long calls = kms.totalCalls();
    assertEquals(0, access.checkNow(KeyArn.parse(acmeKey)), "acme's key is still disabled");
    // A pushed revocation is probed with a GenerateDataKey under a context KMS accepted before.
    assertEquals(calls + 1, kms.totalCalls(), "one probe, of acme's key only");
    assertEquals(KeyAccessStatus.State.REVOKED, access.status("acme").state());
    assertEquals(KeyAccessStatus.State.REVOKED, access.status("globex").state(), "globex's key was not probed");
    kms.setState(acmeKey, KeyState.ENABLED);
    assertEquals(1, access.checkNow(KeyArn.parse(acmeKey)));
    assertEquals(KeyAccessStatus.State.ACTIVE, access.status("acme").state());
    assertEquals(KeyAccessStatus.State.REVOKED, access.status("globex").state());
    long before = kms.totalCalls();
    assertEquals(0, access.checkNow(KeyArn.parse(acmeKey)), "a key that is not revoked");
    assertEquals(0, access.checkNow(KeyArn.parse("arn:aws:kms:us-east-1:999999999999:key/never-used")), "a key never seen");
    assertEquals(before, kms.totalCalls(), "neither is probed");
    crypto.encrypt("acme", ACME, USER, PLAINTEXT);
  }

  @Test
  void revalidation_refreshFindsKeyDisabled_revokesWithinRevalidateAfter() {
    crypto(CachePolicy.builder().revalidateAfter(Duration.ofSeconds(60)).build(),
        RevocationPolicy.builder().checkInterval(Duration.ofSeconds(10)).build());
    byte[] m = crypto.encrypt("acme", ACME, USER, PLAINTEXT);
    kms.setState(acmeKey, KeyState.DISABLED);
    ticker.advance(Duration.ofSeconds(48));
    assertArrayEquals(PLAINTEXT, crypto.decrypt("acme", ACME, USER, m), "still within the invariant");
    assertEquals(1, executor.runAll(), "the background refresh");
    assertEquals(1, audit.of(KeyUseEvent.Operation.REVALIDATION_FAILED).size());
    assertEquals(1, audit.of(KeyUseEvent.Operation.REVOKED).size());
    assertThrows(KeyAccessRevokedException.class, () -> crypto.decrypt("acme", ACME, USER, m));
  }

  @Test
  void revalidation_refreshSucceeds_probeEventCarriesTheDecryptRequestId() {
    crypto(CachePolicy.builder().revalidateAfter(Duration.ofSeconds(60)).build(), RevocationPolicy.defaults());
    byte[] m = crypto.encrypt("acme", ACME, USER, PLAINTEXT);
    ticker.advance(Duration.ofSeconds(48));
    crypto.decrypt("acme", ACME, USER, m);
    assertEquals(1, executor.runAll(), "the background refresh");
    List<KeyUseEvent> probes = audit.of(KeyUseEvent.Operation.PROBE);
    assertEquals(1, probes.size(), "the re-confirmation's KMS Decrypt is explained by an event");
    KeyUseEvent p = probes.get(0);
    assertEquals("acme", p.tenant());
    assertEquals(KeyUseEvent.DataKeySource.KMS, p.dataKeySource());
    assertEquals(KeyUseEvent.Outcome.SUCCESS, p.outcome());
    assertEquals("REVOCATION_CHECK", p.reasonCode());
    assertTrue(p.kmsRequestId() != null && !p.kmsRequestId().isEmpty(), "request ID " + p.kmsRequestId());
  }

  @Test
  void revalidation_unusedRefreshAndHardExpiry_nextUseAsksKms() {
    crypto(CachePolicy.builder().revalidateAfter(Duration.ofSeconds(60)).build(), RevocationPolicy.defaults());
    byte[] m = crypto.encrypt("acme", ACME, USER, PLAINTEXT);
    kms.setState(acmeKey, KeyState.DISABLED);
    ticker.advance(Duration.ofSeconds(59));
    assertArrayEquals(PLAINTEXT, crypto.decrypt("acme", ACME, USER, m)); // refresh queued, never run
    ticker.advance(Duration.ofSeconds(1));
    assertThrows(KeyAccessRevokedException.class, () -> crypto.decrypt("acme", ACME, USER, m),
        "no cached key is used revalidateAfter after its last confirmation");
  }

  @Test
  void outage_withinInvariantServes_beyondFailsUnavailable_neverRevokes() {
    crypto(CachePolicy.builder().revalidateAfter(Duration.ofSeconds(60)).build(), RevocationPolicy.defaults());
    byte[] m = crypto.encrypt("acme", ACME, USER, PLAINTEXT);
    kms.outage("KMSInternalException");
    ticker.advance(Duration.ofSeconds(50));
    crypto.decrypt("acme", ACME, USER, m);
    executor.runAll(); // refresh fails transiently
    assertEquals(1, audit.of(KeyUseEvent.Operation.REVALIDATION_FAILED).size());
    ticker.advance(Duration.ofSeconds(9));
    crypto.encrypt("acme", ACME, USER, PLAINTEXT);
    ticker.advance(Duration.ofSeconds(1));
    assertThrows(KeyServiceUnavailableException.class, () -> crypto.decrypt("acme", ACME, USER, m));
    assertThrows(KeyServiceUnavailableException.class, () -> crypto.encrypt("acme", ACME, USER, PLAINTEXT));
    assertEquals(KeyAccessStatus.State.ACTIVE, crypto.keyAccess().status("acme").state());
    assertEquals(0, audit.of(KeyUseEvent.Operation.REVOKED).size());
  }

  @Test
  void unknownTenant_illegalArgumentNamingIt() {
    crypto();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> crypto.encrypt("initech", ACME, USER, PLAINTEXT));
    assertTrue(e.getMessage().contains("initech"), e.getMessage());
  }

  @Test
  void builder_missingOrRepeatedSettings_rejected() {
    assertThrows(IllegalStateException.class, () -> TenantCrypto.builder().keyService(kms).build());
    assertThrows(IllegalStateException.class, () -> TenantCrypto.builder().keyService(kms).keyService(kms));
    assertThrows(IllegalArgumentException.class, () -> TenantCrypto.builder().frameLength(0));
    assertThrows(IllegalStateException.class, () -> TenantCrypto.builder().metrics(CryptoMetrics.noop())
        .metrics(CryptoMetrics.noop()));
    assertThrows(IllegalArgumentException.class, () -> CachePolicy.builder().revalidateAfter(Duration.ofMillis(999)));
    assertThrows(IllegalArgumentException.class, () -> RevocationPolicy.builder().outageGrace(Duration.ofSeconds(-1)));
  }

  @Test
  void closed_refusesCalls() {
    crypto();
    crypto.close();
    assertThrows(IllegalStateException.class, () -> crypto.encrypt("acme", ACME, USER, PLAINTEXT));
  }

  @Test
  void toString_showsNoKeyMaterial() {
    crypto();
    crypto.encrypt("acme", ACME, USER, PLAINTEXT);
    String s = crypto.toString();
    assertTrue(s.contains("TenantCrypto"), s);
    assertFalse(s.toLowerCase(java.util.Locale.ROOT).contains("bytes="), s);
  }
}
