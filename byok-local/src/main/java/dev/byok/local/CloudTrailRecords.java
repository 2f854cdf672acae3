package dev.byok.local;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.byok.core.AwsAccountId;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a {@link LocalKeyService}'s calls as a CloudTrail log file in AWS's documented format
 * for KMS records ({@code {"Records":[...]}}), streaming with Jackson's generator. Package-private;
 * see {@link LocalKeyService#writeCloudTrailRecords}. Stateless.
 */
final class CloudTrailRecords {
  private static final JsonFactory JSON = new JsonFactory();
  private static final String EVENT_VERSION = "1.11";

  private CloudTrailRecords() {}

  /** One successful key change by the owner. */
  record AdminCall(Instant time, String eventName, String keyArn, String requestId, Integer pendingWindowInDays) {}

  /** One record to write: a data-plane call or a key change. */
  private record Entry(Instant time, LocalKeyCall call, AdminCall admin) {}

  static void write(Path file, List<LocalKeyCall> calls, List<AdminCall> admin, AwsAccountId owner, String partition,
      String region) throws IOException {
    List<Entry> entries = new ArrayList<>(calls.size() + admin.size());
    calls.forEach(c -> entries.add(new Entry(c.time(), c, null)));
    admin.forEach(a -> entries.add(new Entry(a.time(), null, a)));
    entries.sort(Comparator.comparing(Entry::time));
    Path abs = file.toAbsolutePath();
    Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
    try {
      try (OutputStream raw = Files.newOutputStream(tmp);
           OutputStream out = abs.getFileName().toString().endsWith(".gz") ? new GZIPOutputStream(raw) : raw;
           JsonGenerator g = JSON.createGenerator(out)) {
        g.writeStartObject();
        g.writeArrayFieldStart("Records");
        for (Entry e : entries) {
          if (e.call() != null) {
            call(g, e.call(), owner, partition, region);
          } else {
            admin(g, e.admin(), owner, partition, region);
          }
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void call(JsonGenerator g, LocalKeyCall c, AwsAccountId owner, String partition, String region)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("eventVersion", EVENT_VERSION);
    identity(g, c.callerAccount(), owner, partition);
    g.writeStringField("eventTime", c.time().toString());
    g.writeStringField("eventSource", "kms.amazonaws.com");
    g.writeStringField("eventName", c.operation().kmsName());
    g.writeStringField("awsRegion", region);
    if (c.errorCode().isPresent()) {
      g.writeStringField("errorCode", c.errorCode().get());
    }
    g.writeStringField("sourceIPAddress", "127.0.0.1");
    g.writeStringField("userAgent", "byok-local");
    g.writeObjectFieldStart("requestParameters");
    if (c.operation() == LocalKeyCall.Operation.DECRYPT) {
      g.writeStringField("encryptionAlgorithm", "SYMMETRIC_DEFAULT");
    }
    if (c.keyArn() != null) {
      g.writeStringField("keyId", c.keyArn());
    }
    if (c.operation() == LocalKeyCall.Operation.GENERATE_DATA_KEY) {
      g.writeStringField("keySpec", "AES_256");
    }
    if (c.operation() != LocalKeyCall.Operation.DESCRIBE_KEY) {
      g.writeObjectFieldStart("encryptionContext");
      for (Map.Entry<String, String> p : c.encryptionContext().asMap().entrySet()) {
        g.writeStringField(p.getKey(), p.getValue());
      }
      g.writeEndObject();
    }
    g.writeEndObject();
    tail(g, c.requestId(), true, c.keyArn(), owner);
  }

  private static void admin(JsonGenerator g, AdminCall a, AwsAccountId owner, String partition, String region)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("eventVersion", EVENT_VERSION);
    identity(g, owner, owner, partition);
    g.writeStringField("eventTime", a.time().toString());
    g.writeStringField("eventSource", "kms.amazonaws.com");
    g.writeStringField("eventName", a.eventName());
    g.writeStringField("awsRegion", region);
    g.writeStringField("sourceIPAddress", "127.0.0.1");
    g.writeStringField("userAgent", "byok-local");
    g.writeObjectFieldStart("requestParameters");
    g.writeStringField("keyId", a.keyArn());
    if (a.pendingWindowInDays() != null) {
      g.writeNumberField("pendingWindowInDays", a.pendingWindowInDays());
    }
    if ("PutKeyPolicy".equals(a.eventName())) {
      g.writeStringField("policyName", "default");
    }
    g.writeEndObject();
    tail(g, a.requestId(), false, a.keyArn(), owner);
  }

  private static void identity(JsonGenerator g, AwsAccountId caller, AwsAccountId owner, String partition)
      throws IOException {
    g.writeObjectFieldStart("userIdentity");
    g.writeStringField("type", caller.equals(owner) ? "Root" : "AWSAccount");
    g.writeStringField("principalId", caller.value());
    g.writeStringField("arn", caller.rootArn(partition));
    g.writeStringField("accountId", caller.value());
    g.writeEndObject();
  }

  private static void tail(JsonGenerator g, String requestId, boolean readOnly, String keyArn, AwsAccountId owner)
      throws IOException {
    g.writeNullField("responseElements");
    g.writeStringField("requestID", requestId);
    g.writeStringField("eventID", UUID.nameUUIDFromBytes(("cloudtrail-event:" + requestId)
        .getBytes(StandardCharsets.UTF_8)).toString());
    g.writeBooleanField("readOnly", readOnly);
    if (keyArn != null && keyArn.startsWith("arn:")) {
      g.writeArrayFieldStart("resources");
      g.writeStartObject();
      g.writeStringField("accountId", owner.value());
      g.writeStringField("type", "AWS::KMS::Key");
      g.writeStringField("ARN", keyArn);
      g.writeEndObject();
      g.writeEndArray();
    }
    g.writeStringField("eventType", "AwsApiCall");
    g.writeBooleanField("managementEvent", true);
    g.writeStringField("recipientAccountId", owner.value());
    g.writeStringField("eventCategory", "Management");
    g.writeEndObject();
  }
}
