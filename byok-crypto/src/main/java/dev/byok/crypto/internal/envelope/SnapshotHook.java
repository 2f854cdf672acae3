package dev.byok.crypto.internal.envelope;

import dev.byok.core.internal.EventIds;
import dev.byok.crypto.internal.cache.DataKeyCache;
import dev.byok.crypto.internal.revocation.RevocationMonitor;
import org.crac.Context;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one {@code TenantCrypto} does around a checkpoint and after a restore (CRaC, AWS Lambda
 * SnapStart), registered with {@code org.crac}'s global context (a no-op on JDKs without CRaC).
 *
 * <ul>
 *   <li>Before the checkpoint: every cached plaintext data key is dropped and zeroed, so none is in
 *       the snapshot image.
 *   <li>After the restore: the event-ID nonce is renewed (IDs stay unique across copies restored from
 *       one image); the data-key caches are purged again (a key loaded in between would otherwise be
 *       live in every copy, with deadlines of a ticker that did not advance across the gap, and the
 *       copies' repeated message IDs would then reuse GCM nonces); every revoked key or scope is
 *       probed at once and its probe schedule re-based. Message-ID randomness renews itself through
 *       its own hook.
 * </ul>
 *
 * <p>org.crac holds resources weakly: the owning {@link EnvelopeCrypto} keeps this object.
 * Thread-safe.
 */
final class SnapshotHook implements Resource {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotHook.class);

  private final DataKeyCache<?> cache;
  private final RevocationMonitor monitor;

  SnapshotHook(DataKeyCache<?> cache, RevocationMonitor monitor) {
    this.cache = cache;
    this.monitor = monitor;
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    cache.purgeAll();
    LOG.info("checkpoint: cached data keys dropped and zeroed");
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    EventIds.renew();
    cache.purgeAll();
    int probes = monitor.afterRestore();
    LOG.info("restored from a snapshot: event-ID nonce renewed, cached data keys purged, {} revocation probe(s) re-based",
        probes);
  }

  @Override
  public String toString() {
    return "byok TenantCrypto snapshot hook";
  }
}
