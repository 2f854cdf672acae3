package dev.byok.aws.events.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The IDs of the last {@code capacity} events handled, oldest forgotten first, so that an event
 * SQS or SNS delivers twice is acted on once. Thread-safe.
 */
public final class RecentEventIds {
  private final Map<String, Boolean> ids;

  /** Remembers up to {@code capacity} IDs. */
  public RecentEventIds(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    this.ids = new LinkedHashMap<>(16, 0.75f, false) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > capacity;
      }
    };
  }

  /** Whether {@code id} is remembered. */
  public synchronized boolean contains(String id) {
    return ids.containsKey(id);
  }

  /** Remembers {@code id}. */
  public synchronized void add(String id) {
    ids.put(id, Boolean.TRUE);
  }

  /** How many IDs are remembered. */
  public synchronized int size() {
    return ids.size();
  }
}
