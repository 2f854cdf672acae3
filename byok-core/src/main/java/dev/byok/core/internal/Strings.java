package dev.byok.core.internal;

import org.jspecify.annotations.Nullable;

/**
 * Puts caller-supplied text into error messages safely. Not public API: this package is exported
 * only to byok's own modules. Stateless.
 */
public final class Strings {
  private static final int MAX_SHOWN_CHARS = 80;

  private Strings() {}

  /** Shows at most 80 characters of {@code s}, with control characters escaped. */
  public static String printable(@Nullable String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_SHOWN_CHARS) + 8);
    for (int i = 0; i < s.length() && i < MAX_SHOWN_CHARS; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (s.length() > MAX_SHOWN_CHARS) {
      b.append("...");
    }
    return b.toString();
  }

  /**
   * {@code s} with every control character (C0, DEL, C1) escaped as {@code \\uXXXX}, not shortened:
   * for error messages that quote input (a parser's message, a value read from a file) and must
   * stay one printable line.
   */
  public static String oneLine(@Nullable String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean control = c < 0x20 || (c >= 0x7f && c < 0xa0);
      if (control && b == null) {
        b = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (b != null) {
        if (control) {
          b.append(String.format("\\u%04x", (int) c));
        } else {
          b.append(c);
        }
      }
    }
    return b == null ? s : b.toString();
  }
}
