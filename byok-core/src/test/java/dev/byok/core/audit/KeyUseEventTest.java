package dev.byok.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.core.AccessReason;
import dev.byok.core.EncryptionContext;
import dev.byok.core.ReasonCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyUseEventTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T = Instant.parse("2025-03-04T05:06:07.123456789Z");

  private static KeyUseEvent full() {
    return KeyUseEvent.builder()
        .eventId("e-1")
        .time(T)
        .tenant("acme")
        .operation(KeyUseEvent.Operation.DECRYPT)
        .keyArn("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
        .reason(AccessReason.of(ReasonCode.VENDOR_SUPPORT_ACCESS, "ticket \"4711\"\nline 2", "support:jdoe"))
        .encryptionContext(EncryptionContext.of(Map.of("tenant", "acme", "data-class", "messages")))
        .messageId("bWVzc2FnZS1pZA==")
        .dataKeySource(KeyUseEvent.DataKeySource.KMS)
        .kmsRequestId("req-1")
        .outcome(KeyUseEvent.Outcome.FAILURE)
        .error("DisabledException")
        .build();
  }

  @Test
  void toJson_fromJson_roundTripsEveryField() {
    KeyUseEvent e = full();
    String json = e.toJson();
    assertFalse(json.contains("\n"), "one line: " + json);
    KeyUseEvent back = KeyUseEvent.fromJson(json);
    assertEquals(e, back);
    assertEquals("e-1", back.eventId());
    assertEquals(T, back.time());
    assertEquals("acme", back.tenant());
    assertEquals(KeyUseEvent.Operation.DECRYPT, back.operation());
    assertEquals("VENDOR_SUPPORT_ACCESS", back.reasonCode());
    assertEquals("ticket \"4711\"\nline 2", back.reasonDetail());
    assertEquals("support:jdoe", back.actor());
    assertEquals(List.of("data-class", "tenant"), new ArrayList<>(back.encryptionContext().keySet()));
    assertEquals("bWVzc2FnZS1pZA==", back.messageId());
    assertEquals(KeyUseEvent.DataKeySource.KMS, back.dataKeySource());
    assertEquals("req-1", back.kmsRequestId());
    assertEquals(KeyUseEvent.Outcome.FAILURE, back.outcome());
    assertEquals("DisabledException", back.error());
    assertEquals(json, back.toJson());
  }

  @Test
  void toJson_minimal_omitsAbsentFieldsAndDefaults() throws Exception {
    KeyUseEvent e = KeyUseEvent.builder().time(T).tenant("t").operation(KeyUseEvent.Operation.REVOKED).build();
    assertEquals(36, e.eventId().length(), "random UUID");
    ObjectNode n = (ObjectNode) JSON.readTree(e.toJson());
    assertFalse(n.has("keyArn"));
    assertFalse(n.has("error"));
    assertFalse(n.has("kmsRequestId"));
    assertEquals("NONE", n.get("dataKeySource").asText());
    assertEquals("SUCCESS", n.get("outcome").asText());
    assertTrue(n.get("encryptionContext").isObject());
    KeyUseEvent back = KeyUseEvent.fromJson(e.toJson());
    assertEquals(e, back);
    assertNull(back.keyArn());
    assertTrue(back.encryptionContext().isEmpty());
  }

  @Test
  void builder_twoEvents_getDistinctIds() {
    KeyUseEvent.Builder b = KeyUseEvent.builder().time(T).tenant("t").operation(KeyUseEvent.Operation.PROBE);
    assertNotEquals(b.build().eventId(), b.build().eventId());
  }

  @Test
  void builder_manyEvents_getDistinctVersion4Uuids() {
    KeyUseEvent.Builder b = KeyUseEvent.builder().time(T).tenant("t").operation(KeyUseEvent.Operation.PROBE);
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      java.util.UUID id = java.util.UUID.fromString(b.build().eventId());
      assertEquals(4, id.version(), "version 4 (random) UUID");
      assertEquals(2, id.variant(), "IETF variant");
      ids.add(id.toString());
    }
    assertEquals(10_000, ids.size());
  }

  @Test
  void builder_contextFromMutableMap_isCopied() {
    java.util.Map<String, String> m = new java.util.HashMap<>(java.util.Map.of("tenant", "acme"));
    KeyUseEvent e = KeyUseEvent.builder().time(T).tenant("t").operation(KeyUseEvent.Operation.PROBE)
        .encryptionContext(m).build();
    m.put("tenant", "other");
    assertEquals("acme", e.encryptionContext().get("tenant"));
    assertThrows(UnsupportedOperationException.class, () -> e.encryptionContext().put("x", "y"));
  }

  @Test
  void builder_missingRequired_rejectedNamingIt() {
    // A missing required value is an IllegalStateException naming it (it was a NullPointerException).
    assertEquals("KeyUseEvent.Builder: time is required", assertThrows(IllegalStateException.class,
        () -> KeyUseEvent.builder().tenant("t").operation(KeyUseEvent.Operation.PROBE).build()).getMessage());
    assertEquals("KeyUseEvent.Builder: tenant is required", assertThrows(IllegalStateException.class,
        () -> KeyUseEvent.builder().time(T).operation(KeyUseEvent.Operation.PROBE).build()).getMessage());
    assertEquals("KeyUseEvent.Builder: operation is required", assertThrows(IllegalStateException.class,
        () -> KeyUseEvent.builder().time(T).tenant("t").build()).getMessage());
  }

  @Test
  void builder_valueSetTwice_rejectedNamingIt() {
    assertEquals("KeyUseEvent.Builder: tenant was already set", assertThrows(IllegalStateException.class,
        () -> KeyUseEvent.builder().tenant("a").tenant("b")).getMessage());
    assertEquals("KeyUseEvent.Builder: error was already set", assertThrows(IllegalStateException.class,
        () -> KeyUseEvent.builder().error(null).error("x")).getMessage());
    assertEquals("KeyUseEvent.Builder: encryptionContext was already set", assertThrows(IllegalStateException.class,
        () -> KeyUseEvent.builder().encryptionContext(Map.of()).encryptionContext(EncryptionContext.empty())).getMessage());
    assertEquals("KeyUseEvent.Builder: reasonCode was already set", assertThrows(IllegalStateException.class,
        () -> KeyUseEvent.builder().reasonCode("X_Y_Z").reason(AccessReason.of(ReasonCode.USER_REQUEST))).getMessage());
  }

  @Test
  void toBuilder_eachFieldMayBeSetOnceMore() {
    KeyUseEvent e = KeyUseEvent.builder().time(T).tenant("t").operation(KeyUseEvent.Operation.PROBE).error("a").build();
    KeyUseEvent changed = e.toBuilder().error("b").tenant("u").build();
    assertEquals("b", changed.error());
    assertEquals("u", changed.tenant());
    assertEquals(e.eventId(), changed.eventId());
    assertThrows(IllegalStateException.class, () -> e.toBuilder().error("b").error("c"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"eventId", "time", "tenant", "operation"})
  void fromJson_missingRequiredField_named(String field) throws Exception {
    ObjectNode n = (ObjectNode) JSON.readTree(full().toJson());
    n.remove(field);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyUseEvent.fromJson(n.toString()));
    assertTrue(e.getMessage().contains("missing field '" + field + "'"), e.getMessage());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"time=yesterday", "operation=ENCRYPTED", "dataKeySource=DISK", "outcome=MAYBE"})
  void fromJson_malformedEnumOrTime_rejected(String change) throws Exception {
    String[] kv = change.split("=");
    ObjectNode n = (ObjectNode) JSON.readTree(full().toJson());
    n.put(kv[0], kv[1]);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyUseEvent.fromJson(n.toString()));
    assertTrue(e.getMessage().startsWith("audit event: malformed"), e.getMessage());
  }

  @Test
  void fromJson_notJsonOrNotObject_rejected() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> KeyUseEvent.fromJson("{\"eventId\":"))
        .getMessage().startsWith("audit event: not JSON"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> KeyUseEvent.fromJson("[1,2]"))
        .getMessage().contains("expected a JSON object"));
  }

  @Test
  void fromJson_unknownFields_ignored() throws Exception {
    ObjectNode n = (ObjectNode) JSON.readTree(full().toJson());
    n.put("futureField", 42);
    assertEquals(full(), KeyUseEvent.fromJson(n.toString()));
  }

  @Test
  void toBuilder_copiesEverything() {
    KeyUseEvent e = full();
    assertEquals(e, e.toBuilder().build());
    assertEquals("other", e.toBuilder().tenant("other").build().tenant());
  }

  @Test
  void encryptionContextMap_isUnmodifiableCopy() {
    Map<String, String> m = new java.util.HashMap<>(Map.of("a", "b"));
    KeyUseEvent e = KeyUseEvent.builder().time(T).tenant("t").operation(KeyUseEvent.Operation.ENCRYPT)
        .encryptionContext(m).build();
    m.put("c", "d");
    assertEquals(Map.of("a", "b"), e.encryptionContext());
    assertThrows(UnsupportedOperationException.class, () -> e.encryptionContext().put("x", "y"));
  }

  @Test
  void auditSinkNoop_acceptsAndFlushes() {
    AuditSink sink = AuditSink.noop();
    sink.emit(full());
    assertTrue(sink.flush(java.time.Duration.ofSeconds(1)));
    assertEquals(0, sink.close(java.time.Duration.ofSeconds(1)));
  }
}
