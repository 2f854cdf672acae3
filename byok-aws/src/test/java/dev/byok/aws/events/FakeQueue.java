package dev.byok.aws.events;

import dev.byok.aws.events.internal.QueuePort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An SQS queue in memory: messages stay until deleted; a received message is hidden until the
 * next {@link #redeliver()} (standing in for the visibility timeout), and after
 * {@code maxReceiveCount} receives it moves to the dead-letter list. Receive failures can be
 * injected. Thread-safe.
 */
final class FakeQueue implements QueuePort {
  private final int maxReceiveCount;
  private final Map<String, Entry> messages = new LinkedHashMap<>();
  private final List<String> deadLetters = new ArrayList<>();
  private final List<String> calls = new ArrayList<>();
  private int failReceives;
  private int next;

  private static final class Entry {
    final String body;
    int receives;
    boolean hidden;

    Entry(String body) {
      this.body = body;
    }
  }

  /** A queue whose redrive policy moves a message to the dead-letter list after {@code maxReceiveCount} receives. */
  public FakeQueue(int maxReceiveCount) {
    this.maxReceiveCount = maxReceiveCount;
  }

  /** Sends a message. */
  public synchronized void send(String body) {
    messages.put("m" + (++next), new Entry(body));
  }

  /** Makes the next {@code n} receive calls fail. */
  public synchronized void failReceives(int n) {
    failReceives = n;
  }

  /** Makes every received, undeleted message visible again (its visibility timeout ran out). */
  public synchronized void redeliver() {
    messages.values().forEach(e -> e.hidden = false);
  }

  @Override
  public synchronized List<Message> receive(int max, Duration wait, Duration visibilityTimeout) {
    calls.add("receive " + max + " " + wait.toSeconds() + "s");
    if (failReceives > 0) {
      failReceives--;
      throw new IllegalStateException("connection refused");
    }
    List<Message> out = new ArrayList<>();
    for (var it = messages.entrySet().iterator(); it.hasNext() && out.size() < max; ) {
      var e = it.next();
      Entry m = e.getValue();
      if (m.hidden) {
        continue;
      }
      if (m.receives >= maxReceiveCount) {
        deadLetters.add(m.body);
        it.remove();
        continue;
      }
      m.receives++;
      m.hidden = true;
      out.add(new Message(e.getKey(), "rh-" + e.getKey() + "-" + m.receives, m.body, m.receives));
    }
    return out;
  }

  @Override
  public synchronized List<Message> delete(List<Message> handled) {
    calls.add("delete " + handled.size());
    for (Message m : handled) {
      messages.remove(m.messageId());
    }
    return List.of();
  }

  /** Messages still on the queue. */
  public synchronized int size() {
    return messages.size();
  }

  /** Messages moved to the dead-letter list. */
  public synchronized List<String> deadLetters() {
    return List.copyOf(deadLetters);
  }

  /** The calls made, {@code receive MAX WAITs} and {@code delete N}. */
  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }
}
