package dev.byok.provisioning.internal;

import java.util.List;

/** Plain-text table helpers for reports. Stateless. */
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
}
