package dev.byok.crypto.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.byok.core.audit.AuditSink;
import dev.byok.core.audit.KeyUseEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FanOutAuditSinkTest {
  private static final KeyUseEvent EV = KeyUseEvent.builder().eventId("f-1").time(Instant.EPOCH).tenant("acme")
      .operation(KeyUseEvent.Operation.ENCRYPT).build();

  /** Records events; optionally fails every emit; reports a fixed undelivered count at close. */
  private static final class Recording implements AuditSink {
    final List<KeyUseEvent> got = new ArrayList<>();
    final RuntimeException fail;
    final long undelivered;

    Recording(RuntimeException fail, long undelivered) {
      this.fail = fail;
      this.undelivered = undelivered;
    }

    @Override
    public void emit(KeyUseEvent event) {
      if (fail != null) {
        throw fail;
      }
      got.add(event);
    }

    @Override
    public long close(Duration timeout) {
      return undelivered;
    }
  }

  @Test
  void emit_oneSinkThrows_othersStillGetTheEventAndTheFailureIsRethrown() {
    IllegalStateException boom = new IllegalStateException("closed");
    Recording a = new Recording(null, 0);
    Recording bad = new Recording(boom, 0);
    Recording c = new Recording(null, 0);
    FanOutAuditSink f = FanOutAuditSink.of(a, bad, c);
    assertSame(boom, assertThrows(IllegalStateException.class, () -> f.emit(EV)));
    assertEquals(List.of(EV), a.got);
    assertEquals(List.of(EV), c.got);
  }

  @Test
  void close_sumsWhatEachSinkDidNotDeliver() {
    assertEquals(7, FanOutAuditSink.of(new Recording(null, 3), new Recording(null, 4)).close(Duration.ofSeconds(1)));
  }

  @Test
  void of_noSinks_fails() {
    assertThrows(IllegalArgumentException.class, () -> FanOutAuditSink.of(List.of()));
  }
}
