package dev.byok.aws.logs.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** A {@link LogsApi} for the engine's tests: stores batches in memory, or fails, or blocks. Thread-safe. */
final class StubLogs implements LogsApi {
  /** Each PutLogEvents as sent. */
  final List<List<LogRecord>> stored = new ArrayList<>();
  /** When set, every call fails with it. */
  volatile DeliveryFailure failure;
  /** When set, PutLogEvents waits for it (ignoring interrupts) and then stores. */
  volatile CountDownLatch gate;
  /** Counted down when a PutLogEvents call starts. */
  final CountDownLatch putStarted = new CountDownLatch(1);

  Destinations destinations() {
    return tenant -> new Destinations.Destination(this, "GROUP_" + tenant, "byok/test/1/" + tenant);
  }

  @Override
  public void ensureCredentials() throws DeliveryFailure {
    DeliveryFailure f = failure;
    if (f != null) {
      throw f;
    }
  }

  @Override
  public void createLogGroup(String group) {}

  @Override
  public void createLogStream(String group, String stream) {}

  @Override
  public PutResult putLogEvents(String group, String stream, List<LogRecord> batch) throws DeliveryFailure {
    putStarted.countDown();
    CountDownLatch g = gate;
    if (g != null) {
      boolean open = false;
      while (!open) {
        try {
          g.await();
          open = true;
        } catch (InterruptedException e) {
          // A delivery thread that outlives close: keeps its batch in flight until the test opens the gate.
        }
      }
    }
    synchronized (this) {
      stored.add(List.copyOf(batch));
    }
    return PutResult.STORED;
  }

  synchronized int storedEvents() {
    return stored.stream().mapToInt(List::size).sum();
  }

  @Override
  public void close() {}
}
