package dev.byok.crypto.internal.cache;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * When AWS KMS last confirmed access to one scope, a customer key and an encryption context
 * (ticker nanoseconds), and the state of the scope's background re-confirmation. Every cached entry
 * of the scope (the encrypt-side entries and every decrypt-side entry, whatever its encrypted data
 * key) shares this one object, so one successful KMS call for the scope, a load or a
 * re-confirmation, confirms them all, and at most one re-confirmation of the scope runs at a time.
 *
 * <p>KMS evaluates access per key and encryption context (key state, key policy and grants,
 * {@code kms:EncryptionContext:} conditions), never per encrypted data key, so a Decrypt of any
 * data key of the scope confirms the scope.
 *
 * <p>The refresh-ahead point of each cycle is drawn by the {@link RefreshJitter} when the scope is
 * confirmed. Thread-safe.
 */
final class Confirmation {
  private final RefreshJitter jitter;
  private volatile long confirmedAt;
  private volatile long refreshAt;
  private volatile long nextAttemptAt;
  private volatile boolean lastRefreshFailed;
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private final Set<Runnable> onConfirmed = ConcurrentHashMap.newKeySet();

  /** A scope confirmed by a KMS call sent at {@code confirmedAt}. */
  Confirmation(long confirmedAt, RefreshJitter jitter) {
    this.jitter = jitter;
    this.confirmedAt = confirmedAt;
    this.refreshAt = confirmedAt + jitter.refreshAheadNanos();
    this.nextAttemptAt = confirmedAt;
  }

  long confirmedAt() {
    return confirmedAt;
  }

  boolean lastRefreshFailed() {
    return lastRefreshFailed;
  }

  /** Whether the scope's refresh-ahead point of this cycle has passed. */
  boolean refreshDue(long now) {
    return now - refreshAt >= 0;
  }

  /** Claims the one refresh of this scope; false if one is running or the last failed too recently. */
  boolean tryStartRefresh(long now) {
    return now - nextAttemptAt >= 0 && refreshing.compareAndSet(false, true);
  }

  /** Runs {@code hook} after each later confirmation (to extend the cache's expiry of an entry). */
  void addHook(Runnable hook) {
    onConfirmed.add(hook);
  }

  void removeHook(Runnable hook) {
    onConfirmed.remove(hook);
  }

  /** Hooks registered (for tests: retired entries must not accumulate). */
  int hooks() {
    return onConfirmed.size();
  }

  /**
   * KMS confirmed access to the scope by a call sent at {@code sentAt} (a load of any entry of the
   * scope). An older confirmation than the one known changes nothing.
   */
  void confirmed(long sentAt) {
    boolean newer;
    synchronized (this) {
      newer = sentAt - confirmedAt > 0;
      if (newer) {
        confirmedAt = sentAt;
        refreshAt = sentAt + jitter.refreshAheadNanos();
      }
      lastRefreshFailed = false;
    }
    if (newer) {
      for (Runnable r : onConfirmed) {
        r.run();
      }
    }
  }

  /** The scope's re-confirmation, sent at {@code sentAt}, succeeded. */
  void refreshSucceeded(long sentAt) {
    refreshing.set(false);
    confirmed(sentAt);
  }

  /** The re-confirmation failed; the next may start at {@code retryAt}. */
  void refreshFailed(long retryAt) {
    nextAttemptAt = retryAt;
    lastRefreshFailed = true;
    refreshing.set(false);
  }

  /** The refresh could not be started (executor rejected it). */
  void abandoned() {
    refreshing.set(false);
  }
}
