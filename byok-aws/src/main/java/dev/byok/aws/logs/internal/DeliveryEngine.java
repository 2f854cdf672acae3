package dev.byok.aws.logs.internal;

import dev.byok.core.internal.EventJson;
import dev.byok.core.audit.KeyUseEvent;
import dev.byok.aws.logs.AuditMetrics;
import dev.byok.aws.logs.OverflowPolicy;
import dev.byok.aws.logs.internal.DeliveryFailure.Kind;
import dev.byok.aws.logs.internal.LogsApi.PutResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery machinery of the CloudWatch Logs sink, kept free of threads and AWS so it can be
 * driven step by step in unit tests ({@link #runOnce()} with a fake clock and a direct executor).
 *
 * <p>Threads: producers call {@link #offer} (lock-free: one counter, one queue node). One
 * dispatcher thread calls {@link #runOnce()} in a loop: it turns queued events into JSON, sorts
 * them into per-tenant buffers, forms batches and hands them to the delivery executor (at most one
 * batch in flight per tenant). Delivery threads make the AWS calls and post the outcome back to the
 * dispatcher, which alone changes buffers and counters of state. {@link #finish} runs after the
 * dispatcher has stopped.
 */
public final class DeliveryEngine {
  public static final int MAX_BATCH_EVENTS = 10_000;
  public static final int MAX_BATCH_BYTES = 1_048_576;
  public static final int EVENT_OVERHEAD_BYTES = 26;
  /** PutLogEvents' per-event limit (256 KiB), which counts the 26 bytes of overhead. */
  public static final int MAX_EVENT_BYTES = 262_144;
  public static final int MAX_MESSAGE_BYTES = MAX_EVENT_BYTES - EVENT_OVERHEAD_BYTES;
  public static final long MAX_SPAN_MILLIS = Duration.ofHours(24).toMillis() - 1;
  public static final int MAX_STREAM_NAME_CHARS = 512;

  static final Logger LOG = LoggerFactory.getLogger("dev.byok.aws.logs.CloudWatchLogsAuditSink");
  /** Where events that could not be kept anywhere else are written in full, as a last resort. */
  static final Logger UNDELIVERED = LoggerFactory.getLogger("dev.byok.crypto.audit.undelivered");

  private static final int OPEN = 0;
  private static final int CLOSING = 1;
  private static final int FINAL = 2;
  private static final int DRAIN_CHUNK = 20_000;
  private static final int REPLAY_CHUNK = 5_000;
  private static final int WAKE_EVERY_MASK = 1023;
  private static final long BLOCK_PARK_NANOS = 200_000;

  /** The service's acceptance window and batch limits. */
  public static final class Limits {
    final int maxBatchEvents;
    final int maxBatchBytes;
    final long maxSpanMillis;
    final long maxBackdateMillis;
    final long maxAheadMillis;

    public Limits(int maxBatchEvents, int maxBatchBytes, Duration maxBackdate, Duration maxAhead) {
      this.maxBatchEvents = maxBatchEvents;
      this.maxBatchBytes = maxBatchBytes;
      this.maxSpanMillis = MAX_SPAN_MILLIS;
      this.maxBackdateMillis = maxBackdate.toMillis();
      this.maxAheadMillis = maxAhead.toMillis();
    }

    /** CloudWatch Logs' limits, with an hour's margin on the 14-day and 2-hour acceptance window. */
    public static Limits cloudWatch() {
      return new Limits(MAX_BATCH_EVENTS, MAX_BATCH_BYTES, Duration.ofDays(14).minusHours(1), Duration.ofHours(1));
    }
  }

  /** A tenant's destination: its client under the assumed role, its log group and its stream. */
  public static final class Destination {
    final LogsApi api;
    final String logGroup;
    final String stream;

    public Destination(LogsApi api, String logGroup, String stream) {
      this.api = api;
      this.logGroup = logGroup;
      this.stream = stream;
    }
  }

  /** Opens a tenant's destination (looks up its bundle, builds its client). */
  @FunctionalInterface
  public interface Destinations {
    Destination open(String tenant) throws DeliveryFailure;
  }

  /** Everything the engine is told at construction. */
  public static final class Config {
    public int capacity;
    public OverflowPolicy overflow;
    public Duration flushInterval;
    public Limits limits;
    public Duration retryBase;
    public Duration retryMax;
    public boolean createMissingLogGroup;
    public Clock clock;
    public RandomGenerator random;
    public Executor executor;
    public Destinations destinations;
    public SpillStore spill;
    public AuditMetrics metrics;
  }

  private final Config cfg;
  private final Clock clock;
  private final long flushIntervalMillis;

  private final ConcurrentLinkedQueue<KeyUseEvent> inbox = new ConcurrentLinkedQueue<>();
  private final AtomicLong pending = new AtomicLong();
  private final LongAdder queued = new LongAdder();
  private final AtomicInteger flushers = new AtomicInteger();
  private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
  private volatile int state = OPEN;
  private volatile Thread dispatcher;

  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong possibleDuplicates = new AtomicLong();
  private final AtomicLong spilled = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong replayed = new AtomicLong();
  /** Spilled by {@link #overflow} in this run, and read back in this run. */
  private final AtomicLong overflowSpilled = new AtomicLong();
  private long replayedOwn;
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong largestBatch = new AtomicLong();
  private volatile long lastLagMillis;
  private volatile long maxLagMillis;
  private final Map<String, String> tenantErrors = new ConcurrentHashMap<>();

  // Dispatcher-owned.
  private final Map<String, TenantChannel> channels = new HashMap<>();
  private final Set<Batch> inFlight = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Deque<Path> toReplay = new ArrayDeque<>();
  private SpillStore.ReplayFile reading;
  private long seq;
  private volatile boolean spillFailureLogged;

  public DeliveryEngine(Config cfg) {
    this.cfg = cfg;
    this.clock = cfg.clock;
    this.flushIntervalMillis = cfg.flushInterval.toMillis();
    if (cfg.spill != null) {
      try {
        toReplay.addAll(cfg.spill.replayable());
      } catch (IOException e) {
        LOG.error("audit spill directory {} cannot be listed; its files are not replayed now: {}", cfg.spill.directory(), e.toString());
      }
      if (!toReplay.isEmpty()) {
        LOG.info("audit sink: {} spill file(s) in {} will be replayed", toReplay.size(), cfg.spill.directory());
      }
    }
  }

  // ---------------------------------------------------------------- producer side

  /**
   * Accepts one event: a counter increment and a queue insert. When the queue is full, follows the
   * overflow policy. Throws (never drops) when the sink is closed.
   */
  public void offer(KeyUseEvent e) {
    if (state != OPEN) {
      throw closed(e);
    }
    long p = pending.getAndIncrement();
    if (p >= cfg.capacity) {
      pending.getAndDecrement();
      overflow(e);
      return;
    }
    enqueue(e, p);
  }

  private void enqueue(KeyUseEvent e, long position) {
    inbox.offer(e);
    queued.increment();
    if (state == FINAL && inbox.remove(e)) {
      // Raced with close after its last drain: not accepted, and the caller is told.
      pending.decrementAndGet();
      queued.decrement();
      throw closed(e);
    }
    if ((position & WAKE_EVERY_MASK) == WAKE_EVERY_MASK) {
      wake();
    }
  }

  private void overflow(KeyUseEvent e) {
    if (cfg.overflow == OverflowPolicy.SPILL && cfg.spill != null) {
      try {
        cfg.spill.append(e);
        spilled.incrementAndGet();
        overflowSpilled.incrementAndGet();
        cfg.metrics.spilled(1);
        return;
      } catch (IOException | RuntimeException ex) {
        if (!spillFailureLogged) {
          spillFailureLogged = true;
          LOG.error("audit spill file in {} cannot be written ({}); producers now wait for room instead",
              cfg.spill.directory(), ex.toString());
        }
      }
    }
    wake();
    while (true) {
      if (state != OPEN) {
        throw closed(e);
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new IllegalStateException("interrupted while waiting for room in the audit queue; audit event "
            + e.eventId() + " was not accepted");
      }
      LockSupport.parkNanos(this, BLOCK_PARK_NANOS);
      long p = pending.getAndIncrement();
      if (p < cfg.capacity) {
        enqueue(e, p);
        return;
      }
      pending.getAndDecrement();
    }
  }

  private static IllegalStateException closed(KeyUseEvent e) {
    return new IllegalStateException("audit sink is closed; audit event " + e.eventId() + " was not accepted");
  }

  /** Wakes the dispatcher thread, if there is one. */
  public void wake() {
    Thread t = dispatcher;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  // ---------------------------------------------------------------- dispatcher

  /**
   * One round of the dispatcher: takes delivery outcomes, moves queued events into tenant buffers,
   * replays spilled events when there is room, and sends every batch that is due.
   *
   * @return whether anything happened (when not, the caller may wait)
   */
  public boolean runOnce() {
    boolean progress = false;
    long now = clock.millis();
    Completion c;
    while ((c = completions.poll()) != null) {
      handle(c, now);
      progress = true;
    }
    KeyUseEvent e;
    int n = 0;
    while (n < DRAIN_CHUNK && (e = inbox.poll()) != null) {
      PreparedEvent p = prepare(e, null);
      if (p != null) {
        channel(e.tenant()).add(p, now);
      }
      n++;
    }
    progress |= n > 0;
    progress |= replay(now);
    boolean flushAll = flushers.get() > 0 || state != OPEN;
    for (TenantChannel ch : channels.values()) {
      if (ch.inFlight || ch.buffer.isEmpty() || now < ch.notBeforeMillis) {
        continue;
      }
      if (flushAll || ch.ready(now, flushIntervalMillis, cfg.limits.maxBatchBytes)) {
        dispatch(ch, now);
        progress = true;
      }
    }
    return progress;
  }

  /** Runs rounds until nothing happens (for manual driving and close). */
  public void runUntilIdle() {
    for (int i = 0; i < 1_000_000 && runOnce(); i++) {
      // keep going
    }
  }

  /** Runs the dispatcher loop on the current thread until {@link #stopDispatcher} is called. */
  public void dispatchLoop() {
    dispatcher = Thread.currentThread();
    long parkNanos = Math.max(1_000_000L, Math.min(flushIntervalMillis, 50) * 1_000_000L);
    while (dispatcher != null) {
      try {
        if (!runOnce()) {
          LockSupport.parkNanos(this, parkNanos);
        }
      } catch (RuntimeException | Error ex) {
        LOG.error("audit dispatcher: unexpected error; continuing", ex);
        LockSupport.parkNanos(this, 100_000_000L);
      }
    }
  }

  /** Makes {@link #dispatchLoop} return after its current round. */
  public void stopDispatcher() {
    Thread t = dispatcher;
    dispatcher = null;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  private TenantChannel channel(String tenant) {
    TenantChannel ch = channels.get(tenant);
    if (ch == null) {
      ch = new TenantChannel(tenant, cfg.limits.maxBatchEvents);
      channels.put(tenant, ch);
    }
    return ch;
  }

  /** {@code byok/<vendor>/<instance>/<tenant>}, with ':' and '*' (not allowed) as '_', at most 512 characters. */
  public static String streamName(String vendor, String instanceId, String tenant) {
    String name = ("byok/" + vendor + "/" + instanceId + "/" + EventJson.wellFormed(tenant)).replace(':', '_').replace('*', '_');
    if (name.length() > MAX_STREAM_NAME_CHARS) {
      String hash = Integer.toHexString(tenant.hashCode());
      name = name.substring(0, MAX_STREAM_NAME_CHARS - hash.length() - 1) + "~" + hash;
    }
    return name;
  }

  private PreparedEvent prepare(KeyUseEvent e, SpillStore.ReplayFile origin) {
    EventJson.Line line;
    try {
      line = EventJson.write(e, MAX_MESSAGE_BYTES);
    } catch (RuntimeException ex) {
      rejectForGood(e, origin, "cannot be written within " + MAX_MESSAGE_BYTES + " bytes: " + ex.getMessage());
      return null;
    }
    if (!line.truncated().isEmpty()) {
      LOG.warn("audit event {} of tenant '{}' is over CloudWatch Logs' 256 KiB event limit; sent with these fields cut"
          + " (original UTF-8 sizes): {}", e.eventId(), EventJson.wellFormed(e.tenant()), line.truncated());
    }
    return new PreparedEvent(e, line.json(), line.utf8Bytes(), seq++, origin);
  }

  private void dispatch(TenantChannel ch, long now) {
    Batch b = Batch.take(ch.buffer, now, ch.batchCap, cfg.limits);
    ch.removed(b);
    ch.inFlight = true;
    inFlight.add(b);
    try {
      cfg.executor.execute(() -> deliver(ch, b));
    } catch (RejectedExecutionException ex) {
      inFlight.remove(b);
      ch.inFlight = false;
      putBack(ch, b, now);
    }
  }

  private void putBack(TenantChannel ch, Batch b, long now) {
    ch.requeue(b, now);
  }

  // ---------------------------------------------------------------- delivery thread

  private void deliver(TenantChannel ch, Batch b) {
    Completion c;
    try {
      if (ch.destination == null) {
        ch.destination = cfg.destinations.open(ch.tenant);
      }
      Destination d = ch.destination;
      d.api.ensureCredentials();
      if (!ch.streamReady) {
        ensureStream(ch, d);
      }
      PutResult r;
      try {
        r = d.api.putLogEvents(d.logGroup, d.stream, b.records);
      } catch (DeliveryFailure f) {
        if (f.kind() != Kind.LOG_STREAM_MISSING) {
          throw f;
        }
        ch.streamReady = false;
        ensureStream(ch, d);
        r = d.api.putLogEvents(d.logGroup, d.stream, b.records);
      }
      c = new Completion(ch, b, r, null);
    } catch (DeliveryFailure f) {
      if (f.kind() != Kind.TRANSIENT && f.kind() != Kind.INVALID_REQUEST) {
        dropDestination(ch);
      }
      c = new Completion(ch, b, null, f);
    } catch (RuntimeException ex) {
      dropDestination(ch);
      c = new Completion(ch, b, null, new DeliveryFailure(Kind.TRANSIENT,
          "unexpected error delivering audit events of tenant '" + ch.tenant + "': " + ex, ex));
    }
    completions.add(c);
    wake();
  }

  private void ensureStream(TenantChannel ch, Destination d) throws DeliveryFailure {
    try {
      d.api.createLogStream(d.logGroup, d.stream);
    } catch (DeliveryFailure f) {
      if (f.kind() != Kind.LOG_GROUP_MISSING || !cfg.createMissingLogGroup) {
        throw f;
      }
      LOG.warn("audit: log group '{}' of tenant '{}' does not exist; creating it (createMissingLogGroup is on)", d.logGroup, ch.tenant);
      d.api.createLogGroup(d.logGroup);
      d.api.createLogStream(d.logGroup, d.stream);
    }
    ch.streamReady = true;
  }

  /** Forgets the tenant's client so the next attempt looks its bundle up again and assumes the role afresh. */
  private static void dropDestination(TenantChannel ch) {
    Destination d = ch.destination;
    ch.destination = null;
    ch.streamReady = false;
    if (d != null) {
      try {
        d.api.close();
      } catch (RuntimeException ex) {
        LOG.debug("audit: closing the client of tenant '{}' failed: {}", ch.tenant, ex.toString());
      }
    }
  }

  /** One delivery attempt's outcome. */
  private static final class Completion {
    final TenantChannel ch;
    final Batch batch;
    final PutResult result;
    final DeliveryFailure failure;

    Completion(TenantChannel ch, Batch batch, PutResult result, DeliveryFailure failure) {
      this.ch = ch;
      this.batch = batch;
      this.result = result;
      this.failure = failure;
    }
  }

  // ---------------------------------------------------------------- outcomes (dispatcher)

  private void handle(Completion c, long now) {
    TenantChannel ch = c.ch;
    Batch b = c.batch;
    ch.inFlight = false;
    inFlight.remove(b);
    if (c.failure == null) {
      succeeded(ch, b, c.result, now);
    } else {
      failed(ch, b, c.failure, now);
    }
  }

  private void succeeded(TenantChannel ch, Batch b, PutResult r, long now) {
    int stored = 0;
    if (r.sentMoreThanOnce()) {
      // The SDK retried the call: an earlier attempt may have been stored too.
      possibleDuplicates.addAndGet(b.size());
    }
    for (int i = 0; i < b.events.size(); i++) {
      PreparedEvent e = b.events.get(i);
      if (!r.noneRejected() && r.mayBeRejected(i)) {
        if (e.stampNow) {
          rejectForGood(e.event, e.origin, "refused by CloudWatch Logs even when stamped with the time of sending");
        } else {
          // Refused for its time (too old, too new, older than the group's retention): send again
          // stamped with the time of sending; the JSON keeps the true time. The bound is inclusive,
          // so the boundary event may have been stored already.
          e.stampNow = true;
          ch.add(e, now);
          ch.retryDue = true;
          retried.incrementAndGet();
          possibleDuplicates.incrementAndGet();
        }
        continue;
      }
      stored++;
      resolve(e);
    }
    delivered.addAndGet(stored);
    pending.addAndGet(-stored);
    batches.incrementAndGet();
    bytes.addAndGet(b.bytes);
    largestBatch.accumulateAndGet(b.bytes, Math::max);
    long lag = Math.max(0, now - b.oldestEventMillis);
    lastLagMillis = lag;
    if (lag > maxLagMillis) {
      maxLagMillis = lag;
    }
    cfg.metrics.delivered(stored, b.bytes, Duration.ofMillis(lag));
    if (ch.failures > 0) {
      LOG.info("audit: delivery to tenant '{}' resumed after {} failed attempt(s)", ch.tenant, ch.failures);
    }
    ch.failures = 0;
    ch.lastError = null;
    ch.batchCap = Math.min(cfg.limits.maxBatchEvents, ch.batchCap * 2);
    tenantErrors.remove(ch.tenant);
  }

  private void failed(TenantChannel ch, Batch b, DeliveryFailure f, long now) {
    if (f.kind() == Kind.INVALID_REQUEST) {
      if (b.size() == 1) {
        PreparedEvent e = b.events.get(0);
        rejectForGood(e.event, e.origin, f.getMessage());
        return;
      }
      // Split to find the event the service will not take.
      ch.batchCap = Math.max(1, b.size() / 2);
      LOG.warn("audit: CloudWatch Logs refused a batch of {} events of tenant '{}' as invalid ({}); retrying in halves",
          b.size(), ch.tenant, f.getMessage());
    } else {
      ch.failures++;
      ch.notBeforeMillis = now + backoffMillis(ch.failures);
      if (f.mayHaveBeenStored()) {
        possibleDuplicates.addAndGet(b.size());
      }
      String message = f.getMessage();
      if (!message.equals(ch.lastError) || Integer.bitCount(ch.failures) == 1) {
        LOG.warn("audit: delivery of {} event(s) to tenant '{}' failed (attempt {}, next in {} ms; {} kept): {}",
            b.size(), ch.tenant, ch.failures, ch.notBeforeMillis - now, ch.buffer.size() + b.size(), message);
      }
      ch.lastError = message;
      tenantErrors.put(ch.tenant, message);
    }
    retried.addAndGet(b.size());
    cfg.metrics.retried(b.size());
    putBack(ch, b, now);
  }

  /** Exponential backoff with equal jitter: half the step fixed, half random. */
  long backoffMillis(int failures) {
    long base = cfg.retryBase.toMillis();
    long step = Math.min(cfg.retryMax.toMillis(), base << Math.min(failures - 1, 30));
    long half = step / 2;
    return half + (half > 0 ? cfg.random.nextLong(half + 1) : 0);
  }

  private void resolve(PreparedEvent e) {
    SpillStore.ReplayFile f = e.origin;
    if (f != null && f.resolved()) {
      deleteReplayed(f);
    }
  }

  private void deleteReplayed(SpillStore.ReplayFile f) {
    try {
      f.delete();
      LOG.info("audit: every event of spill file {} is delivered; file deleted", f.path().getFileName());
    } catch (IOException ex) {
      LOG.error("audit: spill file {} is fully delivered but cannot be deleted ({}); delete it by hand or its events are sent again",
          f.path(), ex.toString());
    }
  }

  private void rejectForGood(KeyUseEvent e, SpillStore.ReplayFile origin, String why) {
    String json = EventJson.write(e);
    UNDELIVERED.error("audit event refused by CloudWatch Logs for tenant '{}' ({}): {}", EventJson.wellFormed(e.tenant()), why, json);
    if (cfg.spill != null) {
      try {
        cfg.spill.appendAside("rejected", List.of(json));
      } catch (IOException ex) {
        LOG.error("audit: cannot write refused event {} to {}: {}", e.eventId(), cfg.spill.directory(), ex.toString());
      }
    }
    rejected.incrementAndGet();
    pending.decrementAndGet();
    cfg.metrics.rejected(1);
    if (origin != null && origin.resolved()) {
      deleteReplayed(origin);
    }
  }

  // ---------------------------------------------------------------- replay (dispatcher)

  private boolean replay(long now) {
    if (cfg.spill == null || state != OPEN) {
      return false;
    }
    long room = cfg.capacity / 4 - pending.get();
    if (room <= 0 || anyFailing()) {
      return false;
    }
    if (reading == null) {
      if (toReplay.isEmpty() && cfg.spill.currentLines() > 0) {
        // Healthy with room again: what this run spilled can go out now.
        try {
          cfg.spill.rotate();
          toReplay.addAll(cfg.spill.replayable());
        } catch (IOException ex) {
          LOG.error("audit: cannot rotate the spill file in {}: {}", cfg.spill.directory(), ex.toString());
          return false;
        }
      }
      Path next = toReplay.poll();
      if (next == null) {
        return false;
      }
      try {
        reading = cfg.spill.openReplay(next);
        LOG.info("audit: replaying spill file {}", next.getFileName());
      } catch (IOException ex) {
        LOG.error("audit: cannot open spill file {} ({}); it stays for the next start", next, ex.toString());
        return false;
      }
    }
    SpillStore.ReplayFile f = reading;
    List<String> lines;
    try {
      lines = f.read((int) Math.min(room, REPLAY_CHUNK));
    } catch (IOException ex) {
      LOG.error("audit: cannot read spill file {} ({}); it stays for the next start", f.path(), ex.toString());
      f.closeQuietly();
      reading = null;
      return false;
    }
    List<String> unreadable = new ArrayList<>();
    int n = 0;
    for (String line : lines) {
      KeyUseEvent e;
      try {
        e = KeyUseEvent.fromJson(line);
      } catch (IllegalArgumentException ex) {
        unreadable.add(line);
        continue;
      }
      f.track(1);
      pending.incrementAndGet();
      PreparedEvent p = prepare(e, f);
      if (p != null) {
        channel(e.tenant()).add(p, now);
      }
      n++;
    }
    if (!unreadable.isEmpty()) {
      try {
        Path aside = cfg.spill.appendAside("unreadable", unreadable);
        LOG.error("audit: {} line(s) of spill file {} are not audit events; moved to {}", unreadable.size(), f.path().getFileName(), aside);
      } catch (IOException ex) {
        LOG.error("audit: {} unreadable line(s) of spill file {} cannot be set aside ({}); the file is kept", unreadable.size(), f.path(), ex.toString());
        f.track(1); // keeps the file from being deleted
      }
    }
    replayed.addAndGet(n);
    if (f.writtenThisRun()) {
      replayedOwn += n + unreadable.size();
    }
    if (n > 0) {
      cfg.metrics.replayed(n);
    }
    if (f.atEnd()) {
      reading = null;
      if (f.outstanding() == 0) {
        deleteReplayed(f);
      }
    }
    return !lines.isEmpty();
  }

  private boolean anyFailing() {
    for (TenantChannel ch : channels.values()) {
      if (ch.failures > 0) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- flush and close

  /** Marks a flush in progress: every non-empty buffer is due at once. Pair with {@link #endFlush}. */
  public void beginFlush() {
    flushers.incrementAndGet();
    wake();
  }

  public void endFlush() {
    flushers.decrementAndGet();
  }

  /** Stops accepting events ({@link #offer} throws from now on); delivery goes on. */
  public void beginClose() {
    state = CLOSING;
    wake();
  }

  public long pending() {
    return pending.get();
  }

  /**
   * After the dispatcher has stopped: takes the last outcomes, then keeps what is still undelivered
   * (spill file, else the ERROR log). Called once, by the closing thread.
   *
   * @return what was not delivered, per tenant (count and last error)
   */
  public Undelivered finish() {
    state = FINAL;
    long now = clock.millis();
    Completion c;
    while ((c = completions.poll()) != null) {
      handle(c, now);
    }
    Map<String, List<PreparedEvent>> left = new LinkedHashMap<>();
    KeyUseEvent e;
    while ((e = inbox.poll()) != null) {
      PreparedEvent p = new PreparedEvent(e, null, 0, seq++, null);
      left.computeIfAbsent(e.tenant(), t -> new ArrayList<>()).add(p);
    }
    for (Batch b : inFlight) {
      // Still running after the deadline: kept here too, so it may be delivered twice.
      possibleDuplicates.addAndGet(b.size());
      left.computeIfAbsent(b.events.get(0).event.tenant(), t -> new ArrayList<>()).addAll(b.events);
    }
    inFlight.clear();
    for (TenantChannel ch : channels.values()) {
      if (!ch.buffer.isEmpty()) {
        left.computeIfAbsent(ch.tenant, t -> new ArrayList<>()).addAll(ch.buffer);
        ch.buffer.clear();
      }
    }
    Undelivered u = new Undelivered();
    for (Map.Entry<String, List<PreparedEvent>> t : left.entrySet()) {
      TenantChannel ch = channels.get(t.getKey());
      u.perTenant.put(t.getKey(), t.getValue().size());
      u.errors.put(t.getKey(), ch == null || ch.lastError == null ? "not sent before the close timeout" : ch.lastError);
      u.total += t.getValue().size();
    }
    boolean kept = false;
    if (cfg.spill != null) {
      try {
        if (reading != null) {
          cfg.spill.appendLines(reading.rest());
        }
        List<KeyUseEvent> all = new ArrayList<>();
        left.values().forEach(l -> l.forEach(p -> all.add(p.event)));
        cfg.spill.appendAll(all);
        cfg.spill.rotate();
        kept = true;
        spilled.addAndGet(u.total);
        if (u.total > 0) {
          cfg.metrics.spilled(u.total);
        }
        u.spillDirectory = cfg.spill.directory();
        if (reading != null && reading.outstanding() == 0) {
          deleteReplayed(reading);
        }
        for (List<PreparedEvent> l : left.values()) {
          for (PreparedEvent p : l) {
            resolve(p);
          }
        }
      } catch (IOException ex) {
        LOG.error("audit: cannot write undelivered events to the spill directory {}: {}", cfg.spill.directory(), ex.toString());
      }
    }
    if (!kept) {
      for (List<PreparedEvent> l : left.values()) {
        for (PreparedEvent p : l) {
          UNDELIVERED.error("audit event not delivered before close (tenant '{}'): {}",
              EventJson.wellFormed(p.event.tenant()), EventJson.write(p.event));
        }
      }
      u.loggedOnly = u.total > 0;
    }
    if (reading != null) {
      reading.closeQuietly();
      reading = null;
    }
    pending.addAndGet(-u.total);
    // Events this run spilled on overflow and never read back are undelivered too (still in spill files).
    u.spilledOnOverflow = Math.max(0, overflowSpilled.get() - replayedOwn);
    u.total += u.spilledOnOverflow;
    for (TenantChannel ch : channels.values()) {
      dropDestination(ch);
    }
    return u;
  }

  /** What {@link #finish} could not deliver. */
  public static final class Undelivered {
    /** Everything accepted in this run and not delivered. */
    public long total;
    /** Of which: spilled on overflow and not yet replayed (already in spill files). */
    public long spilledOnOverflow;
    public final Map<String, Integer> perTenant = new LinkedHashMap<>();
    public final Map<String, String> errors = new LinkedHashMap<>();
    public Path spillDirectory;
    public boolean loggedOnly;
  }

  // ---------------------------------------------------------------- counters

  public long queued() { return queued.sum(); }
  public long delivered() { return delivered.get(); }
  public long retried() { return retried.get(); }
  public long possibleDuplicates() { return possibleDuplicates.get(); }
  public long spilled() { return spilled.get(); }
  public long rejected() { return rejected.get(); }
  public long replayed() { return replayed.get(); }
  public long batches() { return batches.get(); }
  public long bytes() { return bytes.get(); }
  public long largestBatch() { return largestBatch.get(); }
  public long lastLagMillis() { return lastLagMillis; }
  public long maxLagMillis() { return maxLagMillis; }
  public Map<String, String> tenantErrors() { return Map.copyOf(tenantErrors); }
}
