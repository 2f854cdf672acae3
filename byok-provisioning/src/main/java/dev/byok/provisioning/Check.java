package dev.byok.provisioning;

import java.util.Objects;

/**
 * One verification: what was checked, whether it passed, and what was found.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name what was checked, such as {@code key rotation}
 * @param passed whether the check passed
 * @param detail what was found
 */
public record Check(String name, boolean passed, String detail) {
  /** Checks that no part is null. */
  public Check {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(detail, "detail");
  }

  /** {@code PASS key rotation: automatic rotation on}. */
  @Override
  public String toString() {
    return (passed ? "PASS " : "FAIL ") + name + ": " + detail;
  }
}
