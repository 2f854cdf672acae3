package dev.byok.crypto.internal.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyArn;
import dev.byok.core.KeyServiceUnavailableException;
import dev.byok.core.keys.GeneratedDataKey;
import dev.byok.core.keys.KeyServiceException;
import dev.byok.core.keys.PlaintextDataKey;
import dev.byok.crypto.CachePolicy;
import dev.byok.crypto.CryptoMetrics;
import dev.byok.crypto.internal.CryptoSettings;
import dev.byok.crypto.internal.TestSettings;
import dev.byok.testing.fakes.FakeKeyService;
import dev.byok.crypto.fakes.FakeTicker;
import dev.byok.testing.fakes.ManualExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The data-key cache on a fake ticker, a manual executor and a fault-injecting key service: the
 * ESDK limits exactly at their boundaries, one load for concurrent misses, the revalidation timing,
 * outages within and beyond the invariant, zeroing. No sleeps.
 */
class DataKeyCacheTest {
  private static final Object SUITE = "0x0478";
  private static final EncryptionContext CTX = EncryptionContext.of("tenant", "acme");

  private final FakeTicker ticker = new FakeTicker();
  private final ManualExecutor executor = new ManualExecutor();
  private final FakeKeyService kms = new FakeKeyService();
  private final KeyArn keyArn = KeyArn.parse(kms.createKey("111122223333", "1234abcd-12ab-34cd-56ef-1234567890ab"));
  private final List<PlaintextDataKey> issued = new ArrayList<>();
  private DataKeyCache<PlaintextDataKey> cache;

  private DataKeyCache<PlaintextDataKey> cache(CachePolicy policy, Duration grace) {
    cache = new DataKeyCache<>(TestSettings.of(kms, policy, grace, ticker, executor, CryptoMetrics.noop()),
        PlaintextDataKey::destroy, (tenant, arn, edk, ctx) -> kms.decryptDataKey(arn, edk, ctx).plaintext().destroy());
    return cache;
  }

  private DataKeyCache.Loaded<PlaintextDataKey> load(EncryptionContext ctx) {
    GeneratedDataKey g = kms.generateDataKey(keyArn, ctx);
    PlaintextDataKey materials = PlaintextDataKey.copyOf(g.plaintext().copyBytes());
    PlaintextDataKey twin = PlaintextDataKey.copyOf(g.plaintext().copyBytes());
    g.plaintext().destroy();
    synchronized (issued) {
      issued.add(materials);
    }
    return new DataKeyCache.Loaded<>(materials, g.encrypted(), ctx, twin, g.requestId());
  }

  private PlaintextDataKey use(long bytes) {
    try (Lease<PlaintextDataKey> l = cache.encrypt("acme", keyArn, SUITE, CTX, bytes, (t, a, c) -> load(c))) {
      return l.materials();
    }
  }

  @AfterEach
  void close() {
    if (cache != null) {
      cache.close();
    }
  }

  @Test
  void encrypt_maxMessages_exactAtBoundary() {
    cache(CachePolicy.builder().maxMessages(3).build(), Duration.ZERO);
    PlaintextDataKey first = use(10);
    assertSame(first, use(10));
    assertSame(first, use(10));
    assertEquals(1, kms.generateCalls.get());
    assertFalse(first.isDestroyed());
    PlaintextDataKey second = use(10); // the 4th use would exceed 3: a fresh key
    assertNotSame(first, second);
    assertEquals(2, kms.generateCalls.get());
    assertTrue(first.isDestroyed(), "the retired key is zeroed");
  }

  @Test
  void encrypt_kmsRoundTripLongerThanMaxAge_loaderUsesFreshKeyOnceAndNextCallLoadsAgain() {
    cache(CachePolicy.builder().maxAge(Duration.ofMillis(1)).build(), Duration.ZERO);
    DataKeyCache.EncryptLoader<PlaintextDataKey> slowKms = (t, a, c) -> {
      ticker.advance(Duration.ofMillis(5)); // the KMS call takes longer than maxAge
      return load(c);
    };
    PlaintextDataKey first;
    try (Lease<PlaintextDataKey> l = cache.encrypt("acme", keyArn, SUITE, CTX, 1, slowKms)) {
      first = l.materials();
    }
    PlaintextDataKey second;
    try (Lease<PlaintextDataKey> l = cache.encrypt("acme", keyArn, SUITE, CTX, 1, slowKms)) {
      second = l.materials();
    }
    assertNotSame(first, second, "an entry older than maxAge is not reused");
    assertEquals(2, kms.generateCalls.get(), "one KMS call per message, no retry storm");
  }

  @Test
  void encrypt_maxBytes_exactAtBoundary() {
    cache(CachePolicy.builder().maxBytes(100).build(), Duration.ZERO);
    PlaintextDataKey first = use(60);
    assertSame(first, use(40)); // exactly 100
    assertNotSame(first, use(1)); // 101 would exceed
    assertEquals(2, kms.generateCalls.get());
  }

  @Test
  void encrypt_messageLargerThanMaxBytesOrOfUnknownSize_getsUncachedKey() {
    cache(CachePolicy.builder().maxBytes(100).build(), Duration.ZERO);
    PlaintextDataKey big = use(101);
    assertTrue(big.isDestroyed(), "an uncached key is zeroed after its message");
    PlaintextDataKey unknown = use(-1);
    assertTrue(unknown.isDestroyed());
    assertEquals(2, kms.generateCalls.get());
    assertEquals(0, cache.encryptEntries());
  }

  @Test
  void encrypt_maxAge_exactAtBoundary() {
    cache(CachePolicy.builder().maxAge(Duration.ofSeconds(30)).build(), Duration.ZERO);
    PlaintextDataKey first = use(1);
    ticker.advance(Duration.ofSeconds(30).minusNanos(1));
    assertSame(first, use(1));
    ticker.advanceNanos(1);
    assertNotSame(first, use(1));
    assertEquals(2, kms.generateCalls.get());
    assertTrue(first.isDestroyed());
  }

  @Test
  void encrypt_revalidation_refreshesAtEightyPercentAndExpiresHard() {
    cache(CachePolicy.builder().revalidateAfter(Duration.ofSeconds(60)).build(), Duration.ZERO);
    PlaintextDataKey first = use(1);
    ticker.advance(Duration.ofMillis(47_999));
    assertSame(first, use(1));
    assertEquals(0, executor.pending(), "no refresh before 80% of revalidateAfter");
    ticker.advance(Duration.ofMillis(1)); // 48 s
    assertSame(first, use(1));
    assertEquals(1, executor.pending(), "one background refresh at 80%");
    assertSame(first, use(1));
    assertEquals(1, executor.pending(), "only one refresh in flight");
    assertEquals(1, executor.runAll());
    assertEquals(1, kms.decryptCalls.get(), "the refresh re-confirmed with one KMS Decrypt");
    // Confirmed at 48 s: usable until 108 s (exclusive).
    ticker.advance(Duration.ofMillis(59_999));
    assertSame(first, use(1));
    executor.runAll();
    ticker.advance(Duration.ofSeconds(60)); // far past any confirmation
    assertNotSame(first, use(1));
    assertEquals(2, kms.generateCalls.get());
  }

  @Test
  void encrypt_refreshNeverRun_hardExpiryAtRevalidateAfter() {
    cache(CachePolicy.builder().revalidateAfter(Duration.ofSeconds(10)).build(), Duration.ZERO);
    PlaintextDataKey first = use(1);
    ticker.advance(Duration.ofSeconds(10).minusNanos(1));
    assertSame(first, use(1)); // a refresh is queued but never runs
    ticker.advanceNanos(1);
    assertNotSame(first, use(1), "no key is used revalidateAfter after its last confirmation");
    assertTrue(first.isDestroyed());
  }

  @Test
  void encrypt_outageWithinInvariant_servesFromCacheThenFails() {
    cache(CachePolicy.builder().revalidateAfter(Duration.ofSeconds(60)).build(), Duration.ZERO);
    PlaintextDataKey first = use(1);
    kms.outage("ThrottlingException");
    ticker.advance(Duration.ofSeconds(50));
    assertSame(first, use(1));
    executor.runAll(); // the refresh fails: transient
    ticker.advance(Duration.ofSeconds(10).minusNanos(1));
    assertSame(first, use(1), "within the invariant the cached key serves during an outage");
    ticker.advanceNanos(1);
    KeyServiceException e = assertThrows(KeyServiceException.class, () -> use(1));
    assertEquals("ThrottlingException", e.errorCode());
    assertTrue(first.isDestroyed());
  }

  @Test
  void encrypt_outageGrace_servesLongerOnlyWhileKmsFailsTransiently() {
    cache(CachePolicy.builder().revalidateAfter(Duration.ofSeconds(60)).build(), Duration.ofSeconds(30));
    PlaintextDataKey first = use(1);
    kms.outage("KMSInternalException");
    ticker.advance(Duration.ofSeconds(70));
    assertSame(first, use(1), "within the grace, after a failed synchronous re-confirmation");
    ticker.advance(Duration.ofSeconds(20).minusNanos(1)); // 90 s - 1 ns
    assertSame(first, use(1));
    ticker.advanceNanos(1);
    assertThrows(KeyServiceException.class, () -> use(1));
  }

  @Test
  void encrypt_outageGraceButKmsAnswers_reconfirmsInsteadOfGrace() {
    cache(CachePolicy.builder().revalidateAfter(Duration.ofSeconds(60)).build(), Duration.ofSeconds(30));
    PlaintextDataKey first = use(1);
    ticker.advance(Duration.ofSeconds(70));
    assertSame(first, use(1));
    assertEquals(1, kms.decryptCalls.get(), "re-confirmed synchronously");
    ticker.advance(Duration.ofSeconds(59));
    assertSame(first, use(1), "the re-confirmation at 70 s counts from then");
  }

  @Test
  void encrypt_concurrentMisses_oneKmsCall() throws Exception {
    cache(CachePolicy.defaults(), Duration.ZERO);
    CountDownLatch entered = kms.closeGate();
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Thread> workers = new ArrayList<>();
      List<Future<PlaintextDataKey>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(pool.submit(() -> {
          synchronized (workers) {
            workers.add(Thread.currentThread());
          }
          return use(1);
        }));
      }
      assertTrue(entered.await(10, TimeUnit.SECONDS), "one thread reached GenerateDataKey");
      // Wait (bounded, no sleep) until the other threads are parked on the pending load.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline && parked(workers) < threads) {
        Thread.onSpinWait();
      }
      kms.openGate();
      PlaintextDataKey k = results.get(0).get(10, TimeUnit.SECONDS);
      for (Future<PlaintextDataKey> f : results) {
        assertSame(k, f.get(10, TimeUnit.SECONDS));
      }
      assertEquals(1, kms.generateCalls.get());
    } finally {
      kms.openGate();
      pool.shutdownNow();
    }
  }

  private static int parked(List<Thread> workers) {
    synchronized (workers) {
      int n = 0;
      for (Thread t : workers) {
        Thread.State s = t.getState();
        n += s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING ? 1 : 0;
      }
      return n;
    }
  }

  @Test
  void decrypt_afterEncryptLoad_twinServesWithoutKms() {
    cache(CachePolicy.defaults(), Duration.ZERO);
    DataKeyCache.Loaded<PlaintextDataKey> loaded;
    try (Lease<PlaintextDataKey> l = cache.encrypt("acme", keyArn, SUITE, CTX, 1, (t, a, c) -> load(c))) {
      try (Lease<PlaintextDataKey> d = cache.decrypt("acme", keyArn, l.encryptedDataKey(), CTX,
          (t, a, e, c) -> kms.decryptDataKey(a, e, c))) {
        assertTrue(d.fromCache());
        assertTrue(d.materials().equalsConstantTime(l.materials()));
      }
    }
    assertEquals(0, kms.decryptCalls.get());
  }

  @Test
  void decrypt_miss_loadsOnceThenHits() {
    cache(CachePolicy.defaults(), Duration.ZERO);
    GeneratedDataKey g = kms.generateDataKey(keyArn, CTX);
    for (int i = 0; i < 3; i++) {
      try (Lease<PlaintextDataKey> d = cache.decrypt("acme", keyArn, g.encrypted(), CTX,
          (t, a, e, c) -> kms.decryptDataKey(a, e, c))) {
        assertEquals(i > 0, d.fromCache());
        assertEquals(i == 0, d.kmsRequestId() != null);
        assertTrue(d.materials().equalsConstantTime(g.plaintext()));
      }
    }
    assertEquals(1, kms.decryptCalls.get());
  }

  @Test
  void purge_scope_dropsOnlyThatScopeAndZeroesKeys() {
    cache(CachePolicy.defaults(), Duration.ZERO);
    EncryptionContext other = EncryptionContext.of("tenant", "globex");
    PlaintextDataKey acme = use(1);
    PlaintextDataKey globex;
    try (Lease<PlaintextDataKey> l = cache.encrypt("globex", keyArn, SUITE, other, 1, (t, a, c) -> load(c))) {
      globex = l.materials();
    }
    cache.purge(keyArn, CTX);
    assertTrue(acme.isDestroyed());
    assertFalse(globex.isDestroyed());
    cache.purge(keyArn, null);
    assertTrue(globex.isDestroyed());
  }

  @Test
  void retire_whileInUse_destroysOnlyAfterRelease() {
    cache(CachePolicy.defaults(), Duration.ZERO);
    Lease<PlaintextDataKey> l = cache.encrypt("acme", keyArn, SUITE, CTX, 1, (t, a, c) -> load(c));
    cache.purge(keyArn, null);
    assertFalse(l.materials().isDestroyed(), "a key in use is not zeroed under the message");
    PlaintextDataKey k = l.materials();
    l.close();
    assertTrue(k.isDestroyed());
  }

  @Test
  void loaderFailure_propagatesAndLeavesNoEntry() {
    cache(CachePolicy.defaults(), Duration.ZERO);
    kms.outage("ThrottlingException");
    assertThrows(KeyServiceException.class, () -> use(1));
    kms.outage(null);
    use(1);
    assertEquals(2, kms.generateCalls.get());
    assertEquals(1, cache.encryptEntries());
  }

  @Test
  void contextSpread_perRecordContexts_reportedOncePerWindow() {
    List<Integer> reported = new ArrayList<>();
    CryptoMetrics recording = new CryptoMetrics() {
      @Override public void cacheHit(Side side) {}
      @Override public void cacheMiss(Side side) {}
      @Override public void keyServiceCall(String operation, String outcome) {}
      @Override public void revoked(KeyArn keyArn, boolean scoped) {}
      @Override public void restored(KeyArn keyArn) {}
      @Override public <T> void keyState(KeyArn keyArn, T holder, java.util.function.ToDoubleFunction<T> state) {}
      @Override public void contextSpread(KeyArn keyArn, int distinctContexts) {
        reported.add(distinctContexts);
      }
    };
    cache = new DataKeyCache<>(TestSettings.of(kms, CachePolicy.defaults(), Duration.ZERO, ticker, executor, recording),
        PlaintextDataKey::destroy, (tenant, arn, edk, ctx) -> { });
    for (int i = 0; i < 100; i++) {
      EncryptionContext perRecord = EncryptionContext.of(Map.of("tenant", "acme", "record", "r" + i));
      cache.encrypt("acme", keyArn, SUITE, perRecord, 1, (t, a, c) -> load(c)).close();
    }
    assertEquals(100, cache.distinctContexts(keyArn));
    assertEquals(List.of(), reported, "nothing reported within the window");
    ticker.advance(Duration.ofSeconds(60)); // one revalidateAfter window later
    cache.encrypt("acme", keyArn, SUITE, CTX, 1, (t, a, c) -> load(c)).close();
    assertEquals(List.of(100), reported);
    assertEquals(1, cache.distinctContexts(keyArn));
  }

  @Test
  void leaseToString_showsNoKeyBytes() {
    cache(CachePolicy.defaults(), Duration.ZERO);
    try (Lease<PlaintextDataKey> l = cache.encrypt("acme", keyArn, SUITE, CTX, 1, (t, a, c) -> load(c))) {
      assertTrue(l.toString().contains("redacted"), l.toString());
    }
  }

  @Test
  void unavailableKeyService_isNotMistakenForRevocation() {
    // the cache itself passes loader exceptions through unchanged
    cache(CachePolicy.defaults(), Duration.ZERO);
    RuntimeException boom = new KeyServiceUnavailableException("down", null);
    assertSame(boom, assertThrows(KeyServiceUnavailableException.class,
        () -> cache.encrypt("acme", keyArn, SUITE, CTX, 1, (t, a, c) -> {
          throw boom;
        })));
  }

  // ------------------------------------------------------------------ confirmations shared per scope

  private Lease<PlaintextDataKey> decryptLease(GeneratedDataKey g, EncryptionContext ctx) {
    return cache.decrypt("acme", keyArn, g.encrypted(), ctx, (t, a, e, c) -> kms.decryptDataKey(a, e, c));
  }

  private boolean decryptFromCache(GeneratedDataKey g, EncryptionContext ctx) {
    try (Lease<PlaintextDataKey> l = decryptLease(g, ctx)) {
      assertTrue(l.materials().equalsConstantTime(g.plaintext()));
      return l.fromCache();
    }
  }

  @Test
  void reconfirmation_twoDataKeysOfOneScope_oneKmsCallConfirmsBoth() {
    cache(CachePolicy.builder().revalidateAfter(Duration.ofSeconds(60)).build(), Duration.ZERO);
    GeneratedDataKey g1 = kms.generateDataKey(keyArn, CTX); // e.g. written by two other instances
    GeneratedDataKey g2 = kms.generateDataKey(keyArn, CTX);
    assertFalse(decryptFromCache(g1, CTX));
    assertFalse(decryptFromCache(g2, CTX));
    assertEquals(2, kms.decryptCalls.get(), "two loads");
    ticker.advance(Duration.ofSeconds(48));
    assertTrue(decryptFromCache(g1, CTX));
    assertTrue(decryptFromCache(g2, CTX));
    assertEquals(1, executor.pending(), "one re-confirmation for the scope, not one per data key");
    assertEquals(1, executor.runAll());
    assertEquals(3, kms.decryptCalls.get());
    // Both were confirmed at 48 s: usable until 108 s (exclusive) without another call.
    ticker.advance(Duration.ofMillis(59_999));
    assertTrue(decryptFromCache(g1, CTX));
    assertTrue(decryptFromCache(g2, CTX));
    assertEquals(3, kms.decryptCalls.get());
  }

  @Test
  void load_confirmsEveryCachedEntryOfTheScope_encryptAndDecryptAlike() {
    cache(CachePolicy.builder().revalidateAfter(Duration.ofSeconds(60)).build(), Duration.ZERO);
    PlaintextDataKey first = use(1); // GenerateDataKey at 0 s
    ticker.advance(Duration.ofSeconds(50));
    GeneratedDataKey other = kms.generateDataKey(keyArn, CTX);
    assertFalse(decryptFromCache(other, CTX)); // a Decrypt load of the same scope at 50 s
    assertSame(first, use(1));
    assertEquals(0, executor.pending(), "the load at 50 s confirmed the encrypt-side entry too: nothing to refresh");
    ticker.advance(Duration.ofMillis(59_999)); // 50 s + 59.999 s: within revalidateAfter of the load
    assertSame(first, use(1), "usable past its own 60 s because its scope was confirmed at 50 s");
    ticker.advanceNanos(1_000_000); // 110 s: revalidateAfter after the scope's last confirmation
    assertNotSame(first, use(1), "never used revalidateAfter after the scope's last confirmation");
    assertTrue(first.isDestroyed());
  }

  @Test
  void confirmationOfAnotherScope_confirmsNothingHere() {
    cache(CachePolicy.builder().revalidateAfter(Duration.ofSeconds(60)).build(), Duration.ZERO);
    KeyArn otherKey = KeyArn.parse(kms.createKey("111122223333", "2234abcd-12ab-34cd-56ef-1234567890ab"));
    EncryptionContext otherContext = EncryptionContext.of(Map.of("tenant", "acme", "data-class", "files"));
    PlaintextDataKey first = use(1);
    ticker.advance(Duration.ofSeconds(30));
    GeneratedDataKey sameKeyOtherContext = kms.generateDataKey(keyArn, otherContext);
    assertFalse(decryptFromCache(sameKeyOtherContext, otherContext));
    GeneratedDataKey otherKeySameContext = kms.generateDataKey(otherKey, CTX);
    try (Lease<PlaintextDataKey> l = cache.decrypt("acme", otherKey, otherKeySameContext.encrypted(), CTX,
        (t, a, e, c) -> kms.decryptDataKey(a, e, c))) {
      assertFalse(l.fromCache());
    }
    ticker.advance(Duration.ofSeconds(30)); // 60 s after the only confirmation of (keyArn, CTX)
    assertNotSame(first, use(1), "a call for another context or another key does not confirm this scope");
  }

  @Test
  void reconfirmationFails_noEntryOfTheScopeOutlivesTheLastConfirmation() {
    cache(CachePolicy.builder().revalidateAfter(Duration.ofSeconds(60)).build(), Duration.ZERO);
    GeneratedDataKey g1 = kms.generateDataKey(keyArn, CTX);
    GeneratedDataKey g2 = kms.generateDataKey(keyArn, CTX);
    decryptFromCache(g1, CTX);
    decryptFromCache(g2, CTX);
    kms.outage("ThrottlingException");
    ticker.advance(Duration.ofSeconds(48));
    assertTrue(decryptFromCache(g1, CTX));
    assertEquals(1, executor.runAll(), "the scope's one re-confirmation, which fails");
    ticker.advance(Duration.ofMillis(11_999));
    assertTrue(decryptFromCache(g2, CTX));
    ticker.advanceNanos(1_000_000); // 60 s
    assertThrows(KeyServiceException.class, () -> decryptLease(g1, CTX));
    assertThrows(KeyServiceException.class, () -> decryptLease(g2, CTX));
  }

  @Test
  void retiredEntries_leaveNoHookOnTheirScope() {
    cache(CachePolicy.builder().maxMessages(1).build(), Duration.ZERO);
    for (int i = 0; i < 50; i++) {
      use(1); // each use retires the entry it used (maxMessages 1), the next loads a new one
    }
    cache.purge(keyArn, EncryptionContext.of("tenant", "nobody")); // nothing of this scope
    long live = cache.encryptEntries() + cache.decryptEntries(); // the last encrypt entry and the 50 twins
    assertEquals(live, cache.confirmationHooks(keyArn, CTX), "one hook per live entry, none of the 49 retired");
  }

  @Test
  void purgeAll_forgetsScopeConfirmations_aRestoredTickerReadingLessCannotStretchThem() {
    cache(CachePolicy.builder().revalidateAfter(Duration.ofSeconds(60)).build(), Duration.ZERO);
    use(1);
    ticker.advance(Duration.ofSeconds(50));
    assertEquals(1, cache.encryptEntries());
    cache.purgeAll(); // before a checkpoint
    ticker.advance(Duration.ofSeconds(-100)); // the restored process's ticker reads less than before
    PlaintextDataKey restored = use(1);
    ticker.advance(Duration.ofSeconds(60)); // revalidateAfter after the load that confirmed it
    assertNotSame(restored, use(1), "confirmed by its own load, not by the scope's confirmation of before the snapshot");
  }

  @Test
  void refreshAhead_jittered_startsIn75To80PercentOfRevalidateAfter() {
    CachePolicy policy = CachePolicy.builder().revalidateAfter(Duration.ofSeconds(100)).build();
    List<Long> startedAt = new ArrayList<>();
    for (long seed = 1; seed <= 20; seed++) {
      FakeTicker t = new FakeTicker();
      ManualExecutor ex = new ManualExecutor();
      CryptoSettings s = TestSettings.of(kms, policy, Duration.ZERO, t, ex, CryptoMetrics.noop());
      s = new CryptoSettings(s.keyService(), s.tenants(), s.cachePolicy(), s.revocationPolicy(), s.auditSink(),
          s.metrics(), s.ticker(), s.clock(), s.executor(), s.scheduler(), s.algorithmSuite(), s.frameLength(),
          s.allowSignedStreamingDecrypt(), OptionalLong.of(seed), s.cryptoProvider());
      try (DataKeyCache<PlaintextDataKey> c = new DataKeyCache<>(s, PlaintextDataKey::destroy,
          (tenant, arn, edk, ctx) -> kms.decryptDataKey(arn, edk, ctx).plaintext().destroy())) {
        c.encrypt("acme", keyArn, SUITE, CTX, 1, (x, a, ctx) -> load(ctx)).close();
        long start = t.read();
        while (ex.pending() == 0) {
          t.advance(Duration.ofMillis(100));
          c.encrypt("acme", keyArn, SUITE, CTX, 1, (x, a, ctx) -> load(ctx)).close();
        }
        startedAt.add((t.read() - start) / 1_000_000);
      }
    }
    for (long ms : startedAt) {
      assertTrue(ms >= 75_000 && ms <= 80_000, "refresh started at " + ms + " ms of 100,000");
    }
    assertTrue(startedAt.stream().distinct().count() >= 10, "the points differ between seeds: " + startedAt);
  }
}
