package dev.byok.aws.logs.internal;

import dev.byok.aws.logs.internal.LogsApi.LogRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * One PutLogEvents request's worth of events, taken oldest first from a tenant's buffer within
 * every limit: at most {@code maxEvents} events, at most {@code maxBytes} counting
 * {@value BatchLimits#EVENT_OVERHEAD_BYTES} bytes per event, spanning less than 24 hours, in
 * chronological order of the timestamps sent. The timestamp sent is the event's time, moved into
 * the window the service accepts (not older than {@code maxBackdate}, not newer than
 * {@code maxAhead}); the JSON message keeps the true time.
 */
final class Batch {
  final List<PreparedEvent> events;
  final List<LogRecord> records;
  final long bytes;
  final long oldestEventMillis;

  private Batch(List<PreparedEvent> events, List<LogRecord> records, long bytes, long oldestEventMillis) {
    this.events = events;
    this.records = records;
    this.bytes = bytes;
    this.oldestEventMillis = oldestEventMillis;
  }

  int size() {
    return events.size();
  }

  /** The timestamp to send for {@code e} at {@code nowMillis}. */
  static long sentTimestamp(PreparedEvent e, long nowMillis, BatchLimits l) {
    if (e.stampNow) {
      return nowMillis;
    }
    long lo = nowMillis - l.maxBackdateMillis();
    long hi = nowMillis + l.maxAheadMillis();
    return Math.max(lo, Math.min(hi, e.timeMillis));
  }

  /** Takes the next batch from {@code buffer} (which must not be empty); returns it with its byte count. */
  static Batch take(PriorityQueue<PreparedEvent> buffer, long nowMillis, int maxEvents, BatchLimits l) {
    List<PreparedEvent> taken = new ArrayList<>(Math.min(maxEvents, buffer.size()));
    List<long[]> order = new ArrayList<>(Math.min(maxEvents, buffer.size()));
    long bytes = 0;
    long minTs = Long.MAX_VALUE;
    long maxTs = Long.MIN_VALUE;
    long oldest = Long.MAX_VALUE;
    while (!buffer.isEmpty() && taken.size() < maxEvents) {
      PreparedEvent e = buffer.peek();
      long size = (long) e.bytes + BatchLimits.EVENT_OVERHEAD_BYTES;
      if (bytes + size > l.maxBytes() && !taken.isEmpty()) {
        break;
      }
      long ts = sentTimestamp(e, nowMillis, l);
      long lo = Math.min(minTs, ts);
      long hi = Math.max(maxTs, ts);
      if (!taken.isEmpty() && hi - lo > BatchLimits.MAX_SPAN_MILLIS) {
        break;
      }
      buffer.poll();
      order.add(new long[] {ts, taken.size()});
      taken.add(e);
      bytes += size;
      minTs = lo;
      maxTs = hi;
      oldest = Math.min(oldest, e.timeMillis);
    }
    // Already in time order except for events stamped with the time of sending; a stable sort fixes those.
    order.sort((a, b) -> Long.compare(a[0], b[0]));
    List<PreparedEvent> events = new ArrayList<>(taken.size());
    List<LogRecord> records = new ArrayList<>(taken.size());
    for (long[] o : order) {
      PreparedEvent e = taken.get((int) o[1]);
      events.add(e);
      records.add(new LogRecord(o[0], e.message));
    }
    return new Batch(events, records, bytes, oldest);
  }
}
