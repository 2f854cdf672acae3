package dev.byok.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.AwsAccountId;
import dev.byok.testing.Emulators;
import dev.byok.testing.WithEmulators;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The report over the real sources on moto: the documented records as gzip log files in an S3
 * bucket under CloudTrail's key layout (with a digest file beside them, a corrupt log file and
 * another day outside the window), and the vendor's events in a CloudWatch Logs group read with
 * FilterLogEvents over its streams. CloudWatch Logs refuses events older than 14 days, so the story
 * is moved, whole days at a time, to yesterday.
 */
@WithEmulators
class AuditMotoIT {
  private static final String BUCKET = "acme-slack-sandbox-trail";
  private static final String PREFIX = "byok";
  private static final String GROUP = "ACME_SLACK_SANDBOX_LOG_GROUP";

  private static final LocalDate STORY_DAY = LocalDate.of(2026, 3, 1);
  private static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).minusDays(1);
  private static final Pattern ISO_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?Z");

  /** {@code text} with every ISO-8601 UTC time moved from the story's day to {@link #DAY}. */
  static String moved(byte[] text) {
    Duration shift = Duration.ofDays(DAY.toEpochDay() - STORY_DAY.toEpochDay());
    return ISO_TIME.matcher(new String(text, StandardCharsets.UTF_8))
        .replaceAll(m -> Instant.parse(m.group()).plus(shift).toString());
  }

  private static Instant at(String storyTime) {
    return Instant.parse(storyTime).plus(Duration.ofDays(DAY.toEpochDay() - STORY_DAY.toEpochDay()));
  }

  private static String dayDir() {
    return "AWSLogs/111122223333/CloudTrail/us-east-1/" + DAY.toString().replace('-', '/') + "/";
  }

  private static Path eventsFile(Path dir) throws java.io.IOException {
    return Files.writeString(dir.resolve("events.jsonl"), moved(Fixtures.resource("events.jsonl")));
  }

  private static void putTrail(S3Client s3) {
    s3.createBucket(b -> b.bucket(BUCKET));
    String dir = PREFIX + "/" + dayDir();
    s3.putObject(b -> b.bucket(BUCKET).key(dir + Fixtures.LOG_NAME),
        RequestBody.fromBytes(Fixtures.gzip(Fixtures.utf8(moved(Fixtures.trailJson())))));
    s3.putObject(b -> b.bucket(BUCKET).key(PREFIX + "/AWSLogs/111122223333/CloudTrail-Digest/us-east-1/" + DAY.toString().replace('-', '/') + "/"
        + "111122223333_CloudTrail-Digest_us-east-1_byok_us-east-1_20260301T120500Z.json.gz"),
        RequestBody.fromBytes(Fixtures.gzip(Fixtures.utf8("{\"awsAccountId\":\"111122223333\",\"logFiles\":[]}"))));
    // a month earlier: outside the window, never opened (a corrupt file there would otherwise be counted)
    s3.putObject(b -> b.bucket(BUCKET).key(PREFIX + "/AWSLogs/111122223333/CloudTrail/us-east-1/"
        + DAY.minusDays(30).toString().replace('-', '/') + "/"
        + "111122223333_CloudTrail_us-east-1_20260131T0000Z_Earlier.json.gz"), RequestBody.fromBytes(new byte[] {1, 2, 3}));
  }

  private static void putEvents(CloudWatchLogsClient logs) {
    logs.createLogGroup(b -> b.logGroupName(GROUP));
    String[] lines = moved(Fixtures.resource("events.jsonl")).split("\n");
    List<InputLogEvent> a = new ArrayList<>();
    List<InputLogEvent> b = new ArrayList<>();
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      String time = line.substring(line.indexOf("\"time\":\"") + 8);
      long ms = Instant.parse(time.substring(0, time.indexOf('"'))).toEpochMilli();
      (line.contains("acme-eng") ? a : b).add(InputLogEvent.builder().timestamp(ms).message(line).build());
    }
    for (var e : List.of(List.of("byok/slack/host-1/acme-eng", a), List.of("byok/slack/host-1/acme-other", b))) {
      String stream = (String) e.get(0);
      @SuppressWarnings("unchecked")
      List<InputLogEvent> events = new ArrayList<>((List<InputLogEvent>) e.get(1));
      events.sort((x, y) -> Long.compare(x.timestamp(), y.timestamp()));
      logs.createLogStream(r -> r.logGroupName(GROUP).logStreamName(stream));
      logs.putLogEvents(r -> r.logGroupName(GROUP).logStreamName(stream).logEvents(events));
    }
  }

  @Test
  void s3TrailAndLogGroupEvents_plantedViolationFlagged_deniedDecryptOnTheTimeline(Emulators emu) {
    try (S3Client s3 = emu.moto(S3Client.builder()).build();
         CloudWatchLogsClient logs = emu.moto(CloudWatchLogsClient.builder()).build()) {
      putTrail(s3);
      putEvents(logs);

      AuditReport r = KeyUseAudit.builder().trail(TrailSource.s3(s3, "s3://" + BUCKET + "/" + PREFIX))
          .events(EventSource.logGroup(logs, GROUP)).addVendorAccount(AwsAccountId.of("444455556666"))
          .from(at("2026-03-01T00:00:00Z")).to(at("2026-03-02T00:00:00Z")).build().run();

      assertTrue(r.complete(), r.render(ReportFormat.TEXT));
      assertEquals(1, r.input().logFilesRead());
      assertEquals(0, r.input().objectsIgnored(), "only CloudTrail/ is listed: the digest folder is not");
      assertEquals(0, r.input().logFilesSkipped(), "the corrupt file of a month earlier is outside the window: not opened");
      assertEquals(1, r.headline().unexplained());
      assertEquals(Fixtures.PLANTED_REQUEST_ID, r.unexplained().get(0).requestID());
      assertEquals(4, r.headline().explained());
      assertEquals(1, r.input().duplicateEvents(), "the duplicate line, delivered to the group twice");
      assertTrue(r.timeline().stream().anyMatch(e -> e.what().equals("Decrypt denied")
          && e.sinceCustomerChange() != null && e.sinceCustomerChange().toMillis() == 1500), r.timeline().toString());
    }
  }

  @Test
  void s3_prefixIntoTheLayout_andNoWindow_readsEverythingUnderIt_corruptFilesCounted_digestIgnored(Emulators emu,
      @TempDir Path tmp) throws Exception {
    try (S3Client s3 = emu.moto(S3Client.builder()).build()) {
      putTrail(s3);
      byte[] gz = Fixtures.gzip(Fixtures.trailJson());
      byte[] corrupt = Arrays.copyOf(gz, gz.length / 2);
      s3.putObject(b -> b.bucket(BUCKET).key(PREFIX + "/" + dayDir()
          + "111122223333_CloudTrail_us-east-1_20260301T1210Z_Cut.json.gz"), RequestBody.fromBytes(corrupt));

      AuditReport r = KeyUseAudit.builder()
          .trail(TrailSource.s3(s3, "s3://" + BUCKET + "/" + PREFIX + "/AWSLogs/111122223333/"))
          .events(EventSource.jsonLines(eventsFile(tmp))).build().run();

      assertFalse(r.complete());
      assertEquals(1, r.input().logFilesRead());
      assertEquals(2, r.input().logFilesSkipped(), "the cut file and the three bytes of a month earlier");
      assertEquals(1, r.input().objectsIgnored(), "the digest file");
      AuditReport.Problem cut = r.input().problems().stream().filter(p -> p.where().endsWith("_Cut.json.gz")).findFirst()
          .orElseThrow(() -> new AssertionError(r.input().problems().toString()));
      assertTrue(cut.what().startsWith("corrupt gzip"), cut.what());
      assertEquals(1, r.headline().unexplained(), "the good file is still read");
      assertTrue(r.headlineLine().startsWith("byok audit report: INCOMPLETE INPUT (2 trail log files unreadable"),
          r.headlineLine());
    }
  }

  @Test
  void s3_noSuchBucket_clearError(Emulators emu) {
    try (S3Client s3 = emu.moto(S3Client.builder()).build()) {
      AuditInputException e = assertThrows(AuditInputException.class, () -> KeyUseAudit.builder()
          .trail(TrailSource.s3(s3, "s3://no-such-trail-bucket/x"))
          .events(EventSource.jsonLines(java.nio.file.Path.of("src/test/resources/cloudtrail/documented/events.jsonl")))
          .build().run());
      assertTrue(e.getMessage().contains("bucket 'no-such-trail-bucket' does not exist"), e.getMessage());
    }
  }

  @Test
  void s3_bucketWithoutTheLayout_clearError(Emulators emu) {
    try (S3Client s3 = emu.moto(S3Client.builder()).build()) {
      s3.createBucket(b -> b.bucket("not-a-trail"));
      s3.putObject(b -> b.bucket("not-a-trail").key("x/notes.txt"), RequestBody.fromString("hello"));
      AuditInputException e = assertThrows(AuditInputException.class, () -> KeyUseAudit.builder()
          .trail(TrailSource.s3(s3, "s3://not-a-trail/x"))
          .events(EventSource.jsonLines(java.nio.file.Path.of("src/test/resources/cloudtrail/documented/events.jsonl")))
          .build().run());
      assertTrue(e.getMessage().contains("no CloudTrail logs: nothing under x/AWSLogs/"), e.getMessage());
    }
  }

  @Test
  void logGroup_missing_clearError(Emulators emu) {
    try (S3Client s3 = emu.moto(S3Client.builder()).build();
         CloudWatchLogsClient logs = emu.moto(CloudWatchLogsClient.builder()).build()) {
      putTrail(s3);
      AuditInputException e = assertThrows(AuditInputException.class, () -> KeyUseAudit.builder()
          .trail(TrailSource.s3(s3, "s3://" + BUCKET + "/" + PREFIX)).events(EventSource.logGroup(logs, "NO_SUCH_GROUP"))
          .build().run());
      assertTrue(e.getMessage().startsWith("logs:NO_SUCH_GROUP: the log group does not exist"), e.getMessage());
    }
  }
}
