package dev.byok.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records per second of the report over 1,000,000 CloudTrail records: 10 gzip log files of 100,000
 * records each in CloudTrail's layout, 70% KMS calls by the vendor (each with its audit event but
 * 7 planted ones) and 30% records of other services, plus 699,993 audit events. Prints the figures;
 * checks the report found exactly the planted calls.
 *
 * <p>Skipped by default (it writes about 100 MB and takes a minute): run it with
 * {@code mvn -B -o -pl byok-audit -am test -Dtest=AuditThroughputBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false -Dbyok.audit.benchmark=true},
 * or as a plain program ({@link #main}) with the test class path.
 */
class AuditThroughputBenchmarkTest {
  static final int RECORDS = 1_000_000;
  static final int FILES = 10;
  static final int PLANTED = 7;
  private static final String KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  @TempDir Path dir;

  @Test
  void millionRecords_recordsPerSecond() throws Exception {
    if (!Boolean.getBoolean("byok.audit.benchmark")) {
      String reason = "skipped: the 1,000,000-record benchmark runs only with -Dbyok.audit.benchmark=true "
          + "(it writes about 100 MB and takes a minute)";
      System.out.println("AuditThroughputBenchmarkTest " + reason);
      Assumptions.assumeTrue(false, reason);
    }
    Result r = run(dir);
    System.out.println(r);
    assertEquals(PLANTED, r.unexplained);
    assertTrue(r.recordsPerSecond > 0);
  }

  /** Runs the benchmark in a temporary folder and prints the figures. */
  public static void main(String[] args) throws Exception {
    Path d = Files.createTempDirectory("byok-audit-bench-");
    System.out.println(run(d));
  }

  record Result(long records, long events, double writeSeconds, double eventsSeconds, double totalSeconds,
      double trailOnlySeconds, double recordsPerSecond, double trailOnlyRecordsPerSecond, long unexplained,
      long heapMb) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "byok-audit benchmark: %,d CloudTrail records (%d gzip files) + %,d audit events; "
          + "data written in %.1f s. Report with the join: %.1f s = %,.0f records/s (events alone %.1f s). Trail "
          + "alone (no events): %.1f s = %,.0f records/s. Unexplained found: %d. Max heap: %d MB. Java %s, %d cores.",
          records, FILES, events, writeSeconds, totalSeconds, recordsPerSecond, eventsSeconds, trailOnlySeconds,
          trailOnlyRecordsPerSecond, unexplained, heapMb, System.getProperty("java.version"),
          Runtime.getRuntime().availableProcessors());
    }
  }

  static Result run(Path dir) throws IOException {
    long w0 = System.nanoTime();
    Path trail = dir.resolve("trail");
    Path events = dir.resolve("events.jsonl");
    long eventCount = write(trail, events);
    double writeSeconds = (System.nanoTime() - w0) / 1e9;
    Path noEvents = Files.writeString(dir.resolve("none.jsonl"), "");

    // warm-up on one file, so the JIT is not all of the first measurement
    KeyUseAudit.builder().trail(TrailSource.local(trail.resolve(firstFile(trail)))).events(EventSource.jsonLines(noEvents))
        .maxListed(10).build().run();

    long e0 = System.nanoTime();
    KeyUseAudit.builder().trail(TrailSource.local(Files.writeString(dir.resolve("empty.json"), "{\"Records\":[]}")))
        .events(EventSource.jsonLines(events)).build().run();
    double eventsSeconds = (System.nanoTime() - e0) / 1e9;

    long t0 = System.nanoTime();
    AuditReport joined = KeyUseAudit.builder().trail(TrailSource.local(trail)).events(EventSource.jsonLines(events))
        .build().run();
    double total = (System.nanoTime() - t0) / 1e9;
    long heapMb = Runtime.getRuntime().maxMemory() >> 20;

    long o0 = System.nanoTime();
    AuditReport trailOnly = KeyUseAudit.builder().trail(TrailSource.local(trail)).events(EventSource.jsonLines(noEvents))
        .maxListed(100).build().run();
    double trailSeconds = (System.nanoTime() - o0) / 1e9;
    if (trailOnly.input().records() != RECORDS || joined.input().records() != RECORDS) {
      throw new IllegalStateException("read " + joined.input().records() + " records, expected " + RECORDS);
    }
    return new Result(RECORDS, eventCount, writeSeconds, eventsSeconds, total, trailSeconds, RECORDS / total,
        RECORDS / trailSeconds, joined.headline().unexplained(), heapMb);
  }

  private static String firstFile(Path trail) throws IOException {
    try (var s = Files.walk(trail)) {
      return trail.relativize(s.filter(Files::isRegularFile).sorted().findFirst().orElseThrow()).toString();
    }
  }

  /** Writes the log files and the events; returns the number of events. */
  private static long write(Path trail, Path eventsFile) throws IOException {
    JsonFactory f = new JsonFactory();
    Instant start = Instant.parse("2026-03-01T00:00:00Z");
    Path day = Files.createDirectories(trail.resolve("AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/01"));
    long events = 0;
    int perFile = RECORDS / FILES;
    int planted = 0;
    try (BufferedWriter ev = Files.newBufferedWriter(eventsFile, StandardCharsets.UTF_8)) {
      for (int file = 0; file < FILES; file++) {
        Path p = day.resolve(String.format(Locale.ROOT, "111122223333_CloudTrail_us-east-1_20260301T%02d00Z_bench%02d.json.gz",
            file, file));
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p), 1 << 16);
             JsonGenerator g = f.createGenerator(out)) {
          g.writeStartObject();
          g.writeArrayFieldStart("Records");
          for (int i = 0; i < perFile; i++) {
            long n = (long) file * perFile + i;
            Instant t = start.plusMillis(n * 80);
            String rid = new UUID(0x1234_5678_9abc_4defL, 0x8000_0000_0000_0000L | n).toString();
            boolean kms = n % 10 < 7;
            g.writeStartObject();
            g.writeStringField("eventVersion", "1.11");
            g.writeObjectFieldStart("userIdentity");
            g.writeStringField("type", "AssumedRole");
            g.writeStringField("principalId", "AROAEXAMPLEVENDOR:byok");
            g.writeStringField("arn", kms ? "arn:aws:sts::444455556666:assumed-role/slack-byok/byok"
                : "arn:aws:iam::111122223333:user/Alice");
            g.writeStringField("accountId", kms ? "444455556666" : "111122223333");
            if (kms) {
              g.writeObjectFieldStart("sessionContext");
              g.writeObjectFieldStart("sessionIssuer");
              g.writeStringField("type", "Role");
              g.writeStringField("arn", "arn:aws:iam::444455556666:role/slack-byok");
              g.writeStringField("accountId", "444455556666");
              g.writeEndObject();
              g.writeObjectFieldStart("attributes");
              g.writeStringField("creationDate", "2026-03-01T00:00:00Z");
              g.writeStringField("mfaAuthenticated", "false");
              g.writeEndObject();
              g.writeEndObject();
            }
            g.writeEndObject();
            g.writeStringField("eventTime", t.toString());
            g.writeStringField("eventSource", kms ? "kms.amazonaws.com" : "s3.amazonaws.com");
            g.writeStringField("eventName", kms ? (n % 2 == 0 ? "Decrypt" : "GenerateDataKey") : "GetObject");
            g.writeStringField("awsRegion", "us-east-1");
            g.writeStringField("sourceIPAddress", "192.0.2.0");
            g.writeStringField("userAgent", "aws-sdk-java/2.57.8 Linux/6.1 OpenJDK_64-Bit_Server_VM/17");
            g.writeObjectFieldStart("requestParameters");
            if (kms) {
              g.writeStringField("keyId", KEY);
              g.writeStringField("encryptionAlgorithm", "SYMMETRIC_DEFAULT");
              g.writeObjectFieldStart("encryptionContext");
              g.writeStringField("tenant", "tenant-" + (n % 50));
              g.writeStringField("data-class", "messages");
              g.writeEndObject();
            } else {
              g.writeStringField("bucketName", "acme-data");
              g.writeStringField("key", "reports/" + n + ".pdf");
            }
            g.writeEndObject();
            g.writeNullField("responseElements");
            g.writeStringField("requestID", rid);
            g.writeStringField("eventID", new UUID(0x0eee_0000_0000_4000L, 0x8000_0000_0000_0000L | n).toString());
            g.writeBooleanField("readOnly", true);
            if (kms) {
              g.writeArrayFieldStart("resources");
              g.writeStartObject();
              g.writeStringField("accountId", "111122223333");
              g.writeStringField("type", "AWS::KMS::Key");
              g.writeStringField("ARN", KEY);
              g.writeEndObject();
              g.writeEndArray();
            }
            g.writeStringField("eventType", "AwsApiCall");
            g.writeBooleanField("managementEvent", kms);
            g.writeStringField("recipientAccountId", "111122223333");
            g.writeStringField("eventCategory", kms ? "Management" : "Data");
            g.writeObjectFieldStart("tlsDetails");
            g.writeStringField("tlsVersion", "TLSv1.3");
            g.writeStringField("cipherSuite", "TLS_AES_256_GCM_SHA384");
            g.writeStringField("clientProvidedHostHeader", "kms.us-east-1.amazonaws.com");
            g.writeEndObject();
            g.writeEndObject();
            if (kms) {
              if (planted < PLANTED && n % 100_003 == 7) {
                planted++;
              } else {
                events++;
                ev.write("{\"eventId\":\"" + new UUID(0x0ddd_0000_0000_4000L, 0x8000_0000_0000_0000L | n)
                    + "\",\"time\":\"" + t.plusMillis(3) + "\",\"tenant\":\"tenant-" + (n % 50)
                    + "\",\"operation\":\"" + (n % 2 == 0 ? "DECRYPT" : "ENCRYPT") + "\",\"keyArn\":\"" + KEY
                    + "\",\"reasonCode\":\"" + (n % 3 == 0 ? "SEARCH_INDEXING" : "USER_REQUEST")
                    + "\",\"actor\":\"svc\",\"encryptionContext\":{\"data-class\":\"messages\",\"tenant\":\"tenant-"
                    + (n % 50) + "\"},\"messageId\":\"m" + n + "\",\"dataKeySource\":\"KMS\",\"kmsRequestId\":\"" + rid
                    + "\",\"outcome\":\"SUCCESS\"}\n");
              }
            }
          }
          g.writeEndArray();
          g.writeEndObject();
        }
      }
    }
    if (planted != PLANTED) {
      throw new IllegalStateException("planted " + planted + " calls, expected " + PLANTED);
    }
    return events;
  }
}
