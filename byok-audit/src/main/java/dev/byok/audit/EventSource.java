package dev.byok.audit;

import dev.byok.audit.internal.EventInput;
import dev.byok.audit.internal.JsonLinesEventInput;
import dev.byok.audit.internal.LogGroupEventInput;
import java.nio.file.Path;
import java.util.Objects;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * Where the vendor's reason-coded audit events come from: a JSON-lines file (the format of
 * {@code docs/audit-events.md}, e.g. written by the vendor's {@code JsonLinesFileAuditSink}), or the
 * customer's CloudWatch Logs group the vendor delivers them to. Fields an event has that this
 * version does not know are counted, not refused.
 *
 * <pre>{@code
 * EventSource.jsonLines(Path.of("audit-events.jsonl"));
 * EventSource.logGroup(logsClient, "ACME_SLACK_SANDBOX_LOG_GROUP");
 * }</pre>
 *
 * <p>AWS clients are the caller's: a source never closes them. Immutable and thread-safe.
 */
public final class EventSource {
  private final EventInput input;

  private EventSource(EventInput input) {
    this.input = input;
  }

  /**
   * A file of events, one JSON object per line (gzip is read too).
   *
   * @param file the file
   * @return the source
   */
  public static EventSource jsonLines(Path file) {
    return new EventSource(new JsonLinesEventInput(Objects.requireNonNull(file, "file")));
  }

  /**
   * A log group, read with FilterLogEvents over all its streams.
   *
   * @param logs the client, in the log group's region
   * @param logGroupName the group's name
   * @return the source
   * @throws IllegalArgumentException if the name is empty or longer than 512 characters
   */
  public static EventSource logGroup(CloudWatchLogsClient logs, String logGroupName) {
    Objects.requireNonNull(logs, "logs");
    if (logGroupName == null || logGroupName.isEmpty() || logGroupName.length() > 512) {
      throw new IllegalArgumentException("log group name '" + logGroupName + "': must be 1 to 512 characters");
    }
    return new EventSource(new LogGroupEventInput(logs, logGroupName));
  }

  /**
   * What the source reads, for the report.
   *
   * @return a path or {@code logs:GROUP}
   */
  public String description() {
    return input.description();
  }

  EventInput input() {
    return input;
  }

  @Override
  public String toString() {
    return "EventSource{" + description() + "}";
  }
}
