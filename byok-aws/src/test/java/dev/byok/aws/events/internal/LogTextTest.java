package dev.byok.aws.events.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.aws.events.IgnoredReason;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** Values from messages in log lines: escaped, cut short, and rate-limited per reason. */
class LogTextTest {

  @Test
  void escape_controlAndMarkupCharacters_replaced() {
    assertEquals("DisableKey?INFO?x?????", LogText.escape("DisableKey\nINFO x${}\"\u0000"));
    assertEquals("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab", LogText.escape("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab"));
    assertEquals("(none)", LogText.escape(null));
  }

  @Test
  void escape_long_cutAt64() {
    String s = LogText.escape("a".repeat(1000));
    assertEquals(64 + 3, s.length());
    assertTrue(s.endsWith("..."));
  }

  @Test
  void rateLimitedLog_warnsOncePerReasonPerInterval_countsTheRest() {
    List<String> warnings = new ArrayList<>();
    Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class}, (p, m, a) -> {
      if (m.getName().equals("warn")) {
        warnings.add(String.valueOf(a[0]) + " " + Arrays.deepToString(Arrays.copyOfRange(a, 1, a.length)));
      }
      return m.getReturnType() == boolean.class ? Boolean.FALSE : null;
    });
    Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
    Clock clock = new Clock() {
      @Override
      public Instant instant() {
        return now[0];
      }

      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }
    };
    RateLimitedLog log = new RateLimitedLog(logger, clock, Duration.ofMinutes(1));
    assertTrue(log.ignored("l", IgnoredReason.MALFORMED, "a"));
    for (int i = 0; i < 500; i++) {
      assertFalse(log.ignored("l", IgnoredReason.MALFORMED, "a"));
    }
    assertTrue(log.ignored("l", IgnoredReason.WRONG_ACCOUNT, "b"), "each reason has its own limit");
    now[0] = now[0].plusSeconds(60);
    assertTrue(log.ignored("l", IgnoredReason.MALFORMED, "a"));
    assertEquals(3, warnings.size(), warnings.toString());
    assertTrue(warnings.get(2).contains("500 more ignored for this reason"), warnings.get(2));
  }
}
