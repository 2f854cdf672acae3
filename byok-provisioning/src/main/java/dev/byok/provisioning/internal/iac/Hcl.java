package dev.byok.provisioning.internal.iac;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small writer of HCL blocks in the layout {@code terraform fmt} keeps: two-space indents, the
 * {@code =} of consecutive one-line attributes aligned, multi-line attributes and nested blocks set
 * apart by blank lines. Not thread-safe.
 */
final class Hcl {
  private sealed interface Item permits Attr, Nested, Comment {}

  private record Attr(String name, String value) implements Item {}

  private record Nested(Hcl block) implements Item {}

  private record Comment(String text) implements Item {}

  private final String header;
  private final List<Item> items = new ArrayList<>();

  private Hcl(String header) {
    this.header = header;
  }

  /** A block such as {@code resource "aws_kms_key" "key"}. */
  static Hcl block(String header) {
    return new Hcl(header);
  }

  /** Adds {@code name = value}; {@code value} is an HCL expression, possibly over several lines. */
  Hcl attr(String name, String value) {
    items.add(new Attr(name, value));
    return this;
  }

  /** Adds a nested block. */
  Hcl block(Hcl nested) {
    items.add(new Nested(nested));
    return this;
  }

  /** Adds a comment line ({@code # text}). */
  Hcl comment(String text) {
    items.add(new Comment(text));
    return this;
  }

  /** The block as text, ending with a newline. */
  String render() {
    StringBuilder b = new StringBuilder();
    render(b, "");
    return b.toString();
  }

  private void render(StringBuilder b, String indent) {
    if (items.isEmpty()) {
      b.append(indent).append(header).append(" {}\n");
      return;
    }
    b.append(indent).append(header).append(" {\n");
    String in = indent + "  ";
    int i = 0;
    boolean first = true;
    boolean afterComment = false;
    while (i < items.size()) {
      Item it = items.get(i);
      if (!first && !afterComment) {
        b.append('\n'); // a blank line between runs, multi-line attributes and blocks
      }
      first = false;
      afterComment = false;
      if (it instanceof Attr a && !a.value().contains("\n")) {
        int j = i;
        int width = 0;
        while (j < items.size() && items.get(j) instanceof Attr x && !x.value().contains("\n")) {
          width = Math.max(width, x.name().length());
          j++;
        }
        for (int k = i; k < j; k++) {
          Attr x = (Attr) items.get(k);
          b.append(in).append(pad(x.name(), width)).append(" = ").append(x.value()).append('\n');
        }
        i = j;
        continue;
      }
      if (it instanceof Attr a) {
        b.append(in).append(a.name()).append(" = ").append(a.value().replace("\n", "\n" + in)).append('\n');
      } else if (it instanceof Nested n) {
        n.block().render(b, in);
      } else if (it instanceof Comment c) {
        b.append(in).append("# ").append(c.text()).append('\n');
        afterComment = true;
      }
      i++;
    }
    b.append(indent).append("}\n");
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(width - s.length());
  }

  /** A map literal over several lines, keys quoted and the {@code =} aligned; {@code {}} when empty. */
  static String map(Map<String, String> entries) {
    if (entries.isEmpty()) {
      return "{}";
    }
    int width = 0;
    for (String k : entries.keySet()) {
      width = Math.max(width, quote(k).length());
    }
    StringBuilder b = new StringBuilder("{\n");
    for (Map.Entry<String, String> e : entries.entrySet()) {
      b.append("  ").append(pad(quote(e.getKey()), width)).append(" = ").append(quote(e.getValue())).append('\n');
    }
    return b.append('}').toString();
  }

  /** A quoted HCL string of literal text: escapes quotes, backslashes, control characters and template sequences. */
  static String quote(String text) {
    return "\"" + escape(text) + "\"";
  }

  /** Literal text for inside an HCL string or heredoc template. */
  static String escapeTemplate(String text) {
    return text.replace("${", "$${").replace("%{", "%%{");
  }

  private static String escape(String text) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '"' -> b.append("\\\"");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return escapeTemplate(b.toString());
  }
}
