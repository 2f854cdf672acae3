package dev.byok.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Counts per reason code in time buckets with bounded memory: it starts at one-second buckets and
 * widens them (1 s, 5 s, 10 s, 30 s, 1 min, 5 min, 15 min, 1 h, 6 h, 1 day, 7 days) whenever more
 * than {@value #MAX_HELD_BUCKETS} are held, so a year of events costs no more than a minute's.
 * {@link #result} widens further to at most {@value #MAX_CHART_BUCKETS} buckets for the chart.
 * Not thread-safe.
 */
final class TimeBuckets {
  static final int MAX_HELD_BUCKETS = 20_000;
  static final int MAX_CHART_BUCKETS = 60;
  private static final long[] WIDTHS_SECONDS = {1, 5, 10, 30, 60, 300, 900, 3_600, 21_600, 86_400, 604_800};

  private int level;
  private final Map<String, Map<Long, long[]>> byReason = new HashMap<>();
  private final Map<Long, long[]> template = new HashMap<>();
  private long minSecond = Long.MAX_VALUE;
  private long maxSecond = Long.MIN_VALUE;

  void add(String reason, Instant time) {
    long s = time.getEpochSecond();
    minSecond = Math.min(minSecond, s);
    maxSecond = Math.max(maxSecond, s);
    long key = Math.floorDiv(s, WIDTHS_SECONDS[level]) * WIDTHS_SECONDS[level];
    byReason.computeIfAbsent(reason, r -> new HashMap<>()).computeIfAbsent(key, k -> new long[1])[0]++;
    if (template.putIfAbsent(key, new long[0]) == null && template.size() > MAX_HELD_BUCKETS
        && level < WIDTHS_SECONDS.length - 1) {
      widen(level + 1);
    }
  }

  private void widen(int newLevel) {
    long w = WIDTHS_SECONDS[newLevel];
    template.clear();
    for (Map.Entry<String, Map<Long, long[]>> e : byReason.entrySet()) {
      Map<Long, long[]> wider = new HashMap<>();
      for (Map.Entry<Long, long[]> b : e.getValue().entrySet()) {
        long key = Math.floorDiv(b.getKey(), w) * w;
        wider.computeIfAbsent(key, k -> new long[1])[0] += b.getValue()[0];
        template.put(key, new long[0]);
      }
      e.setValue(wider);
    }
    level = newLevel;
  }

  AuditReport.UsesOverTime result() {
    if (byReason.isEmpty()) {
      return new AuditReport.UsesOverTime(Duration.ofSeconds(WIDTHS_SECONDS[0]), List.of(), List.of());
    }
    int chartLevel = level;
    while (chartLevel < WIDTHS_SECONDS.length - 1
        && (maxSecond / WIDTHS_SECONDS[chartLevel]) - (minSecond / WIDTHS_SECONDS[chartLevel]) + 1 > MAX_CHART_BUCKETS) {
      chartLevel++;
    }
    long w = WIDTHS_SECONDS[chartLevel];
    List<String> reasons = new ArrayList<>(new TreeSet<>(byReason.keySet()));
    long first = Math.floorDiv(minSecond, w) * w;
    long last = Math.floorDiv(maxSecond, w) * w;
    TreeMap<Long, long[]> rows = new TreeMap<>();
    for (long t = first; t <= last; t += w) {
      rows.put(t, new long[reasons.size()]);
    }
    for (int i = 0; i < reasons.size(); i++) {
      for (Map.Entry<Long, long[]> b : byReason.get(reasons.get(i)).entrySet()) {
        rows.get(Math.floorDiv(b.getKey(), w) * w)[i] += b.getValue()[0];
      }
    }
    List<AuditReport.Bucket> buckets = new ArrayList<>(rows.size());
    rows.forEach((t, counts) -> {
      List<Long> c = new ArrayList<>(counts.length);
      for (long n : counts) {
        c.add(n);
      }
      buckets.add(new AuditReport.Bucket(Instant.ofEpochSecond(t), c));
    });
    return new AuditReport.UsesOverTime(Duration.ofSeconds(w), reasons, buckets);
  }
}
