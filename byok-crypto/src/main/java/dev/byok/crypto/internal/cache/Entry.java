package dev.byok.crypto.internal.cache;

import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyArn;
import dev.byok.core.keys.EncryptedDataKey;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One cached data key: its materials (secret), where it came from, its usage counters, and a
 * reference count so that a key retired from the cache is destroyed only after the last message
 * that is using it has finished. Its {@link Confirmation} is its scope's, shared with every other
 * entry of the same customer key and encryption context. Thread-safe; {@code toString} shows no secret.
 *
 * @param <M> the materials: the format layer's encryption materials, or a plaintext data key
 */
final class Entry<M> {
  final String tenant;
  final KeyArn keyArn;
  final EncryptedDataKey edk;
  /** The context sent to KMS with this data key (the whole message context). */
  final EncryptionContext context;
  final long createdAt;
  final Confirmation confirmation;
  /** The KMS request ID of the call that produced this key, for the first use's audit event. */
  final String requestId;

  private final M materials;
  private final Consumer<? super M> destroyer;
  private final AtomicLong messages = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicInteger refs = new AtomicInteger(1); // 1 = the cache's own reference
  private final AtomicBoolean retired = new AtomicBoolean();
  private volatile Runnable confirmationHook;
  /** Non-null for the marker of a failed load, which waiters on that load rethrow. */
  final RuntimeException failure;

  Entry(String tenant, KeyArn keyArn, EncryptedDataKey edk, EncryptionContext context, long createdAt,
      Confirmation confirmation, String requestId, M materials, Consumer<? super M> destroyer) {
    this.tenant = tenant;
    this.keyArn = keyArn;
    this.edk = edk;
    this.context = context;
    this.createdAt = createdAt;
    this.confirmation = confirmation;
    this.requestId = requestId;
    this.materials = materials;
    this.destroyer = destroyer;
    this.failure = null;
  }

  private Entry(RuntimeException failure) {
    this.tenant = null;
    this.keyArn = null;
    this.edk = null;
    this.context = null;
    this.createdAt = 0;
    this.confirmation = null;
    this.requestId = null;
    this.materials = null;
    this.destroyer = m -> { };
    this.failure = failure;
  }

  /** The marker of a failed load (never stored in a cache). */
  static <M> Entry<M> failedLoad(RuntimeException failure) {
    return new Entry<>(failure);
  }

  M materials() {
    return materials;
  }

  /**
   * Counts one use of {@code length} bytes against the limits; false when the use would exceed
   * one (the caller then retires this entry). Lock-free; the limits are never exceeded.
   */
  boolean tryCount(long length, long maxMessages, long maxBytes) {
    if (messages.incrementAndGet() > maxMessages) {
      return false;
    }
    return length <= 0 || bytes.addAndGet(length) <= maxBytes;
  }

  long messagesCounted() {
    return Math.min(messages.get(), Long.MAX_VALUE);
  }

  /** Takes a reference; false once the entry has been retired and destroyed. */
  boolean acquire() {
    for (;;) {
      int r = refs.get();
      if (r <= 0) {
        return false;
      }
      if (refs.compareAndSet(r, r + 1)) {
        return true;
      }
    }
  }

  void release() {
    if (refs.decrementAndGet() == 0) {
      destroyer.accept(materials);
    }
  }

  /**
   * Runs {@code hook} whenever the scope is confirmed again, until this entry is retired (the
   * scope's confirmation outlives its entries, so it must not keep theirs).
   */
  void watchConfirmation(Runnable hook) {
    confirmationHook = hook;
    confirmation.addHook(hook);
    if (retired.get()) {
      confirmation.removeHook(hook);
    }
  }

  /** The cache dropped this entry: destroy the key once no message is using it. */
  void retire() {
    if (retired.compareAndSet(false, true)) {
      Runnable hook = confirmationHook;
      if (hook != null) {
        confirmation.removeHook(hook);
      }
      release();
    }
  }

  boolean isRetired() {
    return retired.get();
  }

  @Override
  public String toString() {
    return "Entry{keyArn=" + keyArn + ", context=" + context + ", messages=" + messages.get() + ", key=redacted}";
  }
}
