package dev.byok.crypto.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.audit.KeyUseEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** slf4j-simple (the test backend) writes to the current System.err, which the test captures. */
class Slf4jAuditSinkTest {

  private static String captureErr(Runnable r) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setErr(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void emit_infoEnabled_logsTheEventAsOneJsonLine() {
    KeyUseEvent e = KeyUseEvent.builder().eventId("slf4j-1").time(Instant.EPOCH).tenant("acme")
        .operation(KeyUseEvent.Operation.ENCRYPT).reasonDetail("a\uD800").build();
    Slf4jAuditSink s = Slf4jAuditSink.create("byok.audit.test", System.Logger.Level.INFO);
    String out = captureErr(() -> s.emit(e));
    assertTrue(out.contains("byok.audit.test"), out);
    String json = out.substring(out.indexOf('{'), out.lastIndexOf('}') + 1);
    assertEquals("slf4j-1", KeyUseEvent.fromJson(json).eventId());
    assertEquals("a\uFFFD", KeyUseEvent.fromJson(json).reasonDetail());
  }

  @Test
  void emit_levelDisabled_writesNothing() {
    // slf4j-simple's default level is INFO, so TRACE is off.
    Slf4jAuditSink s = Slf4jAuditSink.create("byok.audit.trace", System.Logger.Level.TRACE);
    String out = captureErr(() -> s.emit(KeyUseEvent.builder().eventId("t-1").time(Instant.EPOCH).tenant("acme")
        .operation(KeyUseEvent.Operation.ENCRYPT).build()));
    assertFalse(out.contains("t-1"), out);
  }

  @Test
  void create_warningLevel_logsAtSlf4jWarn() {
    Slf4jAuditSink s = Slf4jAuditSink.create("byok.audit.warn", System.Logger.Level.WARNING);
    String out = captureErr(() -> s.emit(KeyUseEvent.builder().eventId("w-1").time(Instant.EPOCH).tenant("acme")
        .operation(KeyUseEvent.Operation.ENCRYPT).build()));
    assertTrue(out.contains("WARN") && out.contains("w-1"), out);
  }

  @Test
  void create_allOrOff_rejected() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Slf4jAuditSink.create("x", System.Logger.Level.OFF))
        .getMessage().contains("got OFF"));
    assertThrows(IllegalArgumentException.class, () -> Slf4jAuditSink.create("x", System.Logger.Level.ALL));
  }
}
