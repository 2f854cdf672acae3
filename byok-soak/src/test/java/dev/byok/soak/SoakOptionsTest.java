package dev.byok.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoakOptionsTest {

  @Test
  void parse_noArguments_givesTheIssuesDefaults() {
    assertEquals(new SoakOptions(30, 50, 4, 1), SoakOptions.parse());
  }

  @Test
  void parse_everyOption() {
    SoakOptions o = SoakOptions.parse("--minutes", "2", "--tenants", "10", "--threads", "2", "--seed", "-7");
    assertEquals(new SoakOptions(2, 10, 2, -7), o);
    assertEquals("2", o.minutesText());
    assertEquals("0.50", SoakOptions.parse("--minutes", "0.5").minutesText());
  }

  @Test
  void parse_badInput_namesTheOption() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SoakOptions.parse("--minutes")).getMessage()
        .contains("--minutes: missing value"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SoakOptions.parse("--tenants", "x")).getMessage()
        .contains("--tenants: not a number"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SoakOptions.parse("--threads", "0")).getMessage()
        .contains("--threads"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SoakOptions.parse("--speed", "1")).getMessage()
        .contains("unknown option '--speed'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SoakOptions.parse("--minutes", "0.1")).getMessage()
        .contains("--minutes"));
  }

  @Test
  void workloadSizes_spanOneHundredBytesToOneMebibyte() {
    assertEquals(Workload.MIN_SIZE, Workload.size(0));
    assertEquals(Workload.MAX_SIZE, Workload.size(1));
    assertTrue(Workload.size(0.5) > 5_000 && Workload.size(0.5) < 20_000, "log-uniform: the middle is about 10 KB");
  }

  @Test
  void flatness_growth_isAViolation_steadyIsNot() {
    List<String> violations = new ArrayList<>();
    List<VendorProcess.Stats> steady = new ArrayList<>();
    List<VendorProcess.Stats> growing = new ArrayList<>();
    List<VendorProcess.Stats> short_ = new ArrayList<>();
    for (int i = 0; i < 420; i++) {
      long at = i * 1000L;
      boolean gc = i % 10 == 0;
      // the warm-up (first 60 s) may grow freely
      steady.add(new VendorProcess.Stats(at, i < 60 ? i : 100, i < 60 ? i : 40, 60, 0, 0, 0, 0, 0, gc, 0, 0));
      growing.add(new VendorProcess.Stats(at, 100 + i, 40 + i / 20, 60 + i / 4, 0, 0, 0, 0, 0, gc, 0, 0));
      if (i < 300) {
        short_.add(new VendorProcess.Stats(at, 100 + i, 40 + i, 60 + i, 0, 0, 0, 0, 0, gc, 0, 0));
      }
    }
    assertTrue(Soak.flatness(short_, violations).contains("too short to judge"));
    assertEquals(List.of(), violations, "4 minutes after the warm-up are not judged");
    Soak.flatness(steady, violations);
    assertEquals(List.of(), violations);
    Soak.flatness(growing, violations);
    assertEquals(3, violations.size(), violations.toString());
  }
}
