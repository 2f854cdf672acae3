package dev.byok.audit.internal;

import dev.byok.audit.AuditInputException;
import java.time.Instant;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * The customer's log group, read with FilterLogEvents over all its streams (the time window becomes
 * the call's start and end time), page by page. The client is the caller's: it is not closed here.
 */
public final class LogGroupEventInput implements EventInput {
  private final CloudWatchLogsClient logs;
  private final String group;

  public LogGroupEventInput(CloudWatchLogsClient logs, String group) {
    this.logs = logs;
    this.group = group;
  }

  @Override
  public String description() {
    return "logs:" + group;
  }

  @Override
  public void read(Instant from, Instant to, EventSink sink) {
    FilterLogEventsRequest.Builder req = FilterLogEventsRequest.builder().logGroupName(group);
    if (from != null) {
      req.startTime(from.toEpochMilli());
    }
    if (to != null) {
      req.endTime(to.toEpochMilli());
    }
    String token = null;
    long n = 0;
    do {
      FilterLogEventsResponse r;
      try {
        r = logs.filterLogEvents(req.nextToken(token).build());
      } catch (ResourceNotFoundException e) {
        throw new AuditInputException(description() + ": the log group does not exist in the client's region", e, false);
      } catch (CloudWatchLogsException e) {
        int status = e.statusCode();
        String code = e.awsErrorDetails() == null ? "CloudWatch Logs error" : e.awsErrorDetails().errorCode();
        throw new AuditInputException(description() + ": " + (status == 403 || "AccessDeniedException".equals(code)
            ? "access denied (" + code + "): the caller needs logs:FilterLogEvents on the log group"
            : code + ", HTTP " + status + ": " + (e.awsErrorDetails() == null ? e.getMessage()
            : e.awsErrorDetails().errorMessage())), e, status >= 500 || "ThrottlingException".equals(code));
      } catch (SdkClientException e) {
        throw new AuditInputException(description() + ": cannot reach CloudWatch Logs: " + e.getMessage(), e, true);
      }
      for (FilteredLogEvent ev : r.events()) {
        n++;
        try {
          sink.event(EventLine.parse(ev.message()));
        } catch (EventLine.MalformedEventException e) {
          sink.lineSkipped(description() + " stream " + ev.logStreamName() + " event " + ev.eventId(), e.getMessage());
        }
      }
      token = r.nextToken();
    } while (token != null);
    sink.sourceRead(description(), n);
  }
}
