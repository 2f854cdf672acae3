package dev.byok.testing.fakes;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/** An executor that queues tasks until the test runs them. Thread-safe. */
public final class ManualExecutor implements Executor {
  private final Queue<Runnable> tasks = new ArrayDeque<>();

  @Override
  public synchronized void execute(Runnable command) {
    tasks.add(command);
  }

  public synchronized int pending() {
    return tasks.size();
  }

  /** Runs queued tasks (and tasks they queue) until none is left; returns how many ran. */
  public int runAll() {
    int n = 0;
    for (;;) {
      Runnable r;
      synchronized (this) {
        r = tasks.poll();
      }
      if (r == null) {
        return n;
      }
      r.run();
      n++;
    }
  }
}
