package dev.byok.provisioning;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.provisioning.internal.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The result of {@code verify}: every check, pass or fail, in the order of the set-up.
 *
 * <p>Immutable and thread-safe.
 */
public final class VerifyReport {
  private final List<Check> checks;

  VerifyReport(List<Check> checks) {
    this.checks = List.copyOf(checks);
  }

  /** Every check, in the order of the set-up. */
  public List<Check> checks() { return checks; }

  /** Whether every check passed. */
  public boolean allPassed() {
    return checks.stream().allMatch(Check::passed);
  }

  /** The checks that failed, in order. */
  public List<Check> failures() {
    List<Check> f = new ArrayList<>();
    checks.forEach(c -> {
      if (!c.passed()) {
        f.add(c);
      }
    });
    return f;
  }

  /** The report as readable text, one line per check. */
  public String toText() {
    StringBuilder b = new StringBuilder("verify: ");
    long passed = checks.stream().filter(Check::passed).count();
    b.append(passed).append('/').append(checks.size()).append(" checks passed\n");
    for (Check c : checks) {
      b.append("  ").append(c.passed() ? "PASS" : "FAIL").append("  ").append(c.name()).append(": ").append(c.detail()).append('\n');
    }
    return b.toString();
  }

  ObjectNode toJsonTree() {
    ObjectNode n = Json.object();
    n.put("passed", allPassed());
    ArrayNode a = n.putArray("checks");
    checks.forEach(c -> a.addObject().put("name", c.name()).put("passed", c.passed()).put("detail", c.detail()));
    return n;
  }

  /** The report as indented JSON: {@code passed} and {@code checks} (name, passed, detail). */
  public String toJson() {
    return Json.pretty(toJsonTree());
  }

  @Override
  public String toString() {
    return "VerifyReport{" + checks.size() + " checks, " + failures().size() + " failed}";
  }
}
