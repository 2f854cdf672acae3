package dev.byok.aws.logs.internal;

import dev.byok.aws.logs.internal.DeliveryWorker.Completion;
import dev.byok.core.audit.KeyUseEvent;
import dev.byok.core.internal.EventJson;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Decides what to send and when, on one dispatcher thread (or the caller's, in manual dispatch).
 * Each {@link #runOnce round}: takes delivery outcomes (to {@link Outcomes}), turns accepted events
 * into JSON and sorts them into per-tenant buffers, replays each tenant's spilled events when that
 * tenant's delivery works and there is room (another tenant failing holds back nothing), and hands each tenant's due batch ({@link Batch#take}, within
 * {@link BatchLimits}) to the delivery executor, at most one batch in flight per tenant. A buffer
 * is due when it holds a full batch, a retry is waiting, its oldest event has waited
 * {@code flushInterval}, or a flush or close is under way.
 *
 * <p>Only the dispatcher thread touches the buffers; delivery threads hand outcomes back through
 * a queue ({@link #complete}).
 */
final class Dispatcher {
  private static final int DRAIN_CHUNK = 20_000;

  private final Intake intake;
  private final SpillReplay replay;
  private final Outcomes outcomes;
  private final DeliveryWorker worker;
  private final Executor executor;
  private final Wakeup wakeup;
  private final Clock clock;
  private final BatchLimits limits;
  private final long flushIntervalMillis;

  private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
  private final AtomicInteger flushers = new AtomicInteger();
  // Dispatcher-owned.
  private final Map<String, TenantChannel> channels = new HashMap<>();
  private final Map<String, TenantChannel> bySpillKey = new HashMap<>();
  private final Set<Batch> inFlight = Collections.newSetFromMap(new IdentityHashMap<>());
  private long seq;

  Dispatcher(DeliverySettings settings, Intake intake, SpillReplay replay, Outcomes outcomes, DeliveryWorker worker,
      Executor executor, Wakeup wakeup) {
    this.intake = intake;
    this.replay = replay;
    this.outcomes = outcomes;
    this.worker = worker;
    this.executor = executor;
    this.wakeup = wakeup;
    this.clock = settings.clock();
    this.limits = settings.batchLimits();
    this.flushIntervalMillis = settings.flushInterval().toMillis();
  }

  /**
   * One round: takes delivery outcomes, moves accepted events into tenant buffers, replays spilled
   * events when there is room, and sends every batch that is due.
   *
   * @return whether anything happened (when not, the caller may wait)
   */
  boolean runOnce() {
    boolean progress = false;
    long now = clock.millis();
    progress |= takeOutcomes(now);
    KeyUseEvent e;
    int n = 0;
    while (n < DRAIN_CHUNK && (e = intake.poll()) != null) {
      buffer(e, null, now);
      n++;
    }
    progress |= n > 0;
    progress |= replay(now);
    boolean flushAll = flushers.get() > 0 || !intake.isOpen();
    for (TenantChannel ch : channels.values()) {
      if (ch.inFlight || ch.buffer.isEmpty() || now < ch.notBeforeMillis) {
        continue;
      }
      if (flushAll || ch.ready(now, flushIntervalMillis, limits.maxBytes())) {
        dispatch(ch, now);
        progress = true;
      }
    }
    return progress;
  }

  /** Runs rounds until nothing happens (manual dispatch, flush and close). */
  void runUntilIdle() {
    for (int i = 0; i < 1_000_000 && runOnce(); i++) {
      // keep going
    }
  }

  /** Runs rounds on the current thread, parking when idle, until the {@link Wakeup} no longer names it. */
  void loop() {
    Thread me = Thread.currentThread();
    long parkNanos = Math.max(1_000_000L, Math.min(flushIntervalMillis, 50) * 1_000_000L);
    while (wakeup.isBound(me)) {
      try {
        if (!runOnce()) {
          LockSupport.parkNanos(this, parkNanos);
        }
      } catch (RuntimeException | Error ex) {
        DeliveryEngine.LOG.error("audit dispatcher: unexpected error; continuing", ex);
        LockSupport.parkNanos(this, 100_000_000L);
      }
    }
  }

  /** Marks a flush in progress: every non-empty buffer is due at once. Pair with {@link #endFlush}. */
  void beginFlush() {
    flushers.incrementAndGet();
    wakeup.wake();
  }

  /** Ends what {@link #beginFlush} began. */
  void endFlush() {
    flushers.decrementAndGet();
  }

  private boolean takeOutcomes(long now) {
    boolean any = false;
    Completion c;
    while ((c = completions.poll()) != null) {
      c.channel().inFlight = false;
      inFlight.remove(c.batch());
      outcomes.handle(c, now);
      any = true;
    }
    return any;
  }

  private boolean replay(long now) {
    if (!replay.active() || !intake.isOpen()) {
      return false;
    }
    if (intake.replayRoom() <= 0) {
      return false;
    }
    return replay.replayInto(this::replayRoom, (e, origin) -> {
      TenantChannel ch = channel(e.tenant());
      intake.admitReplayed(ch.share);
      buffer(ch, e, origin, now);
    });
  }

  /** How many events of the tenant with this spill key may be read back now: none while its delivery fails. */
  private long replayRoom(String spillKey) {
    TenantChannel ch = bySpillKey.get(spillKey);
    if (ch == null) {
      // Not seen in this run yet: as much as a tenant with nothing in memory may take.
      return Math.min(intake.replayRoom(), Math.max(1, intake.share() / 2));
    }
    return ch.failures > 0 ? 0 : intake.replayRoom(ch.share);
  }

  private void buffer(KeyUseEvent e, SpillStore.ReplayFile origin, long now) {
    buffer(channel(e.tenant()), e, origin, now);
  }

  private void buffer(TenantChannel ch, KeyUseEvent e, SpillStore.ReplayFile origin, long now) {
    PreparedEvent p = prepare(e, origin);
    if (p != null) {
      ch.add(p, now);
    }
  }

  private TenantChannel channel(String tenant) {
    TenantChannel ch = channels.get(tenant);
    if (ch == null) {
      ch = new TenantChannel(tenant, limits.maxEvents(), intake.share(tenant), intake.share());
      channels.put(tenant, ch);
      bySpillKey.put(ch.spillKey, ch);
      outcomes.tenantSeen(tenant);
    }
    return ch;
  }

  /** The event's CloudWatch message, within the size limit (truncated with a marker when over it). */
  private PreparedEvent prepare(KeyUseEvent e, SpillStore.ReplayFile origin) {
    EventJson.Line line;
    try {
      line = EventJson.write(e, BatchLimits.MAX_MESSAGE_BYTES);
    } catch (RuntimeException ex) {
      outcomes.rejectForGood(e, origin, "cannot be written within " + BatchLimits.MAX_MESSAGE_BYTES + " bytes: " + ex.getMessage());
      return null;
    }
    if (!line.truncated().isEmpty()) {
      DeliveryEngine.LOG.warn("audit event {} of tenant '{}' is over CloudWatch Logs' 256 KiB event limit; sent with these fields cut"
          + " (original UTF-8 sizes): {}", e.eventId(), EventJson.wellFormed(e.tenant()), line.truncated());
    }
    return new PreparedEvent(e, line.json(), line.utf8Bytes(), seq++, origin);
  }

  private void dispatch(TenantChannel ch, long now) {
    Batch b = Batch.take(ch.buffer, now, ch.batchCap, limits);
    ch.removed(b);
    ch.inFlight = true;
    inFlight.add(b);
    try {
      executor.execute(() -> complete(worker.deliver(ch, b)));
    } catch (RejectedExecutionException ex) {
      inFlight.remove(b);
      ch.inFlight = false;
      ch.requeue(b, now);
    }
  }

  /** Posts a delivery outcome back to the dispatcher (any thread). */
  private void complete(Completion c) {
    completions.add(c);
    wakeup.wake();
  }

  /**
   * At close, after the dispatcher thread has stopped: takes the last outcomes, then everything not
   * delivered out of the queue, the buffers and the batches still in flight (their delivery threads
   * outlived the deadline, so they may be stored too).
   */
  Leftovers takeLeftovers() {
    takeOutcomes(clock.millis());
    Map<String, List<PreparedEvent>> left = new LinkedHashMap<>();
    KeyUseEvent e;
    while ((e = intake.poll()) != null) {
      left.computeIfAbsent(e.tenant(), t -> new ArrayList<>()).add(new PreparedEvent(e, null, 0, seq++, null));
    }
    int stillInFlight = 0;
    for (Batch b : inFlight) {
      stillInFlight += b.size();
      left.computeIfAbsent(b.events.get(0).event.tenant(), t -> new ArrayList<>()).addAll(b.events);
    }
    inFlight.clear();
    for (TenantChannel ch : channels.values()) {
      if (!ch.buffer.isEmpty()) {
        left.computeIfAbsent(ch.tenant, t -> new ArrayList<>()).addAll(ch.buffer);
        ch.buffer.clear();
      }
    }
    return new Leftovers(left, stillInFlight);
  }

  /**
   * What was not delivered by close.
   *
   * @param byTenant the events, per tenant in order of discovery
   * @param stillInFlight how many of them were in batches whose delivery had not ended
   */
  record Leftovers(Map<String, List<PreparedEvent>> byTenant, int stillInFlight) {}

  /** The last delivery error of {@code tenant}, or {@code null} if it has none or is unknown. */
  String lastError(String tenant) {
    TenantChannel ch = channels.get(tenant);
    return ch == null ? null : ch.lastError;
  }

  /** At close: closes every tenant's client. */
  void dropDestinations() {
    for (TenantChannel ch : channels.values()) {
      DeliveryWorker.dropDestination(ch);
    }
  }
}
