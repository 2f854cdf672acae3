package dev.byok.aws.events.internal;

import dev.byok.aws.events.IgnoredReason;
import dev.byok.core.KeyAccessActions;
import dev.byok.core.KeyArn;
import dev.byok.core.TenantDirectory;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles one message: reads it ({@link KeyEventParser}), lets through only an event about a key a
 * known tenant uses ({@link TenantDirectory#tenantsOf}) whose account is the key's account, skips an
 * event handled before, and acts: a deny-like event revokes the key, a restore-like one makes it be
 * checked now ({@link KeyAccessActions}). Everything else is counted and logged (rate-limited,
 * escaped) as ignored.
 *
 * <p>An event is remembered as handled only after its action returned, so a message whose action
 * threw is handled again when the queue redelivers it. Safe to call from several threads.
 */
public final class KeyEventHandler {
  private static final Logger LOG = LoggerFactory.getLogger("dev.byok.aws.events.KeyEventListener");

  private final String name;
  private final KeyEventParser parser;
  private final TenantDirectory tenants;
  private final KeyAccessActions actions;
  private final RecentEventIds handled;
  private final Counters counters;
  private final Clock clock;
  private final RateLimitedLog ignoredLog;

  /**
   * A handler for the listener {@code name}; {@code handled} remembers the IDs of handled events.
   */
  public KeyEventHandler(String name, KeyEventParser parser, TenantDirectory tenants, KeyAccessActions actions,
      RecentEventIds handled, Counters counters, Clock clock, RateLimitedLog ignoredLog) {
    this.name = Objects.requireNonNull(name, "name");
    this.parser = Objects.requireNonNull(parser, "parser");
    this.tenants = Objects.requireNonNull(tenants, "tenants");
    this.actions = Objects.requireNonNull(actions, "actions");
    this.handled = Objects.requireNonNull(handled, "handled");
    this.counters = Objects.requireNonNull(counters, "counters");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ignoredLog = Objects.requireNonNull(ignoredLog, "ignoredLog");
  }

  /**
   * Handles one message body.
   *
   * @throws RuntimeException when the tenant look-up or the action failed: the message must not be
   *     deleted, so the queue delivers it again (and, after its maxReceiveCount, to the dead-letter queue)
   */
  public Outcome handle(String body) {
    counters.received();
    Parsed parsed = parser.parse(body);
    if (parsed instanceof Parsed.Ignored i) {
      return ignore(i.reason(), i.detail());
    }
    KeyEvent e = ((Parsed.Event) parsed).event();
    KeyArn key = e.keyArn();
    Set<String> users;
    try {
      users = tenants.tenantsOf(key);
    } catch (RuntimeException x) {
      counters.failed();
      throw x;
    }
    if (users.isEmpty()) {
      return ignore(IgnoredReason.UNKNOWN_KEY, e.eventName() + " key=" + LogText.escape(key.toString()));
    }
    if (!key.account().equals(e.account())) {
      return ignore(IgnoredReason.WRONG_ACCOUNT, e.eventName() + " for a known key from account "
          + e.account().value() + ", not the key's account " + key.account().value());
    }
    String id = e.account().value() + "/" + e.eventId();
    if (!e.eventId().isEmpty() && handled.contains(id)) {
      return ignore(IgnoredReason.DUPLICATE, e.eventName() + " event " + LogText.escape(e.eventId()) + " again");
    }
    try {
      switch (e.kind()) {
        case DENY -> {
          actions.revoke(key, "customer's " + e.eventName() + " (CloudTrail event via EventBridge)");
          LOG.info("key event listener {}: {} of key {} ({} tenants): access revoked until a probe finds it back",
              name, e.eventName(), key, users.size());
        }
        case RESTORE -> {
          int lifted = actions.checkNow(key);
          LOG.info("key event listener {}: {} of key {} ({} tenants): checked now, {} revocations lifted",
              name, e.eventName(), key, users.size(), lifted);
        }
      }
    } catch (RuntimeException x) {
      counters.failed();
      throw x;
    }
    if (!e.eventId().isEmpty()) {
      handled.add(id);
    }
    counters.acted(e.kind(), e.eventTime().map(t -> lag(t)).orElse(null));
    return new Outcome.Acted(e.kind(), key, users.size());
  }

  private Duration lag(java.time.Instant eventTime) {
    Duration d = Duration.between(eventTime, clock.instant());
    return d.isNegative() ? Duration.ZERO : d;
  }

  private Outcome ignore(IgnoredReason reason, String detail) {
    counters.ignored(reason);
    ignoredLog.ignored(name, reason, detail);
    return new Outcome.Ignored(reason);
  }
}
