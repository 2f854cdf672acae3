package dev.byok.audit.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.byok.audit.AuditInputException;
import java.time.Instant;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.CloudTrailException;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttribute;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsRequest;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;

/**
 * CloudTrail LookupEvents for {@code kms.amazonaws.com}: the account's management events of the
 * last 90 days in the client's region, no trail needed. Each event's {@code CloudTrailEvent} text is
 * the record in the log-file format. LookupEvents allows 2 calls a second per account and region;
 * the client's retry strategy handles throttling. The client is the caller's: it is not closed here.
 */
public final class LookupTrailInput implements TrailInput {
  private final CloudTrailClient cloudTrail;

  public LookupTrailInput(CloudTrailClient cloudTrail) {
    this.cloudTrail = cloudTrail;
  }

  @Override
  public String description() {
    return "CloudTrail LookupEvents (kms.amazonaws.com)";
  }

  @Override
  public void read(Instant from, Instant to, TrailSink sink) {
    LookupEventsRequest.Builder req = LookupEventsRequest.builder().lookupAttributes(LookupAttribute.builder()
        .attributeKey(LookupAttributeKey.EVENT_SOURCE).attributeValue("kms.amazonaws.com").build()).maxResults(50);
    if (from != null) {
      req.startTime(from);
    }
    if (to != null) {
      req.endTime(to);
    }
    String token = null;
    int page = 0;
    do {
      LookupEventsResponse r;
      try {
        r = cloudTrail.lookupEvents(req.nextToken(token).build());
      } catch (CloudTrailException e) {
        int status = e.statusCode();
        String code = e.awsErrorDetails() == null ? "CloudTrail error" : e.awsErrorDetails().errorCode();
        throw new AuditInputException(description() + ": " + (status == 403 || "AccessDeniedException".equals(code)
            ? "access denied (" + code + "): the caller needs cloudtrail:LookupEvents"
            : code + ", HTTP " + status + ": " + (e.awsErrorDetails() == null ? e.getMessage()
            : e.awsErrorDetails().errorMessage())), e, status >= 500 || status == 429);
      } catch (SdkClientException e) {
        throw new AuditInputException(description() + ": cannot reach CloudTrail: " + e.getMessage(), e, true);
      }
      page++;
      long n = 0;
      for (Event ev : r.events()) {
        String name = "LookupEvents page " + page + " event " + ev.eventId();
        if (ev.cloudTrailEvent() == null) {
          sink.fileSkipped(name, "the event has no CloudTrailEvent text", 0);
          continue;
        }
        try {
          sink.record(CloudTrailLogReader.MAPPER.readValue(ev.cloudTrailEvent(), CloudTrailRecord.class));
          n++;
        } catch (JsonProcessingException e) {
          sink.fileSkipped(name, "CloudTrailEvent is not a CloudTrail record: " + e.getOriginalMessage(), 0);
        }
      }
      sink.fileRead("LookupEvents page " + page, n);
      token = r.nextToken();
    } while (token != null);
  }
}
