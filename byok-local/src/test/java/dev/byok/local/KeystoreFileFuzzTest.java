package dev.byok.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.byok.core.ByokException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer fuzz target for the keystore file of the embedded key service. The oracle: parsing any
 * bytes either gives the file's contents or throws one {@link ByokException} (exactly that type)
 * whose message names the file and is one printable line; never another exception. Anything else
 * is a finding.
 *
 * <p>In the normal test run Jazzer replays the empty input and the seeds in
 * {@code src/test/resources/dev/byok/local/KeystoreFileFuzzTestInputs/}. Fuzzing for N minutes:
 * {@code scripts/fuzz keystore N} (see docs/reliability.md).
 */
class KeystoreFileFuzzTest {
  private static final AtomicLong EXECUTIONS = new AtomicLong();
  private static final Path FILE = Path.of("fuzz-keystore.json");

  @FuzzTest(maxDuration = "30s")
  void parse_anyBytes_readsOrFailsWithOneClearError(byte[] input) {
    EXECUTIONS.incrementAndGet();
    try {
      KeystoreFile.parse(FILE, input);
    } catch (ByokException e) {
      assertEquals(ByokException.class, e.getClass(), "one exception type for a bad keystore file");
      String m = e.getMessage();
      assertTrue(m != null && m.contains(FILE.toString()), "names the file: " + m);
      assertFalse(m.chars().anyMatch(c -> c < 0x20 || c == 0x7f), "one printable line: " + m);
    }
  }

  /** The same target with an 8-hour budget, for fuzzing runs (scripts/fuzz stops it after N minutes). */
  @FuzzTest(maxDuration = "8h")
  void longRun(byte[] input) {
    parse_anyBytes_readsOrFailsWithOneClearError(input);
  }

  @AfterAll
  static void executedSomeInputs() {
    assertTrue(EXECUTIONS.get() >= 3, "the fuzz target ran only " + EXECUTIONS.get() + " inputs: are the seeds on the class path?");
  }
}
