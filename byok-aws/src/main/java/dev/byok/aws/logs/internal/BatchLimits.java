package dev.byok.aws.logs.internal;

import java.time.Duration;

/**
 * What one PutLogEvents request may hold, and the window of event times the service accepts.
 * Immutable; {@link Batch#take} obeys it.
 *
 * @param maxEvents events per request at most (1 to {@value #MAX_EVENTS})
 * @param maxBytes bytes per request at most, counting {@value #EVENT_OVERHEAD_BYTES} per event
 *     ({@value #MAX_EVENT_BYTES} to {@value #MAX_BYTES}, so that the largest event always fits)
 * @param maxBackdateMillis how far before the time of sending a timestamp may lie
 * @param maxAheadMillis how far after the time of sending a timestamp may lie
 */
public record BatchLimits(int maxEvents, int maxBytes, long maxBackdateMillis, long maxAheadMillis) {
  /** PutLogEvents' limit on events per request. */
  public static final int MAX_EVENTS = 10_000;
  /** PutLogEvents' limit on bytes per request (UTF-8 of the messages plus the overhead per event). */
  public static final int MAX_BYTES = 1_048_576;
  /** The bytes PutLogEvents counts for each event on top of its message. */
  public static final int EVENT_OVERHEAD_BYTES = 26;
  /** PutLogEvents' per-event limit (256 KiB), which counts the 26 bytes of overhead. */
  public static final int MAX_EVENT_BYTES = 262_144;
  /** The longest message (UTF-8 bytes) that fits in one event. */
  public static final int MAX_MESSAGE_BYTES = MAX_EVENT_BYTES - EVENT_OVERHEAD_BYTES;
  /** A request's timestamps must span less than 24 hours. */
  public static final long MAX_SPAN_MILLIS = Duration.ofHours(24).toMillis() - 1;
  /** The service's 14 days back and 2 hours ahead, each with an hour's margin. */
  private static final long CLOUDWATCH_BACKDATE_MILLIS = Duration.ofDays(14).minusHours(1).toMillis();
  private static final long CLOUDWATCH_AHEAD_MILLIS = Duration.ofHours(1).toMillis();

  /**
   * Checks every limit.
   *
   * @throws IllegalArgumentException naming the limit and the value given
   */
  public BatchLimits {
    if (maxEvents < 1 || maxEvents > MAX_EVENTS) {
      throw new IllegalArgumentException("maxBatchEvents must be 1-" + MAX_EVENTS + ", got " + maxEvents);
    }
    if (maxBytes < MAX_EVENT_BYTES || maxBytes > MAX_BYTES) {
      throw new IllegalArgumentException("maxBatchBytes must be " + MAX_EVENT_BYTES + "-" + MAX_BYTES + ", got " + maxBytes);
    }
    if (maxBackdateMillis < 0 || maxAheadMillis < 0) {
      throw new IllegalArgumentException("the acceptance window must not be negative, got " + maxBackdateMillis
          + " ms back and " + maxAheadMillis + " ms ahead");
    }
  }

  /** CloudWatch Logs' acceptance window with the given request limits. */
  public static BatchLimits cloudWatch(int maxEvents, int maxBytes) {
    return new BatchLimits(maxEvents, maxBytes, CLOUDWATCH_BACKDATE_MILLIS, CLOUDWATCH_AHEAD_MILLIS);
  }

  /** CloudWatch Logs' own limits, with an hour's margin on the 14-day and 2-hour acceptance window. */
  public static BatchLimits cloudWatch() {
    return cloudWatch(MAX_EVENTS, MAX_BYTES);
  }
}
