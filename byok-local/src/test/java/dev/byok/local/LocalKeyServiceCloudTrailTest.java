package dev.byok.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byok.core.AwsAccountId;
import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyArn;
import dev.byok.core.keys.GeneratedDataKey;
import dev.byok.core.keys.KeyService;
import dev.byok.core.keys.KeyServiceException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LocalKeyService#writeCloudTrailRecords}: the call log and key changes as CloudTrail KMS records. */
class LocalKeyServiceCloudTrailTest {
  private static final AwsAccountId VENDOR = AwsAccountId.of("444455556666");

  @TempDir Path dir;

  private static List<JsonNode> records(Path file) throws Exception {
    try (InputStream raw = Files.newInputStream(file);
         InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
      JsonNode doc = new ObjectMapper().readTree(in);
      List<JsonNode> out = new ArrayList<>();
      doc.get("Records").forEach(out::add);
      return out;
    }
  }

  @Test
  void callsAndKeyChanges_asCloudTrailRecords_oldestFirst() throws Exception {
    MutableClock clock = new MutableClock(java.time.Instant.parse("2026-03-01T12:00:00Z"));
    LocalKeyService svc = LocalKeyService.builder().clock(clock).build();
    KeyArn key = svc.createKey("acme", "acme-slack");
    svc.allowAccount(key.toString(), VENDOR);
    KeyService vendor = svc.clientFor(VENDOR);
    clock.advance(java.time.Duration.ofSeconds(1));
    EncryptionContext ctx = EncryptionContext.of("tenant", "acme");
    GeneratedDataKey dk = vendor.generateDataKey(key, ctx);
    clock.advance(java.time.Duration.ofSeconds(1));
    svc.disableKey(key.toString());
    clock.advance(java.time.Duration.ofMillis(1500));
    KeyServiceException denied = assertThrows(KeyServiceException.class,
        () -> vendor.decryptDataKey(key, dk.encrypted(), ctx));
    clock.advance(java.time.Duration.ofSeconds(1));
    svc.enableKey(key.toString());
    svc.scheduleKeyDeletion(key.toString(), 7);

    Path file = dir.resolve("trail.json.gz");
    svc.writeCloudTrailRecords(file);
    List<JsonNode> r = records(file);

    List<String> names = r.stream().map(n -> n.get("eventName").asText()).toList();
    assertEquals(List.of("CreateKey", "PutKeyPolicy", "GenerateDataKey", "DisableKey", "Decrypt", "EnableKey",
        "ScheduleKeyDeletion"), names);
    JsonNode gdk = r.get(2);
    assertEquals("kms.amazonaws.com", gdk.get("eventSource").asText());
    assertEquals("2026-03-01T12:00:01Z", gdk.get("eventTime").asText());
    assertEquals(dk.requestId(), gdk.get("requestID").asText());
    assertEquals(VENDOR.value(), gdk.get("userIdentity").get("accountId").asText());
    assertEquals("AWSAccount", gdk.get("userIdentity").get("type").asText());
    assertEquals("111122223333", gdk.get("recipientAccountId").asText());
    assertEquals(key.toString(), gdk.get("requestParameters").get("keyId").asText());
    assertEquals("acme", gdk.get("requestParameters").get("encryptionContext").get("tenant").asText());
    assertEquals(key.toString(), gdk.get("resources").get(0).get("ARN").asText());
    assertFalse(gdk.has("errorCode"));

    JsonNode dec = r.get(4);
    assertEquals("DisabledException", dec.get("errorCode").asText());
    assertEquals(denied.requestId(), dec.get("requestID").asText());
    assertEquals("2026-03-01T12:00:03.500Z", dec.get("eventTime").asText());

    JsonNode disable = r.get(3);
    assertEquals("Root", disable.get("userIdentity").get("type").asText());
    assertEquals("111122223333", disable.get("userIdentity").get("accountId").asText());
    assertFalse(disable.get("readOnly").asBoolean());
    assertEquals(7, r.get(6).get("requestParameters").get("pendingWindowInDays").asInt());
    assertEquals(r.size(), r.stream().map(n -> n.get("eventID").asText()).distinct().count(), "unique event IDs");
  }

  @Test
  void plainJsonWhenNotGz_andNoKeyMaterialInTheFile() throws Exception {
    LocalKeyService svc = LocalKeyService.builder().build();
    KeyArn key = svc.createKey("k");
    GeneratedDataKey dk = svc.ownerClient().generateDataKey(key, EncryptionContext.empty());
    Path file = dir.resolve("trail.json");
    svc.writeCloudTrailRecords(file);
    String text = Files.readString(file);
    assertTrue(text.startsWith("{\"Records\":["), text);
    String material = java.util.HexFormat.of().formatHex(svc.exportKeyMaterialForTesting(key.toString()));
    assertFalse(text.toLowerCase().contains(material));
    assertFalse(text.contains(java.util.Base64.getEncoder().encodeToString(dk.encrypted().ciphertext())));
    assertEquals(2, records(file).size());
  }

  @Test
  void clearCallLog_clearsTheKeyChangesToo() throws Exception {
    LocalKeyService svc = LocalKeyService.builder().build();
    svc.createKey("k");
    svc.clearCallLog();
    Path file = dir.resolve("t.json");
    svc.writeCloudTrailRecords(file);
    assertEquals(0, records(file).size());
  }
}
