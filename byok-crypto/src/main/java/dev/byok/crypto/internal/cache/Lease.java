package dev.byok.crypto.internal.cache;

import dev.byok.core.keys.EncryptedDataKey;
import org.jspecify.annotations.Nullable;

/**
 * One message's use of a data key: the materials, whether they came from the cache or from a KMS
 * call made for this message (and its request ID), and {@link #close()}, which must be called
 * exactly once when the message is done. Not thread-safe; {@code toString} shows no secret.
 *
 * @param <M> the materials type
 */
public final class Lease<M> implements AutoCloseable {
  private final Entry<M> entry;
  private final boolean fromCache;
  private boolean closed;

  Lease(Entry<M> entry, boolean fromCache) {
    this.entry = entry;
    this.fromCache = fromCache;
  }

  /** The materials; valid until {@link #close()}. */
  public M materials() {
    if (closed) {
      throw new IllegalStateException("lease already closed");
    }
    return entry.materials();
  }

  /** Whether the data key came from the cache (no KMS call for this message). */
  public boolean fromCache() {
    return fromCache;
  }

  /** The request ID of the KMS call made for this message, or {@code null} when none was made. */
  public @Nullable String kmsRequestId() {
    return fromCache ? null : entry.requestId;
  }

  /** The encrypted data key of these materials. */
  public EncryptedDataKey encryptedDataKey() {
    return entry.edk;
  }

  /** Ends this use; the key is destroyed if the cache has dropped it and no one else uses it. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      entry.release();
    }
  }

  @Override
  public String toString() {
    return "Lease{" + entry + ", fromCache=" + fromCache + "}";
  }
}
