package dev.byok.provisioning;

import java.util.Objects;

/**
 * One verification: what was checked, whether it passed, and what was found.
 *
 * <p>Immutable and thread-safe.
 */
public final class Check {
  private final String name;
  private final boolean passed;
  private final String detail;

  Check(String name, boolean passed, String detail) {
    this.name = Objects.requireNonNull(name);
    this.passed = passed;
    this.detail = Objects.requireNonNull(detail);
  }

  public String name() { return name; }
  public boolean passed() { return passed; }
  public String detail() { return detail; }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Check)) {
      return false;
    }
    Check c = (Check) o;
    return name.equals(c.name) && passed == c.passed && detail.equals(c.detail);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, passed, detail);
  }

  @Override
  public String toString() {
    return (passed ? "PASS " : "FAIL ") + name + ": " + detail;
  }
}
