package dev.byok.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer fuzz target for the hand-off bundle JSON, the one file the vendor takes from the customer.
 * The oracle: {@link HandoffBundle#fromJson} either returns a bundle that survives a round trip
 * through {@link HandoffBundle#toJson} unchanged, or throws one {@link IllegalArgumentException}
 * whose message is one printable line starting with {@code hand-off bundle:}. Anything else
 * (another exception, a bundle that changes on the round trip, a message with control characters)
 * is a finding.
 *
 * <p>In the normal test run Jazzer replays the empty input and the seeds in
 * {@code src/test/resources/dev/byok/core/HandoffBundleFuzzTestInputs/}. Fuzzing for N minutes:
 * {@code scripts/fuzz bundle N} (see docs/reliability.md).
 */
class HandoffBundleFuzzTest {
  private static final AtomicLong EXECUTIONS = new AtomicLong();

  @FuzzTest(maxDuration = "30s")
  void fromJson_anyText_roundTripsOrFailsWithOneClearLine(byte[] input) {
    EXECUTIONS.incrementAndGet();
    String json = new String(input, StandardCharsets.UTF_8);
    HandoffBundle b;
    try {
      b = HandoffBundle.fromJson(json);
    } catch (IllegalArgumentException e) {
      String m = e.getMessage();
      assertTrue(m != null && m.startsWith("hand-off bundle: "), "message: " + m);
      assertFalse(m.chars().anyMatch(c -> c < 0x20 || c == 0x7f), "one printable line: " + m);
      return;
    }
    assertEquals(b, HandoffBundle.fromJson(b.toJson()), "round trip");
  }

  /** The same target with an 8-hour budget, for fuzzing runs (scripts/fuzz stops it after N minutes). */
  @FuzzTest(maxDuration = "8h")
  void longRun(byte[] input) {
    fromJson_anyText_roundTripsOrFailsWithOneClearLine(input);
  }

  @AfterAll
  static void executedSomeInputs() {
    assertTrue(EXECUTIONS.get() >= 3, "the fuzz target ran only " + EXECUTIONS.get() + " inputs: are the seeds on the class path?");
  }
}
