package dev.byok.crypto;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task later: how {@link TenantCrypto} schedules the probes of revoked keys. The scheduler
 * only decides when; the task itself runs on the given executor, so a scheduler thread never calls
 * the key service. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Scheduler {

  /**
   * Submits {@code command} to {@code executor} once {@code delay} has passed.
   *
   * @return a future that cancels the task if it has not yet been handed to the executor
   */
  Future<?> schedule(Executor executor, Runnable command, Duration delay);

  /** A JVM-wide scheduler on one daemon thread, shared by every user of this method. */
  static Scheduler system() {
    return SystemScheduler.INSTANCE;
  }

  /** A scheduler on the caller's {@code ScheduledExecutorService}, which the caller keeps and closes. */
  static Scheduler of(ScheduledExecutorService ses) {
    Objects.requireNonNull(ses, "scheduledExecutorService");
    return (executor, command, delay) ->
        ses.schedule(() -> executor.execute(command), delay.toNanos(), TimeUnit.NANOSECONDS);
  }
}
