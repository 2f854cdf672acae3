package dev.byok.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer fuzz target for the provisioning spec JSON ({@code byok provision --spec FILE}). The
 * oracle: {@link ProvisioningSpec#fromJson} either returns a spec that survives a round trip
 * through {@link ProvisioningSpec#toJson} unchanged and plans offline without an exception, or
 * throws one {@link IllegalArgumentException} whose message is one printable line. Anything else
 * is a finding.
 *
 * <p>In the normal test run Jazzer replays the empty input and the seeds in
 * {@code src/test/resources/dev/byok/provisioning/ProvisioningSpecFuzzTestInputs/}. Fuzzing for N
 * minutes: {@code scripts/fuzz spec N} (see docs/reliability.md).
 */
class ProvisioningSpecFuzzTest {
  private static final AtomicLong EXECUTIONS = new AtomicLong();

  @FuzzTest(maxDuration = "30s")
  void fromJson_anyText_roundTripsAndPlansOrFailsWithOneClearLine(byte[] input) {
    EXECUTIONS.incrementAndGet();
    String json = new String(input, StandardCharsets.UTF_8);
    ProvisioningSpec spec;
    try {
      spec = ProvisioningSpec.fromJson(json);
    } catch (IllegalArgumentException e) {
      String m = e.getMessage();
      assertTrue(m != null && !m.isBlank(), "a message naming what is wrong");
      assertFalse(m.chars().anyMatch(c -> c < 0x20 || c == 0x7f), "one printable line: " + m);
      return;
    }
    assertEquals(spec, ProvisioningSpec.fromJson(spec.toJson()), "round trip");
    Provisioner.plan(spec);
  }

  /** The same target with an 8-hour budget, for fuzzing runs (scripts/fuzz stops it after N minutes). */
  @FuzzTest(maxDuration = "8h")
  void longRun(byte[] input) {
    fromJson_anyText_roundTripsAndPlansOrFailsWithOneClearLine(input);
  }

  @AfterAll
  static void executedSomeInputs() {
    assertTrue(EXECUTIONS.get() >= 3, "the fuzz target ran only " + EXECUTIONS.get() + " inputs: are the seeds on the class path?");
  }
}
