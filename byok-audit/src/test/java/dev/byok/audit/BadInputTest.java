package dev.byok.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsRequest;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Each bad input of the issue gets a clear error or a counted skip, and a report from incomplete
 * input says so in its first line, in every format.
 */
class BadInputTest {
  @TempDir Path dir;

  private AuditReport report(Path trail) throws Exception {
    return KeyUseAudit.builder().trail(TrailSource.local(trail)).events(EventSource.jsonLines(Fixtures.writeEvents(dir)))
        .build().run();
  }

  private static void assertIncompleteFirstLines(AuditReport r, String reason) {
    assertFalse(r.complete());
    String text = r.render(ReportFormat.TEXT).lines().findFirst().orElseThrow();
    assertTrue(text.startsWith("byok audit report: INCOMPLETE INPUT (") && text.contains(reason), text);
    String html = r.render(ReportFormat.HTML);
    assertTrue(html.contains("<div class=\"banner warn\" id=\"headline\">byok audit report: INCOMPLETE INPUT")
        || html.contains("<div class=\"banner alert\" id=\"headline\">byok audit report: INCOMPLETE INPUT"), html);
    String json = r.render(ReportFormat.JSON);
    assertTrue(json.lines().skip(1).findFirst().orElseThrow().contains("\"headline\" : \"byok audit report: INCOMPLETE"),
        json);
  }

  @Test
  void corruptGzip_countedSkip_reportSaysIncomplete_otherFilesStillRead() throws Exception {
    Path trail = dir.resolve("trail");
    Path good = Fixtures.writeTrail(trail);
    byte[] gz = Fixtures.gzip(Fixtures.trailJson());
    byte[] corrupt = Arrays.copyOf(gz, gz.length);
    for (int i = 20; i < corrupt.length - 20; i += 7) {
      corrupt[i] ^= 0x5a;
    }
    Path bad = good.resolveSibling("111122223333_CloudTrail_us-east-1_20260301T1210Z_Corrupt.json.gz");
    Files.write(bad, corrupt);

    AuditReport r = report(trail);

    assertEquals(1, r.input().logFilesRead());
    assertEquals(1, r.input().logFilesSkipped());
    assertEquals(bad.toString(), r.input().problems().get(0).where());
    assertTrue(r.input().problems().get(0).what().contains("gzip"), r.input().problems().toString());
    assertEquals(1, r.headline().unexplained(), "the good file's planted call is still found");
    assertIncompleteFirstLines(r, "1 trail log file unreadable");
  }

  @Test
  void truncatedGzip_countedSkip() throws Exception {
    Path trail = dir.resolve("trail");
    Files.createDirectories(trail);
    byte[] gz = Fixtures.gzip(Fixtures.trailJson());
    Files.write(trail.resolve("cut.json.gz"), Arrays.copyOf(gz, gz.length / 2));
    AuditReport r = report(trail);
    assertEquals(1, r.input().logFilesSkipped());
    assertTrue(r.input().problems().get(0).what().startsWith("corrupt gzip"), r.input().problems().toString());
    assertIncompleteFirstLines(r, "unreadable");
  }

  @Test
  void notACloudTrailLog_countedSkipNamingTheShape() throws Exception {
    Path trail = dir.resolve("trail");
    Files.createDirectories(trail);
    Files.writeString(trail.resolve("a-notes.json"), "{\"foo\": [1, 2, 3]}");
    Files.writeString(trail.resolve("b-list.json"), "[{\"eventSource\":\"kms.amazonaws.com\"}]");
    Files.writeString(trail.resolve("c-readme.txt"), "these are my trail logs");
    Files.write(trail.resolve("d-good.json"), Fixtures.trailJson());

    AuditReport r = report(trail);

    assertEquals(3, r.input().logFilesSkipped());
    List<String> why = r.input().problems().stream().map(AuditReport.Problem::what).toList();
    assertEquals("not a CloudTrail log file: a JSON object without a \"Records\" array", why.get(0));
    assertTrue(why.get(1).startsWith("not a CloudTrail log file: expected a JSON object {\"Records\":[...]}, found an array"),
        why.get(1));
    assertTrue(why.get(2).startsWith("not a CloudTrail log file: not valid JSON"), why.get(2));
    assertEquals(1, r.input().logFilesRead());
    assertIncompleteFirstLines(r, "3 trail log files unreadable");
  }

  @Test
  void recordsOfOtherServices_ignoredAndCounted_reportStaysComplete() throws Exception {
    Path trail = dir.resolve("trail");
    Files.createDirectories(trail);
    Files.writeString(trail.resolve("s3.json"), "{\"Records\":[{\"eventSource\":\"s3.amazonaws.com\",\"eventName\":"
        + "\"GetObject\",\"eventTime\":\"2026-03-01T12:00:00Z\",\"requestID\":\"X1\"},{\"eventSource\":\"sts.amazonaws.com\","
        + "\"eventName\":\"AssumeRole\",\"eventTime\":\"2026-03-01T12:00:00Z\",\"requestID\":\"X2\"}]}");
    AuditReport r = report(trail);
    assertTrue(r.complete());
    assertEquals(2, r.input().otherServiceRecords());
    assertEquals(0, r.headline().kmsRecords());
    assertTrue(r.render(ReportFormat.TEXT).contains("2 of other services (ignored)"));
  }

  @Test
  void kmsRecordWithoutTime_countedAsMalformed() throws Exception {
    Path trail = dir.resolve("trail");
    Files.createDirectories(trail);
    Files.writeString(trail.resolve("x.json"), "{\"Records\":[{\"eventSource\":\"kms.amazonaws.com\",\"eventName\":"
        + "\"Decrypt\",\"eventTime\":\"yesterday\",\"requestID\":\"R1\",\"eventID\":\"E1\"}]}");
    AuditReport r = report(trail);
    assertEquals(1, r.input().malformedRecords());
    assertEquals("KMS record E1", r.input().problems().get(0).where());
    assertIncompleteFirstLines(r, "1 KMS record malformed");
  }

  @Test
  void eventsWithUnknownFields_readAndCounted_notIncomplete() throws Exception {
    Path trail = dir.resolve("trail");
    Fixtures.writeTrail(trail);
    Path events = dir.resolve("e.jsonl");
    Files.writeString(events, "{\"eventId\":\"u1\",\"time\":\"2026-03-01T12:01:30.010Z\",\"tenant\":\"acme-legal\","
        + "\"operation\":\"ENCRYPT\",\"reasonCode\":\"DATA_EXPORT\",\"dataKeySource\":\"KMS\",\"kmsRequestId\":\""
        + Fixtures.PLANTED_REQUEST_ID + "\",\"outcome\":\"SUCCESS\",\"region\":\"eu-west-1\",\"shard\":{\"n\":3}}\n");
    AuditReport r = KeyUseAudit.builder().trail(TrailSource.local(trail)).events(EventSource.jsonLines(events)).build().run();
    assertTrue(r.complete());
    assertEquals(1, r.input().eventsWithUnknownFields());
    assertEquals(List.of("region", "shard"), r.input().unknownFields());
    assertFalse(r.unexplained().stream().anyMatch(u -> u.requestID().equals(Fixtures.PLANTED_REQUEST_ID)),
        "the event with unknown fields still explains its call");
  }

  @Test
  void malformedEventLines_countedWithLineNumbers_reportIncomplete() throws Exception {
    Path trail = dir.resolve("trail");
    Fixtures.writeTrail(trail);
    Path events = dir.resolve("e.jsonl");
    Files.writeString(events, String.join("\n",
        "not json at all",
        "{\"eventId\":\"x\",\"time\":\"2026-03-01T12:00:00Z\",\"operation\":\"ENCRYPT\"}",
        "{\"eventId\":\"y\",\"time\":\"noon\",\"tenant\":\"t\",\"operation\":\"ENCRYPT\"}",
        "{\"eventId\":\"z\",\"time\":\"2026-03-01T12:00:00Z\",\"tenant\":\"t\",\"operation\":\"TELEPORT\"}",
        "[1,2]"));
    AuditReport r = KeyUseAudit.builder().trail(TrailSource.local(trail)).events(EventSource.jsonLines(events)).build().run();
    assertEquals(5, r.input().eventLinesSkipped());
    List<String> where = r.input().problems().stream().map(AuditReport.Problem::where).toList();
    assertEquals(events + " line 1", where.get(0));
    List<String> what = r.input().problems().stream().map(AuditReport.Problem::what).toList();
    assertTrue(what.get(1).contains("without 'tenant'"), what.toString());
    assertTrue(what.get(2).contains("'time' is not an ISO-8601"), what.toString());
    assertTrue(what.get(3).contains("'operation' has an unknown value 'TELEPORT'"), what.toString());
    assertIncompleteFirstLines(r, "5 event lines not audit events");
  }

  @Test
  void missingTrailFolder_clearError() {
    AuditInputException e = assertThrows(AuditInputException.class,
        () -> report(dir.resolve("no-such-folder")));
    assertTrue(e.getMessage().contains("no-such-folder': no such file or folder"), e.getMessage());
  }

  @Test
  void emptyTrailFolder_clearError() throws Exception {
    Files.createDirectories(dir.resolve("empty"));
    AuditInputException e = assertThrows(AuditInputException.class, () -> report(dir.resolve("empty")));
    assertTrue(e.getMessage().contains("holds no files"), e.getMessage());
  }

  @Test
  void missingEventsFile_clearError() throws Exception {
    Path trail = dir.resolve("trail");
    Fixtures.writeTrail(trail);
    AuditInputException e = assertThrows(AuditInputException.class, () -> KeyUseAudit.builder()
        .trail(TrailSource.local(trail)).events(EventSource.jsonLines(dir.resolve("nope.jsonl"))).build().run());
    assertTrue(e.getMessage().contains("nope.jsonl': no such file"), e.getMessage());
  }

  @Test
  void bucketWithoutReadPermission_clearErrorNamingThePermissions() throws Exception {
    S3Client denied = new S3Client() {
      @Override
      public ListObjectsV2Response listObjectsV2(ListObjectsV2Request request) {
        throw (S3Exception) S3Exception.builder().statusCode(403).message("Access Denied")
            .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").errorMessage("Access Denied").build())
            .build();
      }

      @Override
      public String serviceName() {
        return "s3";
      }

      @Override
      public S3ServiceClientConfiguration serviceClientConfiguration() {
        return S3ServiceClientConfiguration.builder().build();
      }

      @Override
      public void close() {}
    };
    AuditInputException e = assertThrows(AuditInputException.class, () -> KeyUseAudit.builder()
        .trail(TrailSource.s3(denied, "s3://acme-trail/byok")).events(EventSource.jsonLines(Fixtures.writeEvents(dir)))
        .build().run());
    assertTrue(e.getMessage().startsWith("s3://acme-trail/byok/: access denied while listing byok/AWSLogs/ "
        + "(AccessDenied, HTTP 403)"), e.getMessage());
    assertTrue(e.getMessage().contains("s3:ListBucket on arn:aws:s3:::acme-trail"), e.getMessage());
    assertFalse(e.retryable());
  }

  @Test
  void s3Location_malformed_illegalArgument() {
    S3Client none = null;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrailSource.s3(none, "https://bucket/prefix"));
    assertTrue(e.getMessage().contains("expected s3://BUCKET/PREFIX"), e.getMessage());
  }

  @Test
  void lookupEvents_pagesAndBadEvents_counted() throws Exception {
    String json = new String(Fixtures.trailJson(), java.nio.charset.StandardCharsets.UTF_8);
    List<com.fasterxml.jackson.databind.JsonNode> recs = new java.util.ArrayList<>();
    new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get("Records").forEach(recs::add);
    AtomicInteger calls = new AtomicInteger();
    CloudTrailClient ct = new CloudTrailClient() {
      @Override
      public LookupEventsResponse lookupEvents(LookupEventsRequest request) {
        assertEquals("kms.amazonaws.com", request.lookupAttributes().get(0).attributeValue());
        int page = calls.getAndIncrement();
        List<Event> events = new java.util.ArrayList<>();
        int fromIdx = page == 0 ? 0 : 5;
        for (int i = fromIdx; i < fromIdx + 5; i++) {
          events.add(Event.builder().eventId("ev" + i).cloudTrailEvent(recs.get(i).toString()).build());
        }
        if (page == 1) {
          events.add(Event.builder().eventId("broken").cloudTrailEvent("{not json").build());
        }
        return LookupEventsResponse.builder().events(events).nextToken(page == 0 ? "t1" : null).build();
      }

      @Override
      public String serviceName() {
        return "cloudtrail";
      }

      @Override
      public void close() {}
    };
    AuditReport r = KeyUseAudit.builder().trail(TrailSource.lookup(ct)).events(EventSource.jsonLines(Fixtures.writeEvents(dir)))
        .build().run();
    assertEquals(2, calls.get());
    assertEquals(1, r.headline().unexplained());
    assertEquals(Fixtures.PLANTED_REQUEST_ID, r.unexplained().get(0).requestID());
    assertEquals(1, r.input().logFilesSkipped());
    assertTrue(r.input().problems().get(0).where().contains("event broken"), r.input().problems().toString());
  }
}
