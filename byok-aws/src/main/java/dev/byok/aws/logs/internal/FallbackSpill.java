package dev.byok.aws.logs.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The spill store of a sink that was given no spill directory: opened at the
 * {@link DefaultSpillLocation} the first time an event must be kept (left at close, or refused for
 * good), closed with the sink. Thread-safe.
 */
final class FallbackSpill {
  private final String instanceId;
  private final Clock clock;
  private SpillStore store;
  private boolean unusable;

  FallbackSpill(String instanceId, Clock clock) {
    this.instanceId = instanceId;
    this.clock = clock;
  }

  /** The store, opened now if needed; {@code null} when it cannot be opened (said once, at ERROR and on stderr). */
  synchronized SpillStore store() {
    if (store == null && !unusable) {
      Path dir = DefaultSpillLocation.forInstance(instanceId);
      try {
        OwnerOnly.directory(dir.getParent());
        store = new SpillStore(dir, clock);
      } catch (IOException | RuntimeException e) {
        unusable = true;
        String why = "the default audit spill directory " + dir + " cannot be used (" + e.getMessage()
            + "); set spillDirectory on the sink, or the system property " + DefaultSpillLocation.PROPERTY;
        DeliveryEngine.LOG.error(why);
        NoLoggingProvider.important(why);
      }
    }
    return store;
  }

  /** Closes the store if it was opened. */
  synchronized void close() {
    if (store != null) {
      try {
        store.close();
      } catch (IOException e) {
        DeliveryEngine.LOG.error("audit: closing the default spill directory {} failed: {}", store.directory(), e.toString());
      }
    }
  }
}
