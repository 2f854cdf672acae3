package dev.byok.crypto.internal.cache;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * When AWS KMS last confirmed access to one data key (ticker nanoseconds), and the state of its
 * background re-confirmation. Shared by an encrypt-side entry and its decrypt-side twin, so one
 * refresh confirms both. Thread-safe.
 */
final class Confirmation {
  private volatile long confirmedAt;
  private volatile long nextAttemptAt;
  private volatile boolean lastRefreshFailed;
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private final List<Runnable> onConfirmed = new CopyOnWriteArrayList<>();

  Confirmation(long confirmedAt) {
    this.confirmedAt = confirmedAt;
    this.nextAttemptAt = confirmedAt;
  }

  long confirmedAt() {
    return confirmedAt;
  }

  boolean lastRefreshFailed() {
    return lastRefreshFailed;
  }

  /** Claims the one refresh of this key; false if one is running or the last failed too recently. */
  boolean tryStartRefresh(long now) {
    return now - nextAttemptAt >= 0 && refreshing.compareAndSet(false, true);
  }

  /** Runs {@code hook} after each re-confirmation (to extend the cache's expiry of an entry). */
  void onConfirmed(Runnable hook) {
    onConfirmed.add(hook);
  }

  /** KMS confirmed access by a call sent at {@code sentAt}. */
  void confirmed(long sentAt) {
    if (sentAt - confirmedAt > 0) {
      confirmedAt = sentAt;
    }
    lastRefreshFailed = false;
    refreshing.set(false);
    for (Runnable r : onConfirmed) {
      r.run();
    }
  }

  /** A refresh failed; the next may start at {@code retryAt}. */
  void failed(long retryAt) {
    nextAttemptAt = retryAt;
    lastRefreshFailed = true;
    refreshing.set(false);
  }

  /** The refresh could not be started (executor rejected it). */
  void abandoned() {
    refreshing.set(false);
  }
}
