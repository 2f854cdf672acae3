package dev.byok.crypto.internal.cache;

import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyArn;
import dev.byok.crypto.CryptoMetrics;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices per-record encryption contexts, which defeat caching: per customer key and window,
 * counts the distinct contexts whose data keys had to be loaded from KMS and the uses of cached
 * keys. When a key loads at least {@link #MIN_CONTEXTS} distinct contexts in a window and its
 * cached keys serve on average fewer than two uses each, or it loads more contexts than the cache
 * holds entries, it reports a metric and logs a warning, at most once per
 * {@link #WARN_EVERY_WINDOWS} windows per key. Called on cache misses only (and a counter on hits),
 * so the hot path stays cheap. Thread-safe.
 */
final class ContextSpread {
  static final int MIN_CONTEXTS = 64;
  static final int WARN_EVERY_WINDOWS = 10;
  private static final int MAX_TRACKED = 100_000;
  private static final Logger LOG = LoggerFactory.getLogger(ContextSpread.class);

  private final long windowNanos;
  private final long maxEntries;
  private final CryptoMetrics metrics;
  private final ConcurrentHashMap<KeyArn, PerKey> keys = new ConcurrentHashMap<>();

  ContextSpread(long windowNanos, long maxEntries, CryptoMetrics metrics) {
    this.windowNanos = windowNanos;
    this.maxEntries = maxEntries;
    this.metrics = metrics;
  }

  private static final class PerKey {
    long windowStart;
    long lastWarnWindow = Long.MIN_VALUE / 2;
    long window;
    final LongAdder hits = new LongAdder();
    final Set<EncryptionContext> contexts = new HashSet<>();
  }

  /** A data key for {@code context} under {@code keyArn} was loaded from KMS. */
  void loaded(KeyArn keyArn, EncryptionContext context, long now) {
    PerKey k = keys.computeIfAbsent(keyArn, a -> {
      PerKey p = new PerKey();
      p.windowStart = now;
      return p;
    });
    synchronized (k) {
      roll(keyArn, k, now);
      if (k.contexts.size() < MAX_TRACKED) {
        k.contexts.add(context);
      }
    }
  }

  /** A cached data key under {@code keyArn} served a use. */
  void hit(KeyArn keyArn, long now) {
    PerKey k = keys.get(keyArn);
    if (k != null) {
      k.hits.increment();
    }
  }

  /** The distinct contexts loaded for {@code keyArn} in the current window (for tests). */
  int distinctContexts(KeyArn keyArn) {
    PerKey k = keys.get(keyArn);
    if (k == null) {
      return 0;
    }
    synchronized (k) {
      return k.contexts.size();
    }
  }

  private void roll(KeyArn keyArn, PerKey k, long now) {
    if (now - k.windowStart < windowNanos) {
      return;
    }
    int distinct = k.contexts.size();
    long hits = k.hits.sumThenReset();
    boolean perRecord = distinct >= MIN_CONTEXTS && hits < (long) distinct;
    boolean thrashing = distinct > maxEntries;
    metrics.contextSpread(keyArn, distinct);
    if ((perRecord || thrashing) && k.window - k.lastWarnWindow >= WARN_EVERY_WINDOWS) {
      k.lastWarnWindow = k.window;
      LOG.warn("customer key {} loaded data keys for {} distinct encryption contexts in one revalidation window "
          + "but served only {} cached uses{}: an encryption context per record defeats the data-key cache and "
          + "costs a KMS call per record. Keep the context to the scope of the data (tenant, data class).",
          keyArn, distinct, hits, thrashing ? " (more contexts than the cache's " + maxEntries + " entries)" : "");
    }
    k.window++;
    k.windowStart = now;
    k.contexts.clear();
  }
}
