package dev.byok.aws.logs.internal;

import dev.byok.aws.logs.AuditSinkStats;
import dev.byok.core.audit.KeyUseEvent;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery machinery behind {@code CloudWatchLogsAuditSink}: puts the pieces together, owns
 * their threads, and runs flush and close against their deadlines. Each job is one class:
 *
 * <table>
 *   <caption>Where each behaviour lives</caption>
 *   <tr><th>piece</th><th>job</th></tr>
 *   <tr><td>{@link Intake}</td><td>{@code emit}: the bounds on events in memory (all, and each tenant's share), the overflow policy, open or closed</td></tr>
 *   <tr><td>{@link Dispatcher}</td><td>the dispatcher's rounds: JSON, per-tenant buffers, when a batch is due</td></tr>
 *   <tr><td>{@link Batch}, {@link BatchLimits}</td><td>what one PutLogEvents request holds</td></tr>
 *   <tr><td>{@link DeliveryWorker}</td><td>the AWS calls for one batch, on a delivery thread</td></tr>
 *   <tr><td>{@link Outcomes}, {@link RetryBackoff}</td><td>what follows a stored, refused or failed batch</td></tr>
 *   <tr><td>{@link SpillReplay}</td><td>reading spill files back</td></tr>
 *   <tr><td>{@link Shutdown}, {@link Deadline}</td><td>close: the deadline, and the account of what was left</td></tr>
 *   <tr><td>{@link DeliveryStats}</td><td>the counters and metrics, and the {@link AuditSinkStats} snapshot</td></tr>
 * </table>
 *
 * <p>Threads: producers call {@link #offer}; one dispatcher thread runs the {@link Dispatcher};
 * {@code deliveryThreads} threads run the {@link DeliveryWorker}. With
 * {@link DeliverySettings#manualDispatch()} there are no threads: {@link #runOnce}, flush and close
 * drive everything on the caller's thread, for step-by-step tests with a fake clock. Thread-safe.
 */
public final class DeliveryEngine {
  /** The sink's logger. */
  static final Logger LOG = LoggerFactory.getLogger("dev.byok.aws.logs.CloudWatchLogsAuditSink");
  /** Where events that could not be kept anywhere else are written in full, as a last resort. */
  static final Logger UNDELIVERED = LoggerFactory.getLogger("dev.byok.crypto.audit.undelivered");

  private static final long WAIT_PARK_NANOS = 2_000_000L;

  private final LongSupplier ticker;
  private final DeliveryStats stats;
  private final Wakeup wakeup = new Wakeup();
  private final Intake intake;
  private final Dispatcher dispatcher;
  private final Shutdown shutdown;
  /** {@code null} when the sink has a spill directory. */
  private final FallbackSpill fallback;
  /** {@code null} in manual dispatch. */
  private final ExecutorService deliveryThreads;
  /** {@code null} in manual dispatch. */
  private final Thread dispatcherThread;

  /**
   * Assembles the engine; {@link #start} starts its threads.
   *
   * @param settings what the sink's builder was told
   * @param destinations where each tenant's events go
   * @param spill the spill store (owned by the caller, who closes it after {@link #close}), or {@code null}:
   *     then events left at close are kept at the {@link DefaultSpillLocation}
   */
  public DeliveryEngine(DeliverySettings settings, Destinations destinations, SpillStore spill) {
    this(settings, destinations, spill, System::nanoTime);
  }

  DeliveryEngine(DeliverySettings settings, Destinations destinations, SpillStore spill, LongSupplier ticker) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(destinations, "destinations");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.stats = new DeliveryStats(settings.metrics());
    this.intake = new Intake(settings.maxQueuedEvents(), settings.maxQueuedEventsPerTenant(), settings.overflowPolicy(), spill,
        stats, wakeup, settings.durableAuditTenants()::contains);
    SpillReplay replay = new SpillReplay(spill, stats);
    this.fallback = spill == null ? new FallbackSpill(settings.name(), settings.clock()) : null;
    Outcomes outcomes = new Outcomes(settings, intake, stats, replay, spill, fallback);
    DeliveryWorker worker = new DeliveryWorker(destinations, settings.createMissingLogGroup());
    Executor executor;
    if (settings.manualDispatch()) {
      this.deliveryThreads = null;
      executor = Runnable::run;
    } else {
      this.deliveryThreads = Executors.newFixedThreadPool(settings.deliveryThreads(),
          daemon("byok-audit-cwl-delivery-" + settings.name()));
      executor = deliveryThreads;
    }
    this.dispatcher = new Dispatcher(settings, intake, replay, outcomes, worker, executor, wakeup);
    this.shutdown = new Shutdown(intake, dispatcher, replay, spill, fallback, stats);
    this.dispatcherThread = settings.manualDispatch() ? null
        : daemon("byok-audit-cwl-dispatch-" + settings.name()).newThread(dispatcher::loop);
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Starts the dispatcher thread (nothing in manual dispatch). Call once. */
  public void start() {
    if (dispatcherThread != null) {
      wakeup.bind(dispatcherThread);
      dispatcherThread.start();
    }
  }

  /**
   * Accepts one event, following the overflow policy when memory is full.
   *
   * @throws IllegalStateException naming the event, if the engine is closing or closed
   */
  public void offer(KeyUseEvent e) {
    intake.offer(e);
  }

  /** Sends every buffered event now and waits until all are stored or {@code timeout} passes; whether all were. */
  public boolean flush(Duration timeout) {
    dispatcher.beginFlush();
    try {
      if (dispatcherThread == null) {
        dispatcher.runUntilIdle();
      } else {
        awaitDelivered(Deadline.after(timeout, ticker));
      }
    } finally {
      dispatcher.endFlush();
    }
    return intake.pending() == 0;
  }

  /**
   * Stops accepting events, delivers what it can within {@code timeout} (stopping the threads by
   * then), and keeps the rest ({@link Shutdown}). Call once.
   *
   * @return what was not delivered
   */
  public Undelivered close(Duration timeout) {
    Deadline deadline = Deadline.after(timeout, ticker);
    intake.stopAccepting();
    dispatcher.beginFlush();
    if (dispatcherThread == null) {
      dispatcher.runUntilIdle();
    } else {
      awaitDelivered(deadline);
      wakeup.unbind();
      joinQuietly(dispatcherThread, deadline);
    }
    if (deliveryThreads != null) {
      deliveryThreads.shutdown();
      try {
        if (!deliveryThreads.awaitTermination(deadline.remainingNanos(), TimeUnit.NANOSECONDS)) {
          deliveryThreads.shutdownNow();
        }
      } catch (InterruptedException e) {
        deliveryThreads.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    Undelivered u = shutdown.finish();
    dispatcher.endFlush();
    if (fallback != null) {
      fallback.close();
    }
    return u;
  }

  private void awaitDelivered(Deadline deadline) {
    while (intake.pending() > 0 && !deadline.passed()) {
      wakeup.wake();
      LockSupport.parkNanos(this, WAIT_PARK_NANOS);
    }
  }

  /** Waits for the dispatcher's last round: until the deadline, plus a second for a round under way. */
  private static void joinQuietly(Thread t, Deadline deadline) {
    try {
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline.remainingNanos())) + 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One dispatcher round, in manual dispatch; whether anything happened. */
  public boolean runOnce() {
    return dispatcher.runOnce();
  }

  /** Events in memory not yet delivered. */
  public long pending() {
    return intake.pending();
  }

  /** The counters now. */
  public AuditSinkStats stats() {
    return stats.snapshot(intake.pending(), intake::pendingOf);
  }
}
