package dev.byok.crypto.internal.cache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyArn;
import dev.byok.core.keys.DecryptedDataKey;
import dev.byok.core.keys.EncryptedDataKey;
import dev.byok.core.keys.PlaintextDataKey;
import dev.byok.crypto.CachePolicy;
import dev.byok.crypto.CryptoMetrics;
import dev.byok.crypto.Ticker;
import dev.byok.crypto.internal.CryptoSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data-key caches (Caffeine): encrypt side, one entry per (customer key, suite, encryption
 * context); decrypt side, one plaintext data key per (customer key, encrypted data key, encryption
 * context). Knows nothing of KMS: loaders and the {@link Refresher} make the calls.
 *
 * <p><b>Limits</b> (the AWS Encryption SDK caching manager's semantics): an encrypt entry serves at
 * most {@code maxMessages} messages and {@code maxBytes} plaintext bytes; the use that would exceed
 * either retires the entry and gets a fresh key. An entry is not used once {@code maxAge} old.
 * Messages of unknown size, or larger than {@code maxBytes}, get a fresh, uncached key.
 *
 * <p><b>Revalidation invariant</b>: no cached data key is used {@code revalidateAfter} or more after
 * KMS last confirmed access to its <em>scope</em>, its customer key and encryption context (by
 * any successful call for that scope: the load of any entry of the scope, or a re-confirmation).
 * Confirmations are coalesced per scope: every entry of a scope, encrypt and decrypt side, whatever
 * its encrypted data key, shares one {@link Confirmation}, so one KMS call confirms them all and at
 * most one re-confirmation of the scope is in flight. A use past the scope's refresh-ahead point
 * (drawn per cycle in [75%, 80%) of {@code revalidateAfter}, or 80% without jitter; see
 * {@link RefreshJitter}) starts that one background re-confirmation on the executor, unless it
 * would keep the entry alive less than a quarter of {@code revalidateAfter} longer than its
 * {@code maxAge} allows (the entry is then reloaded at its hard expiry instead); at the hard expiry
 * the entry is dropped and the next use loads from KMS. With an {@code outageGrace}, a stale entry
 * whose synchronous re-confirmation fails with a transient error may serve up to
 * {@code outageGrace} longer (logged).
 *
 * <p><b>Concurrent misses</b> for one entry make one load: the first caller loads on its own thread,
 * the others wait for its result (and share its failure).
 *
 * <p>Keys are zeroed when dropped, once no message is using them. Time is the injected
 * {@link Ticker}. Thread-safe.
 *
 * @param <M> the encrypt-side materials type
 */
public final class DataKeyCache<M> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DataKeyCache.class);
  private static final long GRACE_WARN_EVERY_NANOS = Duration.ofSeconds(10).toNanos();
  private static final int MAX_ATTEMPTS = 64;

  /** Re-confirms with KMS that access to a data key still holds. */
  @FunctionalInterface
  public interface Refresher {
    /**
     * Returns normally when KMS confirmed access; throws otherwise (and handles revocation itself).
     */
    void reconfirm(String tenant, KeyArn keyArn, EncryptedDataKey edk, EncryptionContext context);
  }

  /**
   * Loads fresh encrypt-side materials from KMS on a miss. Takes its arguments rather than
   * capturing them, so one shared loader serves every call without an allocation per call.
   */
  @FunctionalInterface
  public interface EncryptLoader<M> {
    Loaded<M> load(String tenant, KeyArn keyArn, EncryptionContext context);
  }

  /** Unwraps a data key with KMS on a decrypt-side miss. */
  @FunctionalInterface
  public interface DecryptLoader {
    DecryptedDataKey load(String tenant, KeyArn keyArn, EncryptedDataKey edk, EncryptionContext context);
  }

  /**
   * What an {@link EncryptLoader} produced.
   *
   * @param materials the encryption materials (owned by the cache from now on)
   * @param edk the data key as wrapped by KMS
   * @param kmsContext the context KMS was given (the whole message context)
   * @param twinKey a copy of the plaintext data key for the decrypt side, so messages written
   *     with it decrypt without a KMS call; {@code null} for none. Owned by the cache.
   * @param requestId the KMS request ID
   * @param <M> the materials type
   */
  public record Loaded<M>(M materials, EncryptedDataKey edk, EncryptionContext kmsContext,
      @Nullable PlaintextDataKey twinKey, @Nullable String requestId) {
    /** Checks the required parts. */
    public Loaded {
      Objects.requireNonNull(materials, "materials");
      Objects.requireNonNull(edk, "edk");
      Objects.requireNonNull(kmsContext, "kmsContext");
    }
  }

  private final long maxAgeNanos;
  private final long maxMessages;
  private final long maxBytes;
  private final long revalidateNanos;
  private final long minRefreshGainNanos;
  private final long retryRefreshNanos;
  private final long graceNanos;
  private final Ticker ticker;
  private final Executor refreshExecutor;
  private final Consumer<? super M> destroyer;
  private final Refresher refresher;
  private final CryptoMetrics metrics;
  private final ContextSpread spread;
  private final AsyncCache<EncryptKey, Entry<M>> encryptCache;
  private final AsyncCache<DecryptKey, Entry<PlaintextDataKey>> decryptCache;
  private final RefreshJitter jitter;
  /** One confirmation per scope, held weakly: it lives as long as an entry of its scope does. */
  private final Cache<Scope, Confirmation> scopes;
  private final AtomicLong lastGraceWarn = new AtomicLong(Long.MIN_VALUE / 2);

  /**
   * @param settings the limits ({@code cachePolicy}), the outage grace, the ticker, the executor of
   *     background re-confirmations and the metrics
   * @param destroyer zeroes encrypt-side materials when dropped
   * @param refresher re-confirms access with KMS
   */
  public DataKeyCache(CryptoSettings settings, Consumer<? super M> destroyer, Refresher refresher) {
    CachePolicy policy = settings.cachePolicy();
    Duration outageGrace = settings.revocationPolicy().outageGrace();
    Ticker ticker = settings.ticker();
    CryptoMetrics metrics = settings.metrics();
    this.maxAgeNanos = saturatedNanos(policy.maxAge());
    this.maxMessages = policy.maxMessages();
    this.maxBytes = policy.maxBytes();
    this.revalidateNanos = policy.revalidateAfter().toNanos();
    this.minRefreshGainNanos = revalidateNanos / 4;
    this.retryRefreshNanos = revalidateNanos / 10;
    this.graceNanos = saturatedNanos(outageGrace);
    this.ticker = ticker;
    this.refreshExecutor = settings.executor();
    this.destroyer = Objects.requireNonNull(destroyer, "destroyer");
    this.refresher = Objects.requireNonNull(refresher, "refresher");
    this.metrics = metrics;
    this.spread = new ContextSpread(revalidateNanos, policy.maxEntries(), metrics);
    this.jitter = new RefreshJitter(revalidateNanos, settings.refreshJitterSeed());
    this.scopes = Caffeine.newBuilder().weakValues().executor(Runnable::run).build();
    this.encryptCache = Caffeine.newBuilder().maximumSize(policy.maxEntries()).ticker(ticker::read)
        .executor(Runnable::run) // removal (and so zeroing) happens at once, on the removing thread
        .expireAfter(new EntryExpiry<EncryptKey, M>())
        .removalListener((EncryptKey k, Entry<M> e, com.github.benmanes.caffeine.cache.RemovalCause c) -> {
          if (e != null) {
            e.retire();
          }
        }).buildAsync();
    this.decryptCache = Caffeine.newBuilder().maximumSize(policy.maxEntries()).ticker(ticker::read)
        .executor(Runnable::run)
        .expireAfter(new EntryExpiry<DecryptKey, PlaintextDataKey>())
        .removalListener((DecryptKey k, Entry<PlaintextDataKey> e, com.github.benmanes.caffeine.cache.RemovalCause c) -> {
          if (e != null) {
            e.retire();
          }
        }).buildAsync();
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 4;
    }
  }

  /** Caffeine drops entries at their hard expiry (age or revalidation), so stale keys don't linger. */
  private final class EntryExpiry<K, T> implements Expiry<K, Entry<T>> {
    @Override
    public long expireAfterCreate(K key, Entry<T> e, long now) {
      return remaining(e, now);
    }

    @Override
    public long expireAfterUpdate(K key, Entry<T> e, long now, long current) {
      return remaining(e, now);
    }

    @Override
    public long expireAfterRead(K key, Entry<T> e, long now, long current) {
      return remaining(e, now);
    }
  }

  private long remaining(Entry<?> e, long now) {
    long byAge = e.createdAt + maxAgeNanos - now;
    long byConfirmation = e.confirmation.confirmedAt() + revalidateNanos + graceNanos - now;
    return Math.max(0, Math.min(byAge, byConfirmation));
  }

  // ---------------------------------------------------------------------------------- encrypt side

  /**
   * A data key for one message of {@code plaintextBytes} bytes ({@code -1} if unknown) under
   * {@code keyArn}, {@code suite} and {@code context}: cached, or loaded with {@code loader}.
   * Exceptions of the loader pass through.
   */
  public Lease<M> encrypt(String tenant, KeyArn keyArn, Object suite, EncryptionContext context, long plaintextBytes,
      EncryptLoader<M> loader) {
    if (plaintextBytes < 0 || plaintextBytes > maxBytes) {
      return uncached(tenant, keyArn, context, loader);
    }
    EncryptKey key = new EncryptKey(keyArn, suite, context);
    ConcurrentMap<EncryptKey, CompletableFuture<Entry<M>>> map = encryptCache.asMap();
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      CompletableFuture<Entry<M>> f = encryptCache.getIfPresent(key);
      boolean loadedHere = false;
      if (f == null) {
        CompletableFuture<Entry<M>> mine = new CompletableFuture<>();
        f = map.putIfAbsent(key, mine);
        if (f == null) {
          f = mine;
          loadedHere = true;
          load(key, mine, map, () -> newEncryptEntry(tenant, keyArn, context, loader));
        }
      }
      Entry<M> e = loadedHere ? f.join() : join(f);
      long now = ticker.read();
      // Reference first, then count: a counted use always holds the key, so no slot is wasted.
      if (!usableBy(e, now, loadedHere) || !e.acquire()) {
        map.remove(key, f);
        continue;
      }
      if (!e.tryCount(plaintextBytes, maxMessages, maxBytes)) {
        e.release();
        map.remove(key, f);
        continue;
      }
      if (loadedHere) {
        metrics.cacheMiss(CryptoMetrics.Side.ENCRYPT);
        spread.loaded(keyArn, context, now);
        e.watchConfirmation(() -> extendExpiry(encryptCache, key, e));
        if (!map.containsKey(key)) {
          e.retire(); // purged while loading: zero it after this message
        }
      } else {
        metrics.cacheHit(CryptoMetrics.Side.ENCRYPT);
        spread.hit(keyArn, now);
        maybeRefresh(e, now);
      }
      return new Lease<>(e, !loadedHere);
    }
    throw new IllegalStateException("data-key cache: no usable entry after " + MAX_ATTEMPTS + " attempts");
  }

  private Lease<M> uncached(String tenant, KeyArn keyArn, EncryptionContext context, EncryptLoader<M> loader) {
    Entry<M> e = newEncryptEntry(tenant, keyArn, context, loader);
    metrics.cacheMiss(CryptoMetrics.Side.ENCRYPT);
    e.acquire();
    e.retire();
    return new Lease<>(e, false);
  }

  private Entry<M> newEncryptEntry(String tenant, KeyArn keyArn, EncryptionContext context, EncryptLoader<M> loader) {
    long sentAt = ticker.read();
    Loaded<M> l = loader.load(tenant, keyArn, context);
    Confirmation c = confirmScope(keyArn, l.kmsContext(), sentAt);
    Entry<M> e = new Entry<>(tenant, keyArn, l.edk(), l.kmsContext(), sentAt, c, l.requestId(), l.materials(), destroyer);
    PlaintextDataKey twinPlaintext = l.twinKey();
    if (twinPlaintext != null) {
      Entry<PlaintextDataKey> twin = new Entry<>(tenant, keyArn, l.edk(), l.kmsContext(), sentAt, c, l.requestId(),
          twinPlaintext, PlaintextDataKey::destroy);
      DecryptKey twinKey = new DecryptKey(keyArn, l.edk(), l.kmsContext());
      if (decryptCache.asMap().putIfAbsent(twinKey, CompletableFuture.completedFuture(twin)) != null) {
        twin.retire();
      } else {
        twin.watchConfirmation(() -> extendExpiry(decryptCache, twinKey, twin));
      }
    }
    return e;
  }

  // ---------------------------------------------------------------------------------- decrypt side

  /**
   * The plaintext of {@code edk} under {@code keyArn} and {@code context} (the message's whole
   * context): cached, or unwrapped with {@code loader}. Exceptions of the loader pass through.
   */
  public Lease<PlaintextDataKey> decrypt(String tenant, KeyArn keyArn, EncryptedDataKey edk, EncryptionContext context,
      DecryptLoader loader) {
    DecryptKey key = new DecryptKey(keyArn, edk, context);
    ConcurrentMap<DecryptKey, CompletableFuture<Entry<PlaintextDataKey>>> map = decryptCache.asMap();
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      CompletableFuture<Entry<PlaintextDataKey>> f = decryptCache.getIfPresent(key);
      boolean loadedHere = false;
      if (f == null) {
        CompletableFuture<Entry<PlaintextDataKey>> mine = new CompletableFuture<>();
        f = map.putIfAbsent(key, mine);
        if (f == null) {
          f = mine;
          loadedHere = true;
          load(key, mine, map, () -> {
            long sentAt = ticker.read();
            DecryptedDataKey d = loader.load(tenant, keyArn, edk, context);
            return new Entry<>(tenant, keyArn, edk, context, sentAt, confirmScope(keyArn, context, sentAt),
                d.requestId(), d.plaintext(), PlaintextDataKey::destroy);
          });
        }
      }
      Entry<PlaintextDataKey> e = loadedHere ? f.join() : join(f);
      long now = ticker.read();
      if (!usableBy(e, now, loadedHere) || !e.acquire()) {
        map.remove(key, f);
        continue;
      }
      if (loadedHere) {
        metrics.cacheMiss(CryptoMetrics.Side.DECRYPT);
        e.watchConfirmation(() -> extendExpiry(decryptCache, key, e));
        if (!map.containsKey(key)) {
          e.retire();
        }
      } else {
        metrics.cacheHit(CryptoMetrics.Side.DECRYPT);
        maybeRefresh(e, now);
      }
      return new Lease<>(e, !loadedHere);
    }
    throw new IllegalStateException("data-key cache: no usable entry after " + MAX_ATTEMPTS + " attempts");
  }

  // ------------------------------------------------------------------------------------- shared

  private interface EntrySupplier<T> {
    Entry<T> get();
  }

  /**
   * Loads into {@code mine}. A failure is removed from the map first and then completes the future
   * normally with a failure marker, which the waiters rethrow: Caffeine never sees a failed future
   * (it would log each one) and never stores a failure.
   */
  private static <K, T> void load(K key, CompletableFuture<Entry<T>> mine, ConcurrentMap<K, CompletableFuture<Entry<T>>> map,
      EntrySupplier<T> supplier) {
    Entry<T> e;
    try {
      e = supplier.get();
    } catch (RuntimeException t) {
      map.remove(key, mine);
      mine.complete(Entry.failedLoad(t));
      throw t;
    } catch (Error t) {
      map.remove(key, mine);
      mine.complete(Entry.failedLoad(new IllegalStateException("data-key load failed", t)));
      throw t;
    }
    mine.complete(e);
  }

  private static <T> Entry<T> join(CompletableFuture<Entry<T>> f) {
    Entry<T> e;
    try {
      e = f.join();
    } catch (CompletionException ex) {
      Throwable c = ex.getCause();
      if (c instanceof RuntimeException) {
        throw (RuntimeException) c;
      }
      throw ex;
    }
    if (e.failure != null) {
      throw e.failure; // the failure of the load this call waited for (e.g. the key was revoked)
    }
    return e;
  }

  /**
   * The caller that loaded an entry uses it once even when the KMS call itself took longer than
   * maxAge or revalidateAfter: KMS has just confirmed access, and refusing would make every call fail
   * whenever the round trip outlasts a (tiny) maxAge. Other callers apply {@link #usable}.
   */
  private boolean usableBy(Entry<?> e, long now, boolean loadedHere) {
    return loadedHere ? !e.isRetired() : usable(e, now);
  }

  /** Within maxAge and the revalidation rule (with a synchronous re-confirmation under outage grace). */
  private boolean usable(Entry<?> e, long now) {
    if (e.isRetired() || now - e.createdAt >= maxAgeNanos) {
      return false;
    }
    Confirmation c = e.confirmation;
    long sinceConfirmed = now - c.confirmedAt();
    if (sinceConfirmed < revalidateNanos) {
      return true;
    }
    if (graceNanos == 0 || sinceConfirmed >= revalidateNanos + graceNanos) {
      return false;
    }
    if (c.tryStartRefresh(now)) {
      runRefresh(e); // on the caller's thread: the key is stale, so we must know now
    }
    if (e.isRetired()) {
      return false; // the re-confirmation found the key revoked and purged it
    }
    long since = ticker.read() - c.confirmedAt();
    if (since < revalidateNanos) {
      return true;
    }
    if (c.lastRefreshFailed() && since < revalidateNanos + graceNanos) {
      long last = lastGraceWarn.get();
      if (now - last >= GRACE_WARN_EVERY_NANOS && lastGraceWarn.compareAndSet(last, now)) {
        LOG.warn("outageGrace in use: serving a cached data key of customer key {} {} ms after KMS last confirmed access "
            + "(revalidateAfter {} ms) because KMS answers with transient errors", e.keyArn, since / 1_000_000,
            revalidateNanos / 1_000_000);
      }
      return true;
    }
    return false;
  }

  /**
   * The scope of a successful KMS call sent at {@code sentAt} is confirmed: every entry of it may be
   * used until {@code sentAt + revalidateAfter}. Returns the scope's confirmation.
   */
  private Confirmation confirmScope(KeyArn keyArn, EncryptionContext context, long sentAt) {
    Confirmation c = scopes.get(new Scope(keyArn, context), s -> new Confirmation(sentAt, jitter));
    c.confirmed(sentAt);
    return c;
  }

  private void maybeRefresh(Entry<?> e, long now) {
    Confirmation c = e.confirmation;
    if (!c.refreshDue(now)) {
      return;
    }
    // Not worth a KMS call when this entry dies of age (nearly) when its confirmation runs out:
    // it is reloaded at its hard expiry instead. Another entry of the scope may still refresh it.
    if (e.createdAt + maxAgeNanos - (c.confirmedAt() + revalidateNanos) < minRefreshGainNanos) {
      return;
    }
    if (!c.tryStartRefresh(now)) {
      return;
    }
    try {
      refreshExecutor.execute(() -> runRefresh(e));
    } catch (RejectedExecutionException ex) {
      c.abandoned();
    }
  }

  /** After a re-confirmation: Caffeine's expiry of {@code e} moves with its confirmation. */
  private <K, T> void extendExpiry(AsyncCache<K, Entry<T>> cache, K key, Entry<T> e) {
    CompletableFuture<Entry<T>> f = cache.asMap().get(key);
    if (f != null && f.getNow(null) == e) {
      cache.synchronous().policy().expireVariably().ifPresent(
          p -> p.setExpiresAfter(key, remaining(e, ticker.read()), TimeUnit.NANOSECONDS));
    }
  }

  private void runRefresh(Entry<?> e) {
    long sentAt = ticker.read();
    try {
      refresher.reconfirm(e.tenant, e.keyArn, e.edk, e.context);
      e.confirmation.refreshSucceeded(sentAt);
    } catch (RuntimeException ex) {
      e.confirmation.refreshFailed(ticker.read() + retryRefreshNanos);
      LOG.debug("re-confirmation of a data key of {} failed: {}", e.keyArn, ex.toString());
    }
  }

  /**
   * Drops (and zeroes) every cached key of {@code keyArn}, or only those whose context contains
   * every pair of {@code scope} when it is not {@code null}.
   */
  public void purge(KeyArn keyArn, @Nullable EncryptionContext scope) {
    encryptCache.asMap().keySet().removeIf(k -> k.keyArn.equals(keyArn) && (scope == null || k.context.containsAll(scope)));
    decryptCache.asMap().keySet().removeIf(k -> k.keyArn.equals(keyArn) && (scope == null || k.context.containsAll(scope)));
    // After a revocation only a new KMS call may confirm these scopes again.
    scopes.asMap().keySet().removeIf(s -> s.keyArn.equals(keyArn) && (scope == null || s.context.containsAll(scope)));
  }

  /**
   * Drops (and zeroes) every cached key of every customer key, as {@link #close()} does, but the cache
   * stays in use: for a checkpoint or a restore from a snapshot, where the ticker's deadlines do not
   * tell how long the process was frozen.
   */
  public void purgeAll() {
    encryptCache.synchronous().invalidateAll();
    decryptCache.synchronous().invalidateAll();
    // The scopes' confirmation times are ticker readings of before the snapshot: only a new KMS call
    // may confirm a scope again (a restored process's ticker may even read less than they do).
    scopes.invalidateAll();
  }

  /** Entries in the encrypt-side cache (approximate; for tests and metrics). */
  public long encryptEntries() {
    encryptCache.synchronous().cleanUp();
    return encryptCache.synchronous().estimatedSize();
  }

  /** Entries in the decrypt-side cache (approximate; for tests and metrics). */
  public long decryptEntries() {
    decryptCache.synchronous().cleanUp();
    return decryptCache.synchronous().estimatedSize();
  }

  /** Confirmation hooks registered on the scope of {@code keyArn} and {@code context}; -1 if none (for tests). */
  int confirmationHooks(KeyArn keyArn, EncryptionContext context) {
    Confirmation c = scopes.getIfPresent(new Scope(keyArn, context));
    return c == null ? -1 : c.hooks();
  }

  /** Distinct contexts loaded for {@code keyArn} in the current window (for tests). */
  int distinctContexts(KeyArn keyArn) {
    return spread.distinctContexts(keyArn);
  }

  /** Drops and zeroes every cached key. */
  @Override
  public void close() {
    encryptCache.synchronous().invalidateAll();
    decryptCache.synchronous().invalidateAll();
    scopes.invalidateAll();
  }

  @Override
  public String toString() {
    return "DataKeyCache{encryptEntries=" + encryptCache.synchronous().estimatedSize() + ", decryptEntries="
        + decryptCache.synchronous().estimatedSize() + "}";
  }

  /** A confirmation scope: a customer key and the whole encryption context KMS was given. */
  private record Scope(KeyArn keyArn, EncryptionContext context) {}

  /** Encrypt-side cache key. */
  static final class EncryptKey {
    final KeyArn keyArn;
    final Object suite;
    final EncryptionContext context;
    private final int hash;

    EncryptKey(KeyArn keyArn, Object suite, EncryptionContext context) {
      this.keyArn = keyArn;
      this.suite = suite;
      this.context = context;
      this.hash = (keyArn.hashCode() * 31 + suite.hashCode()) * 31 + context.hashCode();
    }

    @Override
    public boolean equals(@Nullable Object o) {
      if (!(o instanceof EncryptKey)) {
        return false;
      }
      EncryptKey k = (EncryptKey) o;
      return hash == k.hash && keyArn.equals(k.keyArn) && suite.equals(k.suite) && context.equals(k.context);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** Decrypt-side cache key. */
  static final class DecryptKey {
    final KeyArn keyArn;
    final EncryptedDataKey edk;
    final EncryptionContext context;
    private final int hash;

    DecryptKey(KeyArn keyArn, EncryptedDataKey edk, EncryptionContext context) {
      this.keyArn = keyArn;
      this.edk = edk;
      this.context = context;
      this.hash = (keyArn.hashCode() * 31 + edk.hashCode()) * 31 + context.hashCode();
    }

    @Override
    public boolean equals(@Nullable Object o) {
      if (!(o instanceof DecryptKey)) {
        return false;
      }
      DecryptKey k = (DecryptKey) o;
      return hash == k.hash && keyArn.equals(k.keyArn) && edk.equals(k.edk) && context.equals(k.context);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
