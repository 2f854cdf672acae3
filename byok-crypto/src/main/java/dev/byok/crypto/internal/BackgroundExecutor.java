package dev.byok.crypto.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The default executor of background re-confirmations and probes: byok's own daemon threads, owned
 * by one {@code TenantCrypto} and stopped by its {@code close()}.
 *
 * <p>Not the common pool: its tasks block on KMS round trips, and the common pool has
 * {@code availableProcessors() - 1} threads (one on a 2-core machine) shared with the whole
 * application, so under slow KMS calls probes waited minutes behind re-confirmations (seen in the
 * soak, docs/reliability.md). The thread count is therefore not tied to the cores: up to
 * {@value #THREADS} threads, started on demand and gone after {@value #IDLE_SECONDS} s idle. Work is
 * already single-flight per scope and per revoked key, so the queue holds at most one task per scope.
 */
public final class BackgroundExecutor implements Executor {
  static final int THREADS = 8;
  static final int IDLE_SECONDS = 30;
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final ThreadPoolExecutor pool;

  private BackgroundExecutor(ThreadPoolExecutor pool) {
    this.pool = pool;
  }

  /** A new executor; its threads are named {@code byok-background-<pool>-<thread>}. */
  public static BackgroundExecutor create() {
    int poolId = POOLS.incrementAndGet();
    AtomicInteger threadIds = new AtomicInteger();
    ThreadFactory threads = r -> {
      Thread t = new Thread(r, "byok-background-" + poolId + "-" + threadIds.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    // Tasks offered after shutdown are dropped: the TenantCrypto is closed and needs no more work.
    ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, IDLE_SECONDS, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), threads, new ThreadPoolExecutor.DiscardPolicy());
    pool.allowCoreThreadTimeOut(true);
    return new BackgroundExecutor(pool);
  }

  @Override
  public void execute(Runnable command) {
    pool.execute(command);
  }

  /** Stops taking work; running tasks finish, queued ones are dropped. */
  public void shutdown() {
    pool.shutdownNow();
  }

  /** Whether {@link #shutdown()} was called. */
  public boolean isShutdown() {
    return pool.isShutdown();
  }

  @Override
  public String toString() {
    return "BackgroundExecutor{threads=" + pool.getPoolSize() + "/" + THREADS + ", shutdown=" + pool.isShutdown() + "}";
  }
}
