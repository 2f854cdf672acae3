package dev.byok.cli.internal;

import dev.byok.core.EncryptionContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds an {@link EncryptionContext} from repeated {@code --context} pairs. Stateless, thread-safe. */
public final class Contexts {
  private Contexts() {}

  /**
   * The context of {@code pairs}.
   *
   * @throws UsageException naming the key given twice, or the rule the context breaks
   */
  public static EncryptionContext of(List<Map.Entry<String, String>> pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (Map.Entry<String, String> p : pairs) {
      String before = map.put(p.getKey(), p.getValue());
      if (before != null && !before.equals(p.getValue())) {
        throw new UsageException("--context: key '" + Errors.oneLine(p.getKey()) + "' given twice, with '"
            + Errors.oneLine(before) + "' and '" + Errors.oneLine(p.getValue()) + "'");
      }
    }
    try {
      return EncryptionContext.of(map);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--context: " + e.getMessage(), e);
    }
  }
}
