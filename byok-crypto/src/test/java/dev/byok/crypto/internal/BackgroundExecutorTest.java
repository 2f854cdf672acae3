package dev.byok.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BackgroundExecutorTest {

  /**
   * The soak's finding: on the common pool (one thread on a 2-core machine) a probe queued behind a
   * re-confirmation blocked on a slow KMS call waited as long as that call. On byok's own executor
   * the next task starts while the first is still blocked.
   */
  @Test
  void aTaskBlockedOnSlowKmsDoesNotHoldUpTheNext() throws InterruptedException {
    BackgroundExecutor executor = BackgroundExecutor.create();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch secondRan = new CountDownLatch(1);
    try {
      for (int i = 0; i < BackgroundExecutor.THREADS - 1; i++) {
        executor.execute(() -> awaitQuietly(release)); // slow re-confirmations
      }
      executor.execute(secondRan::countDown); // a probe
      assertTrue(secondRan.await(10, TimeUnit.SECONDS), "probe ran while the others blocked");
    } finally {
      release.countDown();
      executor.shutdown();
    }
  }

  @Test
  void threadsAreByoksOwnDaemons_notTheCommonPool() throws InterruptedException {
    BackgroundExecutor executor = BackgroundExecutor.create();
    AtomicReference<Thread> ran = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    try {
      executor.execute(() -> {
        ran.set(Thread.currentThread());
        done.countDown();
      });
      assertTrue(done.await(10, TimeUnit.SECONDS));
      assertTrue(ran.get().getName().startsWith("byok-background-"), ran.get().getName());
      assertTrue(ran.get().isDaemon());
      assertFalse(ran.get() instanceof ForkJoinWorkerThread, "ran on a fork-join pool");
    } finally {
      executor.shutdown();
    }
  }

  @Test
  void afterShutdownWorkIsDroppedNotThrown() throws InterruptedException {
    BackgroundExecutor executor = BackgroundExecutor.create();
    executor.shutdown();
    AtomicBoolean ran = new AtomicBoolean();
    executor.execute(() -> ran.set(true));
    assertTrue(executor.isShutdown());
    assertFalse(ran.get());
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
