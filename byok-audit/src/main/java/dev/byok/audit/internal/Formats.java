package dev.byok.audit.internal;

import dev.byok.audit.AuditReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Small formatting helpers shared by the renderers. Stateless. */
final class Formats {
  private Formats() {}

  /** ISO-8601 UTC, at most milliseconds. */
  static String time(Instant t) {
    return t == null ? "-" : t.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
  }

  /** {@code +850 ms}, {@code +2.4 s}, {@code +3 min 5 s}, {@code +2 h 3 min}, {@code +4 d 2 h}. */
  static String since(Duration d) {
    if (d == null) {
      return "";
    }
    long ms = d.toMillis();
    if (ms < 1000) {
      return "+" + ms + " ms";
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "+%.1f s", ms / 1000.0);
    }
    long s = ms / 1000;
    if (s < 3600) {
      return "+" + s / 60 + " min " + s % 60 + " s";
    }
    if (s < 86_400) {
      return "+" + s / 3600 + " h " + (s % 3600) / 60 + " min";
    }
    return "+" + s / 86_400 + " d " + (s % 86_400) / 3600 + " h";
  }

  static String duration(Duration d) {
    long s = d.getSeconds();
    if (s % 86_400 == 0) {
      return s / 86_400 + " d";
    }
    if (s % 3600 == 0) {
      return s / 3600 + " h";
    }
    if (s % 60 == 0) {
      return s / 60 + " min";
    }
    return s + " s";
  }

  static String context(Map<String, String> ctx) {
    if (ctx == null || ctx.isEmpty()) {
      return "{}";
    }
    return ctx.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ", "{", "}"));
  }

  static String window(AuditReport.Window w) {
    if (w.from() == null && w.to() == null) {
      return "all records read (no --from/--to)";
    }
    return (w.from() == null ? "(open)" : w.from().toString()) + " .. " + (w.to() == null ? "(open)" : w.to().toString());
  }

  static String ratio(Double r) {
    return r == null ? "n/a (no KMS calls)" : String.format(Locale.ROOT, "%.1f", r);
  }

  static String plural(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }
}
