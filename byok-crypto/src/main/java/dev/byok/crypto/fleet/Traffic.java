package dev.byok.crypto.fleet;

/**
 * How requests spread over tenants: uniformly, or by Zipf's law with exponent {@code s} (the tenant
 * of rank r gets a share proportional to 1 / r^s; {@code s} = 0 is uniform). The contexts of a
 * tenant share its traffic equally. Immutable.
 *
 * @param zipfExponent 0 for uniform, else the Zipf exponent, 0 to 10
 */
public record Traffic(double zipfExponent) {
  private static final double MAX_EXPONENT = 10;

  /** Checks the exponent. */
  public Traffic {
    if (!(zipfExponent >= 0 && zipfExponent <= MAX_EXPONENT)) {
      throw new IllegalArgumentException("traffic: the Zipf exponent must be 0 to 10, got " + zipfExponent);
    }
  }

  /** Every tenant the same share. */
  public static Traffic uniform() {
    return new Traffic(0);
  }

  /** Zipf's law with exponent {@code s}. */
  public static Traffic zipf(double s) {
    return new Traffic(s);
  }

  /**
   * Reads {@code uniform} or {@code zipf:S} (e.g. {@code zipf:1.1}).
   *
   * @throws IllegalArgumentException naming the value and what is accepted
   */
  public static Traffic parse(String text) {
    String t = text.trim();
    if (t.equals("uniform")) {
      return uniform();
    }
    if (t.startsWith("zipf:")) {
      try {
        return zipf(Double.parseDouble(t.substring("zipf:".length())));
      } catch (NumberFormatException e) {
        // the message below
      }
    }
    throw new IllegalArgumentException("traffic: expected uniform or zipf:S (S from 0 to 10), got '" + text + "'");
  }

  /** Whether every tenant has the same share. */
  public boolean isUniform() {
    return zipfExponent == 0;
  }

  @Override
  public String toString() {
    return isUniform() ? "uniform" : "zipf:" + zipfExponent;
  }
}
