package dev.byok.crypto.audit;

import dev.byok.core.audit.AuditSink;
import dev.byok.core.audit.KeyUseEvent;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.ToLongBiFunction;

/**
 * Sends every event to several sinks, in order (for example CloudWatch Logs and a local JSON-lines
 * file). One sink's failure does not keep the event from the others: {@link #emit} gives the event
 * to every sink, then rethrows the first failure with the others suppressed. {@link #close(Duration)}
 * closes all within the one timeout and returns the sum of what they did not deliver. Thread-safe
 * when its sinks are.
 *
 * <p>{@code AuditSink sink = FanOutAuditSink.of(cloudWatch, JsonLinesFileAuditSink.open(path));}
 */
public final class FanOutAuditSink implements AuditSink {
  private final List<AuditSink> sinks;

  private FanOutAuditSink(List<AuditSink> sinks) {
    this.sinks = sinks;
  }

  /** A sink that sends to each of {@code sinks} (at least one). */
  public static FanOutAuditSink of(AuditSink... sinks) {
    return of(List.of(sinks));
  }

  /** A sink that sends to each of {@code sinks} (at least one). */
  public static FanOutAuditSink of(List<? extends AuditSink> sinks) {
    Objects.requireNonNull(sinks, "sinks");
    if (sinks.isEmpty()) {
      throw new IllegalArgumentException("FanOutAuditSink needs at least one sink");
    }
    return new FanOutAuditSink(List.copyOf(sinks));
  }

  /** The sinks, in the order they receive each event. */
  public List<AuditSink> sinks() {
    return sinks;
  }

  @Override
  public void emit(KeyUseEvent event) {
    // A non-capturing lambda: no allocation per event.
    forEachSink(event, (s, e) -> {
      s.emit(e);
      return 0;
    });
  }

  @Override
  public boolean flush(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean all = true;
    for (AuditSink s : sinks) {
      all &= s.flush(remaining(deadline));
    }
    return all;
  }

  @Override
  public long close(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    return forEachSink(deadline, (s, d) -> s.close(remaining(d)));
  }

  /**
   * Applies {@code op} to every sink in order, also after one throws; then rethrows the first
   * failure with the later ones suppressed.
   *
   * @return the sum of what {@code op} returned
   */
  private <T> long forEachSink(T arg, ToLongBiFunction<AuditSink, T> op) {
    long sum = 0;
    RuntimeException first = null;
    for (AuditSink s : sinks) {
      try {
        sum += op.applyAsLong(s, arg);
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
    return sum;
  }

  private static Duration remaining(long deadlineNanos) {
    return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
  }

  @Override
  public String toString() {
    return "FanOutAuditSink" + sinks;
  }
}
