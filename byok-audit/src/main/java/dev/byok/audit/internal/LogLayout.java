package dev.byok.audit.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CloudTrail's S3 layout: {@code [PREFIX/]AWSLogs/[ORG_ID/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/FILE}
 * (organization trails add the organization ID). Digest and Insights files live beside it under
 * {@code CloudTrail-Digest/} and {@code CloudTrail-Insight/}. Stateless.
 */
public final class LogLayout {
  private static final Pattern LOG_FILE = Pattern.compile(
      "(?:^|/)AWSLogs/(?:o-[a-z0-9]{10,32}/)?(\\d{12})/CloudTrail/([a-z0-9-]+)/(\\d{4})/(\\d{2})/(\\d{2})/([^/]+)$");
  /** CloudTrail delivers a record up to about 15 minutes after the call: a day's folder may hold the previous day's last calls. */
  private static final int SLACK_DAYS = 1;

  private LogLayout() {}

  /** The day folder of a log file at {@code path} in the layout, or empty when it is not in the layout. */
  public static Optional<LocalDate> day(String path) {
    Matcher m = LOG_FILE.matcher(path.replace('\\', '/'));
    if (!m.find()) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.of(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
          Integer.parseInt(m.group(5))));
    } catch (java.time.DateTimeException e) {
      return Optional.empty();
    }
  }

  /** Whether a day folder may hold records of [{@code from}, {@code to}), with a day's slack on each side. */
  public static boolean mayHold(LocalDate day, Instant from, Instant to) {
    if (from != null && day.isBefore(LocalDate.ofInstant(from, ZoneOffset.UTC).minusDays(SLACK_DAYS))) {
      return false;
    }
    return to == null || !day.isAfter(LocalDate.ofInstant(to, ZoneOffset.UTC).plusDays(SLACK_DAYS));
  }

  /** The first and last day folders to list for a window that has both ends. */
  public static LocalDate firstDay(Instant from) {
    return LocalDate.ofInstant(from, ZoneOffset.UTC).minusDays(SLACK_DAYS);
  }

  /** The last day folder to list. */
  public static LocalDate lastDay(Instant to) {
    return LocalDate.ofInstant(to, ZoneOffset.UTC).plusDays(SLACK_DAYS);
  }
}
