package dev.byok.aws.logs.internal;

import dev.byok.core.audit.KeyUseEvent;
import java.util.Comparator;

/** An event with its CloudWatch message made (JSON, within the size limit). Dispatcher-owned. */
final class PreparedEvent {
  /** Oldest first; ties in arrival order. */
  static final Comparator<PreparedEvent> BY_TIME =
      Comparator.<PreparedEvent>comparingLong(e -> e.timeMillis).thenComparingLong(e -> e.seq);

  final KeyUseEvent event;
  final String message;
  final int bytes;
  final long timeMillis;
  final long seq;
  final SpillStore.ReplayFile origin;
  /** Set after the service refused the event's own time: it is then sent stamped with the time of sending. */
  boolean stampNow;

  PreparedEvent(KeyUseEvent event, String message, int bytes, long seq, SpillStore.ReplayFile origin) {
    this.event = event;
    this.message = message;
    this.bytes = bytes;
    this.timeMillis = event.time().toEpochMilli();
    this.seq = seq;
    this.origin = origin;
  }
}
