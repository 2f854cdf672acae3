package dev.byok.provisioning;

import java.util.HashSet;
import java.util.Set;

/** A builder's record of the values already set, so a second set fails. Not thread-safe, like builders. */
final class Once {
  private final String builder;
  private final Set<String> set = new HashSet<>();

  Once(String builder) {
    this.builder = builder;
  }

  /** @throws IllegalStateException when {@code field} was set before */
  void set(String field) {
    if (!set.add(field)) {
      throw new IllegalStateException(builder + ": " + field + " is already set");
    }
  }
}
