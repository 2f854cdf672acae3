package dev.byok.aws.events.internal;

import dev.byok.aws.events.IgnoredReason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Logs ignored messages at WARN at most once per reason per {@code interval}, saying how many of
 * that reason went unlogged since; the rest go to DEBUG. A flood of hostile messages cannot flood
 * the log, and every message is counted in the listener's stats anyway. Thread-safe.
 */
public final class RateLimitedLog {
  private final Logger log;
  private final Clock clock;
  private final Duration interval;
  private final Map<IgnoredReason, Instant> lastWarned = new EnumMap<>(IgnoredReason.class);
  private final Map<IgnoredReason, Long> suppressed = new EnumMap<>(IgnoredReason.class);

  /** Logs to {@code log}, timed by {@code clock}. */
  public RateLimitedLog(Logger log, Clock clock, Duration interval) {
    this.log = log;
    this.clock = clock;
    this.interval = interval;
  }

  /**
   * Logs one ignored message; {@code detail} holds message values only through {@link LogText#escape}.
   * Returns whether it went to WARN.
   */
  public synchronized boolean ignored(String listener, IgnoredReason reason, String detail) {
    Instant now = clock.instant();
    Instant last = lastWarned.get(reason);
    if (last == null || !now.isBefore(last.plus(interval))) {
      long skipped = suppressed.getOrDefault(reason, 0L);
      lastWarned.put(reason, now);
      suppressed.put(reason, 0L);
      log.warn("key event listener {}: message ignored ({}): {}{}", listener, reason.id(), detail,
          skipped == 0 ? "" : " (" + skipped + " more ignored for this reason since the last warning)");
      return true;
    }
    suppressed.merge(reason, 1L, Long::sum);
    log.debug("key event listener {}: message ignored ({}): {}", listener, reason.id(), detail);
    return false;
  }
}
