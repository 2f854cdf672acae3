package dev.byok.testing.fakes;

import dev.byok.core.audit.AuditSink;
import dev.byok.core.audit.KeyUseEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** An audit sink that keeps every event in memory, for assertions. Thread-safe. */
public final class CollectingSink implements AuditSink {
  private final List<KeyUseEvent> events = new ArrayList<>();

  @Override
  public synchronized void emit(KeyUseEvent event) {
    events.add(event);
  }

  public synchronized List<KeyUseEvent> events() {
    return List.copyOf(events);
  }

  public synchronized List<KeyUseEvent> of(KeyUseEvent.Operation op) {
    return events.stream().filter(e -> e.operation() == op).collect(Collectors.toList());
  }

  public synchronized KeyUseEvent last() {
    return events.get(events.size() - 1);
  }

  public synchronized void clear() {
    events.clear();
  }
}
