package dev.byok.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byok.core.audit.KeyUseEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static KeyUseEvent.Builder full() {
    Map<String, String> ctx = new LinkedHashMap<>();
    ctx.put("tenant", "acme");
    ctx.put("purpose", "messages \"quoted\" \\ \n");
    return KeyUseEvent.builder()
        .eventId("e-1")
        .time(Instant.parse("2026-03-01T12:00:00.123Z"))
        .tenant("acme")
        .operation(KeyUseEvent.Operation.ENCRYPT)
        .keyArn("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
        .reasonCode("USER_REQUEST")
        .reasonDetail("détail ✓ 😀")
        .actor("user:jdoe")
        .encryptionContext(ctx)
        .messageId("00ff")
        .dataKeySource(KeyUseEvent.DataKeySource.KMS)
        .kmsRequestId("4a5b6c7d-req")
        .outcome(KeyUseEvent.Outcome.FAILURE)
        .error("AccessDenied");
  }

  @Test
  void write_ordinaryEvent_sameTextAsKeyUseEventToJson() {
    KeyUseEvent e = full().build();
    assertEquals(e.toJson(), EventJson.write(e));
    KeyUseEvent minimal = KeyUseEvent.builder().eventId("m").time(Instant.EPOCH).tenant("t").operation(KeyUseEvent.Operation.PROBE).build();
    assertEquals(minimal.toJson(), EventJson.write(minimal));
  }

  @Test
  void write_ordinaryEvent_readBackByKeyUseEventFromJson() {
    KeyUseEvent e = full().build();
    assertEquals(e, KeyUseEvent.fromJson(EventJson.write(e)));
  }

  @Test
  void write_withinLimit_utf8BytesExact() {
    KeyUseEvent e = full().build();
    EventJson.Line l = EventJson.write(e, 10_000);
    assertEquals(l.json().getBytes(StandardCharsets.UTF_8).length, l.utf8Bytes());
    assertTrue(l.truncated().isEmpty());
  }

  @Test
  void write_loneSurrogatesAnywhere_replacedByFffdAndValidUtf8() throws Exception {
    KeyUseEvent e = full().build().toBuilder().tenant("t\uD800").reasonDetail("\uDC00").encryptionContext(Map.of("k\uDBFF", "v\uDFFF")).build();
    String json = EventJson.write(e);
    assertEquals(json, new String(json.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    JsonNode n = JSON.readTree(json);
    assertEquals("t\uFFFD", n.get("tenant").asText());
    assertEquals("\uFFFD", n.get("reasonDetail").asText());
    assertEquals("v\uFFFD", n.get("encryptionContext").get("k\uFFFD").asText());
  }

  @Test
  void write_300KiBError_cutToFitWithMarkerNamingTheOriginalSize() throws Exception {
    KeyUseEvent e = full().build().toBuilder().error("é".repeat(150 * 1024)).build(); // 300 KiB of UTF-8
    EventJson.Line l = EventJson.write(e, 262_118);
    assertTrue(l.utf8Bytes() <= 262_118, "size " + l.utf8Bytes());
    assertTrue(l.utf8Bytes() > 262_118 - 1_024, "cut no more than needed: " + l.utf8Bytes());
    assertEquals(l.json().getBytes(StandardCharsets.UTF_8).length, l.utf8Bytes());
    JsonNode n = JSON.readTree(l.json());
    assertEquals(300 * 1024, n.get("truncated").get("error").asInt());
    assertEquals(Map.of("error", 300 * 1024), l.truncated());
    assertTrue(n.get("error").asText().endsWith(EventJson.TRUNCATION_SUFFIX));
    assertEquals("détail ✓ 😀", n.get("reasonDetail").asText(), "smaller fields untouched");
    assertEquals("4a5b6c7d-req", n.get("kmsRequestId").asText());
  }

  @Test
  void write_largestFieldAloneCoversTheExcess_onlyThatFieldCut() throws Exception {
    KeyUseEvent e = full().build().toBuilder().error("x".repeat(200_000)).reasonDetail("y".repeat(150_000)).build();
    EventJson.Line l = EventJson.write(e, 262_118);
    assertTrue(l.utf8Bytes() <= 262_118);
    assertEquals(Map.of("error", 200_000), l.truncated());
    assertEquals(150_000, JSON.readTree(l.json()).get("reasonDetail").asText().length());
  }

  @Test
  void write_excessLargerThanAnyField_cutsLargestFirstUntilItFits() throws Exception {
    KeyUseEvent e = full().build().toBuilder().error("x".repeat(100_000)).reasonDetail("y".repeat(99_000)).actor("a".repeat(98_000))
        .encryptionContext(Map.of("blob", "z".repeat(97_000))).messageId("m".repeat(96_000)).build();
    EventJson.Line l = EventJson.write(e, 262_118);
    assertTrue(l.utf8Bytes() <= 262_118);
    assertEquals(Map.of("error", 100_000, "reasonDetail", 99_000, "actor", 98_000), l.truncated());
    JsonNode n = JSON.readTree(l.json());
    assertEquals(97_000, n.get("encryptionContext").get("blob").asText().length(), "fourth largest kept");
    assertEquals(3, n.get("truncated").size());
  }

  @Test
  void write_hugeContextKeys_lastResortLeavesContextOutWithMarker() throws Exception {
    Map<String, String> ctx = new LinkedHashMap<>();
    for (int i = 0; i < 4; i++) {
      ctx.put(i + "k".repeat(100_000), "v");
    }
    KeyUseEvent e = full().build().toBuilder().encryptionContext(ctx).build();
    EventJson.Line l = EventJson.write(e, 262_118);
    assertTrue(l.utf8Bytes() <= 262_118);
    JsonNode n = JSON.readTree(l.json());
    assertEquals(0, n.get("encryptionContext").size());
    assertTrue(n.get("truncated").get("encryptionContext").asInt() > 400_000);
    assertEquals("e-1", n.get("eventId").asText());
  }

  @Test
  void write_controlCharactersInHugeField_stillWithinLimit() {
    KeyUseEvent e = full().build().toBuilder().error("\u0001\"\\".repeat(100_000)).build();
    EventJson.Line l = EventJson.write(e, 262_118);
    assertTrue(l.utf8Bytes() <= 262_118, "escaped size " + l.utf8Bytes());
  }

  @Test
  void utf8Length_randomStrings_matchesTheJdkEncoder() {
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < 2_000; i++) {
      StringBuilder sb = new StringBuilder();
      int n = r.nextInt(40);
      for (int j = 0; j < n; j++) {
        sb.appendCodePoint(r.nextInt(4) == 0 ? r.nextInt(0x10000, 0x10FFFF) : r.nextInt(0xD7FF));
      }
      String s = sb.toString();
      assertEquals(s.getBytes(StandardCharsets.UTF_8).length, EventJson.utf8Length(s), s);
    }
  }

  @Test
  void wellFormed_validPairsKept_noCopyWhenNothingToFix() {
    String ok = "a😀b";
    assertTrue(ok == EventJson.wellFormed(ok));
    assertEquals("\uFFFD\uFFFD", EventJson.wellFormed("\uDE00\uD83D"), "reversed pair is two lone surrogates");
    assertFalse(EventJson.wellFormed("x\uD800").contains("\uD800"));
  }

  @Test
  void prefixWithin_neverSplitsASurrogatePairAndRespectsEscapedSize() {
    assertEquals("a", EventJson.prefixWithin("a😀", 4));
    assertEquals("a😀", EventJson.prefixWithin("a😀", 5));
    assertEquals("", EventJson.prefixWithin("\"x", 1), "a quote takes 2 bytes escaped");
  }
}
