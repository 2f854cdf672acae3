package dev.byok.crypto;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** {@link Scheduler#system()}: one lazily started daemon thread for the whole JVM. */
enum SystemScheduler implements Scheduler {
  INSTANCE;

  private static final class Holder {
    static final ScheduledThreadPoolExecutor SES = create();

    private static ScheduledThreadPoolExecutor create() {
      ScheduledThreadPoolExecutor ses = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "byok-scheduler");
        t.setDaemon(true);
        return t;
      });
      ses.setRemoveOnCancelPolicy(true);
      return ses;
    }
  }

  @Override
  public Future<?> schedule(Executor executor, Runnable command, Duration delay) {
    return Holder.SES.schedule(() -> executor.execute(command), delay.toNanos(), TimeUnit.NANOSECONDS);
  }
}
