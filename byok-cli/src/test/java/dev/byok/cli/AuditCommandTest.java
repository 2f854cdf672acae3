package dev.byok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code byok audit report}: its exit statuses, formats and usage errors, on local files. */
class AuditCommandTest {
  private static final String KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  @TempDir Path dir;

  private static String record(String name, String time, String requestId, String account) {
    return "{\"eventVersion\":\"1.11\",\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::" + account
        + ":assumed-role/slack-byok/s\",\"accountId\":\"" + account + "\"},\"eventTime\":\"" + time
        + "\",\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"" + name + "\",\"awsRegion\":\"us-east-1\","
        + "\"requestParameters\":{\"keyId\":\"" + KEY + "\",\"encryptionContext\":{\"tenant\":\"acme\"}},"
        + "\"responseElements\":null,\"requestID\":\"" + requestId + "\",\"eventID\":\"e-" + requestId + "\","
        + "\"resources\":[{\"accountId\":\"111122223333\",\"type\":\"AWS::KMS::Key\",\"ARN\":\"" + KEY + "\"}],"
        + "\"eventType\":\"AwsApiCall\",\"recipientAccountId\":\"111122223333\"}";
  }

  private static String event(String id, String time, String requestId) {
    return "{\"eventId\":\"" + id + "\",\"time\":\"" + time + "\",\"tenant\":\"acme\",\"operation\":\"ENCRYPT\","
        + "\"keyArn\":\"" + KEY + "\",\"reasonCode\":\"USER_REQUEST\",\"actor\":\"user:alice\","
        + "\"encryptionContext\":{\"tenant\":\"acme\"},\"dataKeySource\":\"KMS\",\"kmsRequestId\":\"" + requestId
        + "\",\"outcome\":\"SUCCESS\"}\n";
  }

  private Path trail(boolean planted) throws Exception {
    Path t = Files.createDirectories(dir.resolve("trail"));
    String records = record("GenerateDataKey", "2026-03-01T12:00:00Z", "r-1", "444455556666")
        + (planted ? "," + record("Encrypt", "2026-03-01T12:01:00Z", "r-planted", "444455556666") : "");
    Files.writeString(t.resolve("log.json"), "{\"Records\":[" + records + "]}");
    return t;
  }

  private Path events() throws Exception {
    return Files.writeString(dir.resolve("events.jsonl"), event("ev-1", "2026-03-01T12:00:00.010Z", "r-1"));
  }

  @Test
  void everyCallExplained_exit0_textReport() throws Exception {
    CliRun r = CliRun.run("audit", "report", "--trail-logs", trail(false).toString(), "--events", events().toString());
    assertEquals(ExitCodes.OK, r.status, r.toString());
    assertTrue(r.out.startsWith("byok audit report: complete input; unexplained=0 vendor_kms_calls=1 explained=1"), r.out);
    assertEquals("", r.err);
  }

  @Test
  void plantedVendorCallWithoutEvent_exit6_jsonNamesItsRequestId() throws Exception {
    CliRun r = CliRun.run("audit", "report", "--trail-logs", trail(true).toString(), "--events", events().toString(),
        "--vendor-account", "444455556666", "--format", "json");
    assertEquals(AuditCommand.UNEXPLAINED_CALLS, r.status, r.toString());
    JsonNode doc = new ObjectMapper().readTree(r.out);
    assertEquals(1, doc.get("unexplained").size());
    assertEquals("r-planted", doc.get("unexplained").get(0).get("requestID").asText());
  }

  @Test
  void unreadableLogFile_exit7_firstLineSaysIncomplete() throws Exception {
    Path t = trail(false);
    Files.write(t.resolve("broken.json.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});
    CliRun r = CliRun.run("audit", "report", "--trail-logs", t.toString(), "--events", events().toString());
    assertEquals(AuditCommand.INCOMPLETE_INPUT, r.status, r.toString());
    assertTrue(r.out.startsWith("byok audit report: INCOMPLETE INPUT (1 trail log file unreadable"), r.out);
  }

  @Test
  void htmlToFile_selfContained_headlinePrinted() throws Exception {
    Path out = dir.resolve("report.html");
    CliRun r = CliRun.run("audit", "report", "--trail-logs", trail(true).toString(), "--events", events().toString(),
        "--format", "html", "--out", out.toString(), "--from", "2026-03-01", "--to", "2026-03-02T00:00:00Z");
    assertEquals(AuditCommand.UNEXPLAINED_CALLS, r.status, r.toString());
    assertTrue(r.out.startsWith("byok audit report: complete input; unexplained=1"), r.out);
    String html = Files.readString(out);
    assertTrue(html.contains("<svg") && !html.contains("<script"), "self-contained HTML with SVG");
  }

  @Test
  void missingEventsFile_exit1_oneErrorLine() throws Exception {
    CliRun r = CliRun.run("audit", "report", "--trail-logs", trail(false).toString(), "--events",
        dir.resolve("none.jsonl").toString());
    assertEquals(ExitCodes.FAILED, r.status, r.toString());
    assertEquals(1, r.errLines().size(), r.toString());
    assertTrue(r.err.startsWith("byok audit report: audit events '"), r.err);
    assertEquals("", r.out);
  }

  @Test
  void usageErrors_exit2() throws Exception {
    String t = trail(false).toString();
    String e = events().toString();
    CliRun r = CliRun.run("audit", "report", "--trail-logs", t, "--events", e, "--format", "pdf");
    assertEquals(ExitCodes.USAGE, r.status, r.toString());
    assertTrue(r.err.contains("--format: expected text, json or html"), r.err);
    r = CliRun.run("audit", "report", "--trail-logs", t, "--events", e, "--from", "yesterday");
    assertEquals(ExitCodes.USAGE, r.status, r.toString());
    assertTrue(r.err.contains("--from 'yesterday': expected an ISO-8601 UTC time"), r.err);
    r = CliRun.run("audit", "report", "--trail-logs", t, "--events", e, "--vendor-account", "12");
    assertEquals(ExitCodes.USAGE, r.status, r.toString());
    r = CliRun.run("audit", "report", "--trail-logs", t, "--events", e, "--from", "2026-03-02", "--to", "2026-03-01");
    assertEquals(ExitCodes.USAGE, r.status, r.toString());
    assertTrue(r.err.contains("--from must be before --to"), r.err);
    r = CliRun.run("audit", "report", "--events", e);
    assertEquals(ExitCodes.USAGE, r.status, r.toString());
    assertTrue(r.err.contains("--trail-logs"), r.err);
  }
}
