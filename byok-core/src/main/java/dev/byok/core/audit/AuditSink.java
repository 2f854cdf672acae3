package dev.byok.core.audit;

import java.time.Duration;

/**
 * Where {@link KeyUseEvent}s go. Implementations never drop an event silently: an event they cannot
 * deliver is kept (queued, spilled to a file) or reported by {@link #close(Duration)}.
 *
 * <p>{@link #emit} is called on the encrypt/decrypt path and must be cheap: enqueue, don't
 * deliver. Implementations are thread-safe.
 */
public interface AuditSink extends AutoCloseable {

  /** Accepts one event for delivery. */
  void emit(KeyUseEvent event);

  /** Delivers what is queued, waiting at most {@code timeout}; returns whether all was delivered. */
  default boolean flush(Duration timeout) {
    return true;
  }

  /**
   * Flushes within {@code timeout} and releases resources.
   *
   * @return how many events were accepted but not delivered (kept in a spill file where the sink
   *     has one); 0 when all were delivered
   */
  default long close(Duration timeout) {
    flush(timeout);
    return 0;
  }

  /** {@link #close(Duration)} with a 10-second timeout. */
  @Override
  default void close() {
    close(Duration.ofSeconds(10));
  }

  /** A sink that discards every event; for when auditing is deliberately off. */
  static AuditSink noop() {
    return event -> { };
  }
}
