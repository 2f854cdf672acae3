package dev.byok.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class CloudTrailLogReaderTest {
  private static final String RECORD = "{\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"Decrypt\","
      + "\"eventTime\":\"2026-03-01T12:00:00Z\",\"requestID\":\"r%d\",\"userIdentity\":{\"accountId\":\"444455556666\","
      + "\"sessionContext\":{\"sessionIssuer\":{\"arn\":\"arn:aws:iam::444455556666:role/v\"}}},"
      + "\"requestParameters\":{\"keyId\":\"k\",\"encryptionContext\":{\"tenant\":\"t\"}},"
      + "\"resources\":[{\"ARN\":\"arn:aws:kms:us-east-1:111122223333:key/k\",\"accountId\":\"111122223333\"}],"
      + "\"responseElements\":null,\"unknownTopLevel\":{\"deep\":[1,2,{\"x\":3}]}}";

  private static List<CloudTrailRecord> read(byte[] data) throws Exception {
    List<CloudTrailRecord> out = new ArrayList<>();
    CloudTrailLogReader.read(new ByteArrayInputStream(data), out::add);
    return out;
  }

  private static byte[] gzip(String s) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(b)) {
      g.write(s.getBytes(StandardCharsets.UTF_8));
    }
    return b.toByteArray();
  }

  @Test
  void plainAndGzip_sameRecords_boundFields() throws Exception {
    String file = "{\"Records\":[" + String.format(RECORD, 1) + "," + String.format(RECORD, 2) + "]}";
    List<CloudTrailRecord> plain = read(file.getBytes(StandardCharsets.UTF_8));
    List<CloudTrailRecord> gz = read(gzip(file));
    assertEquals(plain, gz);
    assertEquals(2, plain.size());
    CloudTrailRecord r = plain.get(1);
    assertEquals("r2", r.requestID());
    assertEquals("arn:aws:kms:us-east-1:111122223333:key/k", r.resources().get(0).arn());
    assertEquals("t", r.requestParameters().encryptionContext().get("tenant"));
    assertEquals("arn:aws:iam::444455556666:role/v", r.userIdentity().sessionContext().sessionIssuer().arn());
  }

  @Test
  void otherTopLevelFieldsBeforeRecords_skipped() throws Exception {
    List<CloudTrailRecord> r = read(("{\"Meta\":{\"a\":[1,{\"Records\":[]}]},\"Records\":[" + String.format(RECORD, 7)
        + "]}").getBytes(StandardCharsets.UTF_8));
    assertEquals(1, r.size());
  }

  @Test
  void recordNotAnObject_unreadable_countsWhatWasRead() {
    CloudTrailLogReader.UnreadableLogException e = assertThrows(CloudTrailLogReader.UnreadableLogException.class,
        () -> read(("{\"Records\":[" + String.format(RECORD, 1) + ",42]}").getBytes(StandardCharsets.UTF_8)));
    assertEquals("record 2 is a number, not a JSON object", e.getMessage());
    assertEquals(1, e.recordsRead());
  }

  @Test
  void recordOfTheWrongShape_unreadable() {
    CloudTrailLogReader.UnreadableLogException e = assertThrows(CloudTrailLogReader.UnreadableLogException.class,
        () -> read("{\"Records\":[{\"requestParameters\":{\"encryptionContext\":[1,2]}}]}".getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().startsWith("record 1 does not have CloudTrail's shape"), e.getMessage());
  }

  @Test
  void emptyFile_unreadable() {
    CloudTrailLogReader.UnreadableLogException e = assertThrows(CloudTrailLogReader.UnreadableLogException.class,
        () -> read(new byte[0]));
    assertTrue(e.getMessage().endsWith("found an empty file"), e.getMessage());
  }

  /** A file far larger than memory would allow if it were loaded whole is read with constant memory. */
  @Test
  void streamsRecordByRecord_producerNeverAheadOfConsumerByMoreThanABuffer() throws Exception {
    PipedInputStream in = new PipedInputStream(64 * 1024);
    PipedOutputStream pipe = new PipedOutputStream(in);
    AtomicLong written = new AtomicLong();
    Thread producer = new Thread(() -> {
      try (OutputStream o = pipe) {
        o.write("{\"Records\":[".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 20_000; i++) {
          o.write(((i == 0 ? "" : ",") + String.format(RECORD, i)).getBytes(StandardCharsets.UTF_8));
          written.incrementAndGet();
        }
        o.write("]}".getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    producer.start();
    AtomicLong maxLead = new AtomicLong();
    AtomicLong seen = new AtomicLong();
    long n = CloudTrailLogReader.read(in, r -> {
      long s = seen.incrementAndGet();
      maxLead.accumulateAndGet(written.get() - s, Math::max);
    });
    producer.join();
    assertEquals(20_000, n);
    assertTrue(maxLead.get() < 1_000, "the reader consumed records as they came, lead " + maxLead.get());
  }

  @Test
  void logLayout_dayOfKeys() {
    assertEquals(LocalDate.of(2026, 3, 1), LogLayout.day("p/AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/01/f.json.gz")
        .orElseThrow());
    assertEquals(LocalDate.of(2026, 3, 1), LogLayout.day("AWSLogs/o-abcdefghij/111122223333/CloudTrail/eu-west-1/2026/03/01/f.json.gz")
        .orElseThrow());
    assertTrue(LogLayout.day("AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/03/01/f.json.gz").isEmpty());
    assertTrue(LogLayout.day("notes.txt").isEmpty());
  }

}
