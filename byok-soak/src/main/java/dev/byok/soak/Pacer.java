package dev.byok.soak;

import java.util.concurrent.atomic.AtomicBoolean;

/** Runs a task at a steady rate (calls per second) until {@code running} turns false; never faster, slower when a call takes longer. */
final class Pacer {
  private Pacer() {}

  static void run(AtomicBoolean running, double perSecond, Runnable task) {
    long intervalNanos = (long) (1e9 / perSecond);
    long next = System.nanoTime();
    while (running.get()) {
      task.run();
      next += intervalNanos;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      } else {
        next = System.nanoTime(); // behind: do not burst to catch up
      }
    }
  }
}
