package dev.byok.aws.events.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.aws.events.IgnoredReason;
import dev.byok.aws.events.KeyEventMetrics;
import dev.byok.aws.events.KeyEventStats;
import dev.byok.aws.events.KeyEvents;
import dev.byok.aws.events.RecordingActions;
import dev.byok.core.KeyArn;
import dev.byok.core.TenantDirectory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The handler's rules: act only on known keys from their own account, once per event; count the rest. */
class KeyEventHandlerTest {
  static final String ACME_KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  static final String GLOBEX_KEY = "arn:aws:kms:us-east-1:444455556666:key/0987dcba-09fe-87dc-65ba-ab0987654321";
  static final String ACME = "111122223333";
  static final String GLOBEX = "444455556666";
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:02Z");

  private final RecordingActions actions = new RecordingActions();
  private final List<String> metered = new ArrayList<>();
  private final Counters counters = new Counters(new KeyEventMetrics() {
    @Override
    public void received() {
      metered.add("received");
    }

    @Override
    public void actedOn(String action) {
      metered.add("acted " + action);
    }

    @Override
    public void ignored(IgnoredReason reason) {
      metered.add("ignored " + reason.id());
    }

    @Override
    public void failed() {
      metered.add("failed");
    }

    @Override
    public void lag(Duration lag) {
      metered.add("lag " + lag.toMillis());
    }
  });
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private TenantDirectory tenants = TenantDirectory.builder().allowSharedKeys().put("acme-eng", KeyArn.parse(ACME_KEY))
      .put("acme-sales", KeyArn.parse(ACME_KEY)).put("globex", KeyArn.parse(GLOBEX_KEY)).build();

  private KeyEventHandler handler() {
    return new KeyEventHandler("test", new KeyEventParser(64 * 1024), tenants, actions, new RecentEventIds(100), counters, clock,
        new RateLimitedLog(LoggerFactory.getLogger("test"), clock, Duration.ofMinutes(1)));
  }

  private static String event(String call, String key, String account) {
    return KeyEvents.of(call, key, account, Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Test
  void handle_disableKeyOfAKnownKeyFromItsAccount_revokesAtOnce() {
    Outcome o = handler().handle(event("DisableKey", ACME_KEY, ACME));
    assertEquals(new Outcome.Acted(EventKind.DENY, KeyArn.parse(ACME_KEY), 2), o);
    assertEquals(List.of("revoke " + ACME_KEY), actions.calls());
    assertEquals(List.of("received", "acted revoke", "lag 2000"), metered, "lag from the call's eventTime");
    KeyEventStats s = counters.snapshot();
    assertEquals(1, s.revoked());
    assertEquals(Duration.ofSeconds(2), s.lastLag());
  }

  @Test
  void handle_restoreLikeCalls_onlyCheckNow() {
    KeyEventHandler h = handler();
    h.handle(event("EnableKey", ACME_KEY, ACME));
    h.handle(event("CancelKeyDeletion", GLOBEX_KEY, GLOBEX));
    assertEquals(List.of("check " + ACME_KEY, "check " + GLOBEX_KEY), actions.calls(), "never a revoke, never a restore");
    assertEquals(2, counters.snapshot().checked());
  }

  @Test
  void handle_knownKeyFromAnotherAccount_wrongAccountAndNothingDone() {
    Outcome o = handler().handle(event("DisableKey", GLOBEX_KEY, ACME));
    assertEquals(new Outcome.Ignored(IgnoredReason.WRONG_ACCOUNT), o);
    assertEquals(List.of(), actions.calls(), "acme's account cannot revoke globex's key");
    assertEquals(List.of("received", "ignored wrong-account"), metered);
  }

  @Test
  void handle_unknownKey_ignored() {
    String other = "arn:aws:kms:us-east-1:111122223333:key/ffffffff-12ab-34cd-56ef-1234567890ab";
    assertEquals(new Outcome.Ignored(IgnoredReason.UNKNOWN_KEY), handler().handle(event("DisableKey", other, ACME)));
    assertEquals(List.of(), actions.calls());
  }

  @Test
  void handle_sameEventTwice_actsOnce() {
    KeyEventHandler h = handler();
    String e = event("DisableKey", ACME_KEY, ACME);
    h.handle(e);
    assertEquals(new Outcome.Ignored(IgnoredReason.DUPLICATE), h.handle(e));
    assertEquals(new Outcome.Ignored(IgnoredReason.DUPLICATE), h.handle(KeyEvents.inSnsEnvelope(e)), "also through SNS");
    assertEquals(1, actions.calls().size());
    KeyEventStats s = counters.snapshot();
    assertEquals(3, s.received());
    assertEquals(Map.of(IgnoredReason.DUPLICATE, 2L), s.ignoredByReason());
  }

  @Test
  void handle_sameEventIdFromAnotherAccount_notADuplicate() {
    tenants = TenantDirectory.builder().put("acme", KeyArn.parse(ACME_KEY)).put("globex", KeyArn.parse(GLOBEX_KEY)).build();
    KeyEventHandler h = handler();
    ObjectNode a = KeyEvents.tree("DisableKey", ACME_KEY, ACME, NOW);
    ObjectNode g = KeyEvents.tree("DisableKey", GLOBEX_KEY, GLOBEX, NOW);
    ((ObjectNode) g.get("detail")).put("eventID", a.get("detail").get("eventID").asText());
    h.handle(g.toString());
    h.handle(a.toString());
    assertEquals(List.of("revoke " + GLOBEX_KEY, "revoke " + ACME_KEY), actions.calls(),
        "globex cannot make acme's event look handled by sending its ID first");
  }

  @Test
  void handle_actionFails_throwsCountsAndActsWhenDeliveredAgain() {
    KeyEventHandler h = handler();
    String e = event("DisableKey", ACME_KEY, ACME);
    IllegalStateException boom = new IllegalStateException("closed");
    actions.failWith(boom);
    assertSame(boom, assertThrows(IllegalStateException.class, () -> h.handle(e)));
    assertEquals(1, counters.snapshot().failed());
    actions.failWith(null);
    assertInstanceOf(Outcome.Acted.class, h.handle(e), "a failed event is not remembered as handled");
    assertEquals(List.of("revoke " + ACME_KEY), actions.calls());
  }

  @Test
  void handle_directoryCannotLookUpByKey_failsSoTheMessageStays() {
    tenants = tenant -> Optional.empty();
    assertThrows(UnsupportedOperationException.class, () -> handler().handle(event("DisableKey", ACME_KEY, ACME)));
    assertEquals(1, counters.snapshot().failed());
  }

  @Test
  void handle_eventTimeInTheFuture_lagZero() {
    handler().handle(KeyEvents.of("DisableKey", ACME_KEY, ACME, NOW.plusSeconds(30)));
    assertEquals(Duration.ZERO, counters.snapshot().lastLag());
  }

  @Test
  void handle_hostileMessages_allIgnoredNoneActedOn() {
    KeyEventHandler h = handler();
    ObjectNode spoofedDetail = KeyEvents.tree("DisableKey", GLOBEX_KEY, ACME, NOW);
    ((ObjectNode) spoofedDetail.get("detail")).put("recipientAccountId", GLOBEX);
    List<String> hostile = List.of("{not json", "x".repeat(70 * 1024), "[1,2,3]", spoofedDetail.toString(),
        event("DisableKey", "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab", "999999999999"),
        event("Decrypt", ACME_KEY, ACME));
    for (String m : hostile) {
      assertInstanceOf(Outcome.Ignored.class, h.handle(m));
    }
    assertEquals(List.of(), actions.calls());
    KeyEventStats s = counters.snapshot();
    assertEquals(hostile.size(), s.ignored());
    assertEquals(0, s.actedOn());
    assertEquals(2, s.ignored(IgnoredReason.MALFORMED));
    assertEquals(1, s.ignored(IgnoredReason.OVERSIZED));
    assertEquals(1, s.ignored(IgnoredReason.WRONG_ACCOUNT), "the detail's accounts do not count, only the envelope's");
    assertEquals(1, s.ignored(IgnoredReason.UNKNOWN_KEY));
    assertEquals(1, s.ignored(IgnoredReason.UNHANDLED_EVENT_NAME));
    assertTrue(metered.stream().noneMatch(m -> m.startsWith("acted")));
  }
}
