package dev.byok.local;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The bounded, in-memory call log of a {@link LocalKeyService}: the newest {@code capacity}
 * entries, oldest dropped first. Thread-safe (one short lock per append). Package-private.
 */
final class CallLog {
  private final int capacity;
  private final ArrayDeque<LocalKeyCall> entries;
  private long dropped;

  CallLog(int capacity) {
    this.capacity = capacity;
    this.entries = new ArrayDeque<>(Math.min(capacity, 1024));
  }

  synchronized void add(LocalKeyCall call) {
    if (entries.size() == capacity) {
      entries.removeFirst();
      dropped++;
    }
    entries.addLast(call);
  }

  synchronized List<LocalKeyCall> snapshot() {
    return List.copyOf(new ArrayList<>(entries));
  }

  synchronized long dropped() {
    return dropped;
  }

  synchronized void clear() {
    entries.clear();
  }
}
