package dev.byok.local;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An immutable snapshot of all keys of a {@link LocalKeyService} with its look-up maps (by key ID,
 * by ARN text, by alias). Replaced as a whole on every admin change. Package-private.
 */
final class KeyTable {
  static final KeyTable EMPTY = new KeyTable(Collections.emptyList());

  private final Map<String, LocalKey> byId;
  private final Map<String, LocalKey> byArn;
  private final Map<String, LocalKey> byAlias;

  KeyTable(Collection<LocalKey> keys) {
    Map<String, LocalKey> id = new LinkedHashMap<>();
    Map<String, LocalKey> arn = new HashMap<>();
    Map<String, LocalKey> alias = new HashMap<>();
    for (LocalKey k : keys) {
      id.put(k.keyId(), k);
      arn.put(k.arnText, k);
      for (String a : k.aliases) {
        alias.put(a, k);
      }
    }
    this.byId = Collections.unmodifiableMap(id);
    this.byArn = arn;
    this.byAlias = alias;
  }

  Collection<LocalKey> keys() {
    return byId.values();
  }

  LocalKey byId(String keyId) {
    return byId.get(keyId);
  }

  LocalKey byArn(String arnText) {
    return byArn.get(arnText);
  }

  /** The key an alias ({@code alias/NAME}) points to, or {@code null}. */
  LocalKey byAlias(String alias) {
    return byAlias.get(alias);
  }

  /** This table with {@code key} added or replaced (same key ID). */
  KeyTable with(LocalKey key) {
    Map<String, LocalKey> m = new LinkedHashMap<>(byId);
    m.put(key.keyId(), key);
    return new KeyTable(m.values());
  }

  /** This table without keys whose deletion date has passed; {@code this} when there are none. */
  KeyTable purged(Instant now) {
    boolean any = false;
    for (LocalKey k : byId.values()) {
      any |= k.isDeleted(now);
    }
    if (!any) {
      return this;
    }
    Map<String, LocalKey> m = new LinkedHashMap<>(byId);
    m.values().removeIf(k -> k.isDeleted(now));
    return new KeyTable(m.values());
  }
}
