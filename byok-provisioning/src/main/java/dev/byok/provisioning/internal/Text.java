package dev.byok.provisioning.internal;

import java.util.List;

/** Plain-text helpers for reports and error messages. Stateless. */
public final class Text {
  private Text() {}

  /** Rows of two columns, the first padded to the widest, each line indented by {@code indent}. */
  public static String columns(String indent, List<String[]> rows) {
    int w = 0;
    for (String[] r : rows) {
      w = Math.max(w, r[0].length());
    }
    StringBuilder b = new StringBuilder();
    for (String[] r : rows) {
      b.append(indent).append(r[0]);
      b.append(" ".repeat(w - r[0].length() + 2)).append(r[1]).append('\n');
    }
    return b.toString();
  }

  /** Indents every line of {@code s}. */
  public static String indent(String indent, String s) {
    StringBuilder b = new StringBuilder();
    for (String line : s.split("\n", -1)) {
      if (!line.isEmpty()) {
        b.append(indent).append(line);
      }
      b.append('\n');
    }
    return b.toString().stripTrailing() + "\n";
  }

  /**
   * {@code s} with every control character (C0, DEL, C1) escaped as {@code \\uXXXX}: error messages
   * that quote input stay one printable line.
   */
  public static String oneLine(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
