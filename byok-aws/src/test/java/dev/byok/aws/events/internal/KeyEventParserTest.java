package dev.byok.aws.events.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.aws.events.IgnoredReason;
import dev.byok.aws.events.KeyEvents;
import dev.byok.core.KeyArn;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Reading queue messages into key events, and refusing everything else with a reason. */
class KeyEventParserTest {
  private static final String KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
  private final KeyEventParser parser = new KeyEventParser(64 * 1024);

  private KeyEvent event(String body) {
    Parsed p = parser.parse(body);
    return assertInstanceOf(Parsed.Event.class, p, () -> "expected an event, got " + p).event();
  }

  private IgnoredReason ignored(String body) {
    Parsed p = parser.parse(body);
    return assertInstanceOf(Parsed.Ignored.class, p, () -> "expected ignored, got " + p).reason();
  }

  @Test
  void parse_documentedDisableKeyEvent_readsAccountCallKeyIdAndTime() {
    KeyEvent e = event(KeyEvents.sample());
    assertEquals("111122223333", e.account().value());
    assertEquals("DisableKey", e.eventName());
    assertEquals(EventKind.DENY, e.kind());
    assertEquals(KeyArn.parse(KEY), e.keyArn());
    assertEquals("abcde202-ba1a-467c-b4ba-f729d45ae521", e.eventId(), "the CloudTrail event ID");
    assertEquals(Optional.of(T), e.eventTime());
  }

  @ParameterizedTest
  @ValueSource(strings = {"DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy", "RevokeGrant"})
  void parse_denyLikeCalls_deny(String call) {
    assertEquals(EventKind.DENY, event(KeyEvents.of(call, KEY, "111122223333", T)).kind());
  }

  @ParameterizedTest
  @ValueSource(strings = {"EnableKey", "CancelKeyDeletion", "CreateGrant"})
  void parse_restoreLikeCalls_restore(String call) {
    assertEquals(EventKind.RESTORE, event(KeyEvents.of(call, KEY, "111122223333", T)).kind());
  }

  @ParameterizedTest
  @ValueSource(strings = {"Decrypt", "GenerateDataKey", "DescribeKey", "CreateKey", "disablekey", ""})
  void parse_otherCalls_unhandledEventName(String call) {
    assertEquals(IgnoredReason.UNHANDLED_EVENT_NAME, ignored(KeyEvents.of(call, KEY, "111122223333", T)));
  }

  @Test
  void parse_snsNotificationEnvelope_unwrappedOnce() {
    assertEquals(KeyArn.parse(KEY), event(KeyEvents.inSnsEnvelope(KeyEvents.sample())).keyArn());
    assertEquals(IgnoredReason.MALFORMED, ignored(KeyEvents.inSnsEnvelope(KeyEvents.inSnsEnvelope(KeyEvents.sample()))),
        "an envelope inside an envelope is not an event");
    assertEquals(IgnoredReason.MALFORMED, ignored(KeyEvents.inSnsEnvelope("not json")));
  }

  @Test
  void parse_onlyAKeyIdInTheRequest_completedWithTheEventsRegionAndAccount() {
    ObjectNode e = KeyEvents.sampleTree();
    ObjectNode d = (ObjectNode) e.get("detail");
    d.remove("resources");
    d.remove("responseElements");
    assertEquals(KeyArn.parse(KEY), event(e.toString()).keyArn());
  }

  @Test
  void parse_keyIdAndArnOfTheSameKey_oneKey() {
    ObjectNode e = KeyEvents.sampleTree();
    ((ObjectNode) e.get("detail").get("requestParameters")).put("keyId", KEY);
    assertEquals(KeyArn.parse(KEY), event(e.toString()).keyArn());
  }

  @Test
  void parse_twoDifferentKeys_ambiguous() {
    ObjectNode e = KeyEvents.sampleTree();
    ((ArrayNode) e.get("detail").get("resources")).addObject()
        .put("ARN", "arn:aws:kms:us-east-1:444455556666:key/0987dcba-09fe-87dc-65ba-ab0987654321");
    assertEquals(IgnoredReason.AMBIGUOUS_KEY, ignored(e.toString()));
  }

  @Test
  void parse_noKeyOrOnlyAnAlias_noKey() {
    ObjectNode e = KeyEvents.sampleTree();
    ObjectNode d = (ObjectNode) e.get("detail");
    d.remove("resources");
    d.remove("responseElements");
    ((ObjectNode) d.get("requestParameters")).put("keyId", "alias/acme-slack-sandbox");
    assertEquals(IgnoredReason.NO_KEY, ignored(e.toString()));
    d.remove("requestParameters");
    assertEquals(IgnoredReason.NO_KEY, ignored(e.toString()));
  }

  @Test
  void parse_failedCall_ignoredBecauseNothingChanged() {
    ObjectNode e = KeyEvents.sampleTree();
    ((ObjectNode) e.get("detail")).put("errorCode", "AccessDenied").put("errorMessage", "User is not authorized");
    assertEquals(IgnoredReason.FAILED_CALL, ignored(e.toString()));
  }

  @Test
  void parse_otherSourceDetailTypeOrEventSource_notAKmsEvent() {
    ObjectNode a = KeyEvents.sampleTree();
    a.put("source", "aws.s3");
    ObjectNode b = KeyEvents.sampleTree();
    b.put("detail-type", "KMS CMK Rotation");
    ObjectNode c = KeyEvents.sampleTree();
    ((ObjectNode) c.get("detail")).put("eventSource", "iam.amazonaws.com");
    for (ObjectNode e : new ObjectNode[] {a, b, c}) {
      assertEquals(IgnoredReason.NOT_A_KMS_EVENT, ignored(e.toString()), e.toString());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "not json", "[]", "42", "\"text\"", "null", "{", "{\"detail\":\"x\"}", "{\"a\":1}",
      "{\"source\":\"aws.kms\",\"detail-type\":\"AWS API Call via CloudTrail\"}"})
  void parse_malformed_ignored(String body) {
    assertEquals(IgnoredReason.MALFORMED, ignored(body));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "11112222333", "1111222233334", "11112222333x"})
  void parse_accountMissingOrNotTwelveDigits_malformed(String account) {
    ObjectNode e = KeyEvents.sampleTree();
    if (account.isEmpty()) {
      e.remove("account");
    } else {
      e.put("account", account);
    }
    assertEquals(IgnoredReason.MALFORMED, ignored(e.toString()));
  }

  @Test
  void parse_deeplyNested_malformedWithoutStackTrouble() {
    String deep = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
    assertEquals(IgnoredReason.MALFORMED, ignored(deep));
  }

  @Test
  void parse_overTheLimit_oversizedUnread() {
    KeyEventParser small = new KeyEventParser(1024);
    ObjectNode e = KeyEvents.sampleTree();
    ((ObjectNode) e.get("detail")).put("padding", "x".repeat(2000));
    Parsed p = small.parse(e.toString());
    assertEquals(IgnoredReason.OVERSIZED, assertInstanceOf(Parsed.Ignored.class, p).reason());
    assertTrue(((Parsed.Ignored) p).detail().contains("limit 1024"));
    String multiByte = "\u00e9".repeat(600); // 600 characters, 1200 bytes
    assertEquals(IgnoredReason.OVERSIZED, assertInstanceOf(Parsed.Ignored.class, small.parse(multiByte)).reason());
    assertEquals(1200, KeyEventParser.utf8Length(multiByte));
    assertEquals(4, KeyEventParser.utf8Length("\uD83D\uDE00"), "a surrogate pair is 4 bytes");
  }

  @Test
  void parse_noEventTimeOrUnreadable_fallsBackToTheEnvelopeTimeOrNone() {
    ObjectNode e = KeyEvents.sampleTree();
    ((ObjectNode) e.get("detail")).put("eventTime", "yesterday");
    e.put("time", "2026-01-01T00:00:05Z");
    assertEquals(Optional.of(Instant.parse("2026-01-01T00:00:05Z")), event(e.toString()).eventTime());
    e.remove("time");
    assertFalse(event(e.toString()).eventTime().isPresent());
  }

  @Test
  void parse_hostileValuesInTheDetail_shownOnlyEscaped() {
    ObjectNode e = KeyEvents.sampleTree();
    ((ObjectNode) e.get("detail")).put("eventName", "DisableKey\n2026-01-01 INFO forged line {}");
    Parsed.Ignored i = assertInstanceOf(Parsed.Ignored.class, parser.parse(e.toString()));
    assertEquals(IgnoredReason.UNHANDLED_EVENT_NAME, i.reason());
    assertFalse(i.detail().contains("\n"), i.detail());
    assertFalse(i.detail().contains("{}"), i.detail());
    assertTrue(i.detail().startsWith("eventName=DisableKey?2026-01-01?INFO?forged?line"), i.detail());
  }
}
