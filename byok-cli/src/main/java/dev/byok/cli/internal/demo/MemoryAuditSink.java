package dev.byok.cli.internal.demo;

import dev.byok.core.audit.AuditSink;
import dev.byok.core.audit.KeyUseEvent;
import java.util.ArrayList;
import java.util.List;

/** Keeps every event in memory, for the demo's customer view and counts. Thread-safe. */
final class MemoryAuditSink implements AuditSink {
  private final List<KeyUseEvent> events = new ArrayList<>();

  @Override
  public synchronized void emit(KeyUseEvent event) {
    events.add(event);
  }

  synchronized List<KeyUseEvent> events() {
    return List.copyOf(events);
  }
}
