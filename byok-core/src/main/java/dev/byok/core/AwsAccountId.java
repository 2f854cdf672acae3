package dev.byok.core;

import dev.byok.core.internal.Strings;
import org.jspecify.annotations.Nullable;

/**
 * A 12-digit AWS account ID. Immutable; validated at construction; ordered by its digits.
 *
 * <p>{@code AwsAccountId.of("111122223333")}
 *
 * @param value the twelve digits
 */
public record AwsAccountId(String value) implements Comparable<AwsAccountId> {
  private static final int LENGTH_IN_DIGITS = 12;

  /**
   * Validates the account ID.
   *
   * @throws IllegalArgumentException naming the rule when {@code value} is not exactly 12 ASCII digits
   */
  public AwsAccountId {
    check(value);
  }

  /**
   * Parses an account ID.
   *
   * @throws IllegalArgumentException naming the rule when {@code value} is not exactly 12 ASCII digits
   */
  public static AwsAccountId of(@Nullable String value) {
    return new AwsAccountId(check(value));
  }

  private static String check(@Nullable String value) {
    if (value == null) {
      throw new IllegalArgumentException("AWS account ID: must not be null");
    }
    if (value.length() != LENGTH_IN_DIGITS) {
      throw new IllegalArgumentException("AWS account ID: must be exactly 12 digits, got "
          + value.length() + " characters in '" + Strings.printable(value) + "'");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException("AWS account ID: must be exactly 12 digits, got a '"
            + Strings.printable(String.valueOf(c)) + "' at position " + i + " in '" + Strings.printable(value) + "'");
      }
    }
    return value;
  }

  /** The account's root principal ARN in the given partition, e.g. {@code arn:aws:iam::111122223333:root}. */
  public String rootArn(String partition) {
    return "arn:" + partition + ":iam::" + value + ":root";
  }

  @Override
  public int compareTo(AwsAccountId o) {
    return value.compareTo(o.value);
  }

  /** The twelve digits. */
  @Override
  public String toString() {
    return value;
  }
}
