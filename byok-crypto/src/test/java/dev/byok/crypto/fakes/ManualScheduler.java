package dev.byok.crypto.fakes;

import dev.byok.crypto.Scheduler;
import dev.byok.crypto.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;

/**
 * A {@link Scheduler} on a fake ticker: tasks run when the test calls {@link #runDue()} after the
 * ticker passed their time. Thread-safe.
 */
public final class ManualScheduler implements Scheduler {
  private final Ticker ticker;
  private final List<Task> tasks = new ArrayList<>();

  public ManualScheduler(Ticker ticker) {
    this.ticker = ticker;
  }

  private static final class Task {
    final long due;
    final Runnable command;
    final CompletableFuture<Void> future = new CompletableFuture<>();

    Task(long due, Runnable command) {
      this.due = due;
      this.command = command;
    }
  }

  @Override
  public synchronized Future<?> schedule(Executor executor, Runnable command, Duration delay) {
    Task t = new Task(ticker.read() + delay.toNanos(), command);
    tasks.add(t);
    return t.future;
  }

  public synchronized int pending() {
    tasks.removeIf(t -> t.future.isCancelled());
    return tasks.size();
  }

  /** Runs every task whose time has come (on this thread); returns how many ran. */
  public int runDue() {
    List<Task> due = new ArrayList<>();
    synchronized (this) {
      long now = ticker.read();
      for (Task t : new ArrayList<>(tasks)) {
        if (now - t.due >= 0 && !t.future.isCancelled()) {
          due.add(t);
          tasks.remove(t);
        }
      }
    }
    for (Task t : due) {
      t.command.run();
      t.future.complete(null);
    }
    return due.size();
  }
}
