package dev.byok.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HandoffBundleTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  private static HandoffBundle bundle() {
    return HandoffBundle.builder()
        .keyArn(KeyArn.parse(KEY))
        .region("eu-west-1")
        .roleArn("arn:aws:iam::111122223333:role/slack-prod-kms-logging")
        .logGroupName("ACME_SLACK_PROD_LOG_GROUP")
        .externalId("ext-8f14e45fceea167a5a36dedd4bea2543")
        .vendor("slack")
        .build();
  }

  @Test
  void toJson_fromJson_roundTrips() throws Exception {
    HandoffBundle b = bundle();
    String json = b.toJson();
    ObjectNode n = (ObjectNode) JSON.readTree(json);
    assertEquals(1, n.get("version").asInt());
    assertEquals(KEY, n.get("keyArn").asText());
    assertEquals("eu-west-1", n.get("region").asText());
    assertEquals("arn:aws:iam::111122223333:role/slack-prod-kms-logging", n.get("roleArn").asText());
    assertEquals("ACME_SLACK_PROD_LOG_GROUP", n.get("logGroupName").asText());
    assertEquals("ext-8f14e45fceea167a5a36dedd4bea2543", n.get("externalId").asText());
    assertEquals("slack", n.get("vendor").asText());
    HandoffBundle back = HandoffBundle.fromJson(json);
    assertEquals(b, back);
    assertEquals(b.hashCode(), back.hashCode());
    assertEquals(b, b.toBuilder().build());
  }

  @Test
  void writeRead_file_roundTrips(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("handoff.json");
    bundle().write(f);
    assertEquals(bundle(), HandoffBundle.read(f));
    assertTrue(Files.readString(f).endsWith("\n"));
  }

  @Test
  void write_holdsTheExternalId_ownerOnly(@TempDir Path dir) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"),
        "skipped: the temporary folder's file system has no POSIX permissions");
    Path fresh = dir.resolve("new.json");
    bundle().write(fresh);
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
    Path existing = Files.writeString(dir.resolve("old.json"), "{}");
    Files.setPosixFilePermissions(existing, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    bundle().write(existing);
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(existing)),
        "an existing world-readable file is narrowed before the external ID is written into it");
    assertEquals(bundle(), HandoffBundle.read(existing));
  }

  @Test
  void fromJson_withoutVersion_accepted() throws Exception {
    ObjectNode n = (ObjectNode) JSON.readTree(bundle().toJson());
    n.remove("version");
    assertEquals(bundle(), HandoffBundle.fromJson(n.toString()));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"keyArn", "region", "roleArn", "logGroupName", "externalId", "vendor"})
  void fromJson_missingField_namesIt(String field) throws Exception {
    ObjectNode n = (ObjectNode) JSON.readTree(bundle().toJson());
    n.remove(field);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HandoffBundle.fromJson(n.toString()));
    assertEquals("hand-off bundle: missing field '" + field + "'", e.getMessage());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"keyArn", "region", "roleArn", "logGroupName", "externalId", "vendor"})
  void fromJson_nullField_namesItAsMissing(String field) throws Exception {
    ObjectNode n = (ObjectNode) JSON.readTree(bundle().toJson());
    n.putNull(field);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HandoffBundle.fromJson(n.toString()));
    assertTrue(e.getMessage().contains("missing field '" + field + "'"), e.getMessage());
  }

  @Test
  void fromJson_severalMissing_namesEveryOne() throws Exception {
    ObjectNode n = (ObjectNode) JSON.readTree(bundle().toJson());
    n.remove("region");
    n.remove("externalId");
    n.remove("vendor");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HandoffBundle.fromJson(n.toString()));
    assertEquals("hand-off bundle: missing fields 'region', 'externalId', 'vendor'", e.getMessage());
  }

  @Test
  void fromJson_emptyObject_namesEveryField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HandoffBundle.fromJson("{}"));
    for (String f : new String[] {"keyArn", "region", "roleArn", "logGroupName", "externalId", "vendor"}) {
      assertTrue(e.getMessage().contains("'" + f + "'"), e.getMessage());
    }
  }

  @ParameterizedTest(name = "[{index}] {0}={1}")
  @CsvSource(delimiter = '|', value = {
      "keyArn       | arn:aws:kms:eu-west-1:11112222333:key/x  | field 'keyArn': KMS key ARN: account",
      "keyArn       | not-an-arn                               | field 'keyArn': KMS key ARN: expected",
      "region       | us-east-1                                | region 'us-east-1' differs from the key ARN's region 'eu-west-1'",
      "roleArn      | arn:aws:iam::111122223333:user/bob       | field 'roleArn' must be an IAM role ARN",
      "roleArn      | arn:aws:iam::11112222333:role/x          | field 'roleArn' must be an IAM role ARN",
      "logGroupName | has space                                | field 'logGroupName' must be 1-512 of",
      "logGroupName | ''                                       | field 'logGroupName' must be 1-512 of",
      "externalId   | x                                        | field 'externalId' must be 2-1224 of",
      "externalId   | bad id                                   | field 'externalId' must be 2-1224 of",
      "vendor       | Slack                                    | field 'vendor' must be a lower-case vendor profile name",
  })
  void fromJson_invalidField_namesFieldAndRule(String field, String value, String fragment) throws Exception {
    ObjectNode n = (ObjectNode) JSON.readTree(bundle().toJson());
    n.put(field, value);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HandoffBundle.fromJson(n.toString()));
    assertTrue(e.getMessage().startsWith("hand-off bundle: "), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @Test
  void fromJson_nonStringField_rejected() throws Exception {
    ObjectNode n = (ObjectNode) JSON.readTree(bundle().toJson());
    n.put("vendor", 7);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> HandoffBundle.fromJson(n.toString()))
        .getMessage().contains("field 'vendor' must be a string"));
  }

  @ParameterizedTest(name = "[{index}] version {0}")
  @ValueSource(strings = {"2", "0", "\"1\"", "1.5", "null"})
  void fromJson_unsupportedVersion_rejected(String version) throws Exception {
    String json = bundle().toJson().replaceFirst("\"version\" : 1", "\"version\" : " + version);
    assertTrue(json.contains("\"version\" : " + version), json);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HandoffBundle.fromJson(json));
    assertTrue(e.getMessage().contains("unsupported version"), e.getMessage());
  }

  @Test
  void fromJson_notJsonOrNotObject_rejected() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> HandoffBundle.fromJson("{\"keyArn\": "))
        .getMessage().startsWith("hand-off bundle: not valid JSON"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> HandoffBundle.fromJson("\"text\""))
        .getMessage().contains("expected a JSON object"));
  }

  @Test
  void read_badFile_errorNamesTheFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bundle.json");
    Files.writeString(f, "{\"version\":1}", StandardCharsets.UTF_8);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HandoffBundle.read(f));
    assertTrue(e.getMessage().startsWith(f.toString() + ": hand-off bundle: missing fields"), e.getMessage());
  }

  @Test
  void builder_missingField_namesIt() {
    // A missing field at build() is an IllegalStateException naming it (it was an
    // IllegalArgumentException); fromJson still answers a missing field with IllegalArgumentException.
    HandoffBundle b = bundle();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> HandoffBundle.builder().keyArn(b.keyArn()).region(b.region()).roleArn(b.roleArn())
            .logGroupName(b.logGroupName()).externalId(b.externalId()).build());
    assertEquals("hand-off bundle: missing field 'vendor'", e.getMessage());
    assertEquals("hand-off bundle: missing fields 'keyArn', 'externalId'", assertThrows(IllegalStateException.class,
        () -> HandoffBundle.builder().region(b.region()).roleArn(b.roleArn()).logGroupName(b.logGroupName())
            .vendor(b.vendor()).build()).getMessage());
  }

  @Test
  void builder_fieldSetTwice_rejectedNamingIt() {
    assertEquals("hand-off bundle: vendor was already set", assertThrows(IllegalStateException.class,
        () -> HandoffBundle.builder().vendor("slack").vendor("slack")).getMessage());
    assertEquals("hand-off bundle: keyArn was already set", assertThrows(IllegalStateException.class,
        () -> bundle().toBuilder().keyArn(KeyArn.parse(KEY)).keyArn(KeyArn.parse(KEY))).getMessage());
  }

  @Test
  void builder_badValue_rejectedBySetterAtOnce() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HandoffBundle.builder().vendor("Slack"));
    assertTrue(e.getMessage().startsWith("hand-off bundle: field 'vendor' must be"), e.getMessage());
    assertThrows(NullPointerException.class, () -> HandoffBundle.builder().vendor(null));
  }

  @Test
  void toString_showsOnlyStartOfExternalId() {
    String s = bundle().toString();
    assertTrue(s.contains("externalId=ext-..."), s);
    assertFalse(s.contains("8f14e45fceea167a5a36dedd4bea2543"), s);
  }

  @Test
  void equals_differsByEachField() {
    HandoffBundle b = bundle();
    assertNotEquals(b, b.toBuilder().vendor("other").build());
    assertNotEquals(b, b.toBuilder().externalId("other-id").build());
    assertNotEquals(b, b.toBuilder().logGroupName("OTHER").build());
    assertNotEquals(b, b.toBuilder().roleArn("arn:aws:iam::111122223333:role/other").build());
  }
}
