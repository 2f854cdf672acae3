package dev.byok.aws.events.internal;

import dev.byok.aws.events.IgnoredReason;
import dev.byok.aws.events.KeyEventMetrics;
import dev.byok.aws.events.KeyEventStats;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A listener's counters, read as {@link KeyEventStats} from any thread; each count is also passed to
 * the {@link KeyEventMetrics}. Thread-safe.
 */
public final class Counters {
  private final KeyEventMetrics metrics;
  private final LongAdder received = new LongAdder();
  private final LongAdder revoked = new LongAdder();
  private final LongAdder checked = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder deleted = new LongAdder();
  private final Map<IgnoredReason, LongAdder> ignored = new EnumMap<>(IgnoredReason.class);
  private final AtomicLong lastLagNanos = new AtomicLong();
  private final AtomicLong maxLagNanos = new AtomicLong();

  /** Counters that also report to {@code metrics}. */
  public Counters(KeyEventMetrics metrics) {
    this.metrics = metrics;
    for (IgnoredReason r : IgnoredReason.values()) {
      ignored.put(r, new LongAdder());
    }
  }

  void received() {
    received.increment();
    metrics.received();
  }

  void acted(EventKind kind, Duration lag) {
    (kind == EventKind.DENY ? revoked : checked).increment();
    metrics.actedOn(kind.action());
    if (lag != null) {
      long n = lag.toNanos();
      lastLagNanos.set(n);
      maxLagNanos.accumulateAndGet(n, Math::max);
      metrics.lag(lag);
    }
  }

  void ignored(IgnoredReason reason) {
    ignored.get(reason).increment();
    metrics.ignored(reason);
  }

  void failed() {
    failed.increment();
    metrics.failed();
  }

  void deleted(int n) {
    deleted.add(n);
  }

  /** A snapshot. */
  public KeyEventStats snapshot() {
    Map<IgnoredReason, Long> byReason = new EnumMap<>(IgnoredReason.class);
    ignored.forEach((r, a) -> {
      long v = a.sum();
      if (v > 0) {
        byReason.put(r, v);
      }
    });
    return new KeyEventStats(received.sum(), revoked.sum(), checked.sum(), byReason, failed.sum(), deleted.sum(),
        Duration.ofNanos(lastLagNanos.get()), Duration.ofNanos(maxLagNanos.get()));
  }
}
