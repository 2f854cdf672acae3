package dev.byok.aws.events;

import dev.byok.aws.events.internal.Counters;
import dev.byok.aws.events.internal.KeyEventHandler;
import dev.byok.aws.events.internal.KeyEventParser;
import dev.byok.aws.events.internal.QueuePoller;
import dev.byok.aws.events.internal.QueuePort;
import dev.byok.aws.events.internal.RateLimitedLog;
import dev.byok.aws.events.internal.RecentEventIds;
import dev.byok.aws.events.internal.SqsQueue;
import dev.byok.core.KeyAccessActions;
import dev.byok.core.KeyArn;
import dev.byok.core.TenantDirectory;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Takes the customer's pushed key events from this vendor instance's SQS queue and acts on them at
 * once, so a fleet learns that a customer cut it off in about a second instead of within the cache's
 * {@code revalidateAfter}. The events are CloudTrail records of KMS calls ("AWS API Call via
 * CloudTrail") that the customer's EventBridge rule forwards to the vendor's event bus, whose rule
 * fans them out to one queue per instance (directly, or through SNS with raw message delivery; an
 * SNS envelope is unwrapped too).
 *
 * <pre>{@code
 * try (TenantCrypto crypto = ...;
 *      KeyEventListener events = KeyEventListener.builder()
 *          .queueUrl("https://sqs.us-east-1.amazonaws.com/444455556666/byok-key-events-i-0abc")
 *          .tenants(tenants)
 *          .actions(crypto.keyAccess())
 *          .build()) {
 *   events.start();
 *   ...
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Deny-like</b> calls (DisableKey, ScheduleKeyDeletion, PutKeyPolicy, RevokeGrant) revoke
 *       the key at once through {@link KeyAccessActions#revoke}. <b>Restore-like</b> calls
 *       (EnableKey, CancelKeyDeletion, CreateGrant) only make the key be checked now
 *       ({@link KeyAccessActions#checkNow}): the library's probe decides when access is back, so an
 *       event never restores access by itself. A failed call ({@code errorCode}) changes nothing and
 *       is ignored.
 *   <li><b>Events are untrusted input.</b> The listener acts only on an event about a key that a
 *       tenant of the {@link TenantDirectory} uses ({@link TenantDirectory#tenantsOf}) and whose
 *       {@code account} (set by EventBridge to the account the event came from, not chosen by the
 *       sender) is that key's account: a customer's events can only ever revoke that customer's own
 *       keys. Everything else is counted by {@link IgnoredReason} and logged at WARN at most once a
 *       minute per reason, with values from the message only escaped and cut short.
 *   <li><b>The queue</b> is long-polled in batches (up to 10 messages, waiting up to 20 s). A
 *       message is deleted after it was handled, whether acted on or ignored; malformed and oversized
 *       messages are ignored and deleted too, since no retry can make them valid. A message whose
 *       handling failed (the tenant look-up or the action threw) is not deleted: SQS delivers it
 *       again and, after the queue's {@code maxReceiveCount}, moves it to the dead-letter queue, so
 *       the dead-letter queue holds only what this side failed to do. Handling is idempotent: an
 *       event delivered twice (same account and CloudTrail event ID) is acted on once.
 *   <li><b>Metrics</b>: {@link #stats()} and the {@link KeyEventMetrics} given to the builder
 *       (received, acted on, ignored by reason, failed, lag from the event's {@code eventTime}).
 * </ul>
 *
 * <p>{@link #start()} runs the loop on one daemon thread; a failed receive is retried with
 * exponential backoff (1 s to 30 s, with jitter). {@link #close()} stops it (waiting for the
 * current long poll to return) and closes the SQS client if the listener built it; an injected
 * client stays the caller's. Thread-safe.
 */
public final class KeyEventListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KeyEventListener.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  /** Receive calls wait at most this long (the SQS limit). */
  public static final Duration MAX_WAIT_TIME = Duration.ofSeconds(20);
  /** Messages per receive call at most (the SQS limit). */
  public static final int MAX_BATCH_SIZE = 10;
  /** The largest message the listener reads by default; CloudTrail KMS events are a few KiB. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;

  private final String name;
  private final Counters counters;
  private final QueuePoller poller;
  private final SqsClient ownedClient;
  private final Sleeper sleeper;
  private final Object lifecycle = new Object();
  private Thread thread;
  private volatile boolean closed;

  /** Waits between failed receive calls; tests pass one that records. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private KeyEventListener(Builder b, QueuePort queue, SqsClient ownedClient) {
    this.name = b.name != null ? b.name : "key-events-" + INSTANCES.incrementAndGet();
    this.counters = new Counters(b.metrics);
    Clock clock = b.clock;
    KeyEventHandler handler = new KeyEventHandler(name, new KeyEventParser(b.maxMessageBytes), b.tenants, b.actions,
        new RecentEventIds(b.rememberedEvents), counters, clock, new RateLimitedLog(LOG, clock, Duration.ofMinutes(1)));
    this.poller = new QueuePoller(name, queue, handler, counters, b.batchSize, b.waitTime, b.visibilityTimeout);
    this.ownedClient = ownedClient;
    this.sleeper = b.sleeper;
  }

  /** A builder; {@code queueUrl}, {@code tenants} and {@code actions} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts polling on a daemon thread named {@code byok-<name>}.
   *
   * @throws IllegalStateException if already started or closed
   */
  public void start() {
    synchronized (lifecycle) {
      if (closed) {
        throw new IllegalStateException("key event listener " + name + " is closed");
      }
      if (thread != null) {
        throw new IllegalStateException("key event listener " + name + " is already started");
      }
      thread = new Thread(this::loop, "byok-" + name);
      thread.setDaemon(true);
      thread.start();
    }
  }

  private void loop() {
    Duration backoff = MIN_BACKOFF;
    while (!closed) {
      try {
        pollOnce();
        backoff = MIN_BACKOFF;
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        Duration wait = backoff.plusMillis(ThreadLocalRandom.current().nextLong(backoff.toMillis() / 2 + 1));
        LOG.warn("key event listener {}: receiving from the queue failed, trying again in {} ms: {}", name, wait.toMillis(),
            e.toString());
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
      }
    }
  }

  /** One round on the calling thread (tests): receive a batch, handle it, delete what was handled. */
  int pollOnce() {
    return poller.pollOnce();
  }

  /** The listener's name, in its thread's name, its log lines and (for Micrometer) its meters. */
  public String name() {
    return name;
  }

  /** The counters since the listener was built. */
  public KeyEventStats stats() {
    return counters.snapshot();
  }

  /**
   * Stops polling: waits for the current receive call to return (at most the wait time and a few
   * seconds), then closes the SQS client if the listener built it. Idempotent.
   */
  @Override
  public void close() {
    Thread t;
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      t = thread;
    }
    if (t != null) {
      try {
        t.join(MAX_WAIT_TIME.plusSeconds(5).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (ownedClient != null) {
      ownedClient.close();
    }
  }

  @Override
  public String toString() {
    return "KeyEventListener{" + name + ", " + counters.snapshot() + "}";
  }

  /**
   * Builds a {@link KeyEventListener}. Each value may be set once ({@link IllegalStateException} on
   * a second set); a bad value is an {@link IllegalArgumentException} naming it; {@link #build()}
   * names a missing required value ({@link IllegalStateException}). Not thread-safe.
   */
  public static final class Builder {
    private String queueUrl;
    private TenantDirectory tenants;
    private KeyAccessActions actions;
    private SqsClient sqsClient;
    private QueuePort queue;
    private String name;
    private int batchSize = MAX_BATCH_SIZE;
    private Duration waitTime = MAX_WAIT_TIME;
    private Duration visibilityTimeout;
    private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
    private int rememberedEvents = 10_000;
    private Clock clock = Clock.systemUTC();
    private KeyEventMetrics metrics = KeyEventMetrics.none();
    private Sleeper sleeper = d -> Thread.sleep(d.toMillis());
    private final java.util.Set<String> set = new java.util.HashSet<>();

    private Builder() {}

    private void once(String field) {
      if (!set.add(field)) {
        throw new IllegalStateException("key event listener: " + field + " is already set");
      }
    }

    /** The URL of this instance's queue (required), e.g. {@code https://sqs.us-east-1.amazonaws.com/444455556666/NAME}. */
    public Builder queueUrl(String v) {
      Objects.requireNonNull(v, "queueUrl");
      if (!v.startsWith("https://") && !v.startsWith("http://")) {
        throw new IllegalArgumentException("key event listener: queueUrl must be an http(s) URL, got '" + v + "'");
      }
      once("queueUrl");
      this.queueUrl = v;
      return this;
    }

    /**
     * The vendor's tenants (required): the listener acts only on keys a tenant uses. The directory
     * must answer {@link TenantDirectory#tenantsOf} (the built-in directories do).
     */
    public Builder tenants(TenantDirectory v) {
      Objects.requireNonNull(v, "tenants");
      once("tenants");
      this.tenants = v;
      return this;
    }

    /** What the listener does on an event (required): usually {@code tenantCrypto.keyAccess()}. */
    public Builder actions(KeyAccessActions v) {
      Objects.requireNonNull(v, "actions");
      once("actions");
      this.actions = v;
      return this;
    }

    /**
     * The SQS client; it stays the caller's to close. Default: one built from the SDK's default
     * region and credentials chains, closed with the listener.
     */
    public Builder sqsClient(SqsClient v) {
      Objects.requireNonNull(v, "sqsClient");
      once("sqsClient");
      this.sqsClient = v;
      return this;
    }

    /** Tests: the queue as a port instead of SQS (then no queue URL or client is needed). */
    Builder queue(QueuePort v) {
      Objects.requireNonNull(v, "queue");
      once("queue");
      this.queue = v;
      return this;
    }

    /** The listener's name in logs, its thread and metrics: 1-64 of {@code A-Z a-z 0-9 . _ -}; default {@code key-events-N}. */
    public Builder name(String v) {
      Objects.requireNonNull(v, "name");
      if (!v.matches("[A-Za-z0-9._-]{1,64}")) {
        throw new IllegalArgumentException("key event listener: name must be 1-64 of A-Z a-z 0-9 . _ -, got '" + v + "'");
      }
      once("name");
      this.name = v;
      return this;
    }

    /** Messages per receive call, 1-10; default 10. */
    public Builder batchSize(int v) {
      if (v < 1 || v > MAX_BATCH_SIZE) {
        throw new IllegalArgumentException("key event listener: batchSize must be 1-10, got " + v);
      }
      once("batchSize");
      this.batchSize = v;
      return this;
    }

    /** How long a receive call waits for a message, 1-20 s in whole seconds; default 20 s (long polling). */
    public Builder waitTime(Duration v) {
      Objects.requireNonNull(v, "waitTime");
      if (v.compareTo(Duration.ofSeconds(1)) < 0 || v.compareTo(MAX_WAIT_TIME) > 0 || v.toMillis() % 1000 != 0) {
        throw new IllegalArgumentException("key event listener: waitTime must be 1-20 whole seconds, got " + v);
      }
      once("waitTime");
      this.waitTime = v;
      return this;
    }

    /** How long a received message stays hidden, 0 s to 12 h in whole seconds; default the queue's setting. */
    public Builder visibilityTimeout(Duration v) {
      Objects.requireNonNull(v, "visibilityTimeout");
      if (v.isNegative() || v.compareTo(Duration.ofHours(12)) > 0 || v.toMillis() % 1000 != 0) {
        throw new IllegalArgumentException("key event listener: visibilityTimeout must be 0 s to 12 h in whole seconds, got " + v);
      }
      once("visibilityTimeout");
      this.visibilityTimeout = v;
      return this;
    }

    /** Longer messages (UTF-8) are ignored unread and deleted, 1 KiB to 1 MiB; default 64 KiB. */
    public Builder maxMessageBytes(int v) {
      if (v < 1024 || v > 1024 * 1024) {
        throw new IllegalArgumentException("key event listener: maxMessageBytes must be 1024 to 1048576, got " + v);
      }
      once("maxMessageBytes");
      this.maxMessageBytes = v;
      return this;
    }

    /** How many handled event IDs are remembered to skip redelivered events, 1-1,000,000; default 10,000. */
    public Builder rememberedEvents(int v) {
      if (v < 1 || v > 1_000_000) {
        throw new IllegalArgumentException("key event listener: rememberedEvents must be 1 to 1000000, got " + v);
      }
      once("rememberedEvents");
      this.rememberedEvents = v;
      return this;
    }

    /** The clock of the lag metric and the log rate limit; default the system clock (UTC). */
    public Builder clock(Clock v) {
      Objects.requireNonNull(v, "clock");
      once("clock");
      this.clock = v;
      return this;
    }

    /** Where measurements go; default nowhere ({@link #stats()} counts anyway). */
    public Builder metrics(KeyEventMetrics v) {
      Objects.requireNonNull(v, "metrics");
      once("metrics");
      this.metrics = v;
      return this;
    }

    /** Tests: how the loop waits after a failed receive. */
    Builder sleeper(Sleeper v) {
      Objects.requireNonNull(v, "sleeper");
      once("sleeper");
      this.sleeper = v;
      return this;
    }

    /**
     * Builds the listener (not started). Asks the directory once for the tenants of a key no one
     * uses, to fail here rather than on the first event when it cannot look tenants up by key.
     *
     * @throws IllegalStateException naming a missing required value
     * @throws IllegalArgumentException when the tenant directory cannot look tenants up by key
     */
    public KeyEventListener build() {
      if (queue == null && queueUrl == null) {
        throw new IllegalStateException("key event listener: queueUrl is required");
      }
      if (tenants == null) {
        throw new IllegalStateException("key event listener: tenants is required");
      }
      if (actions == null) {
        throw new IllegalStateException("key event listener: actions is required");
      }
      try {
        Set<String> none = tenants.tenantsOf(KeyArn.parse("arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000000"));
        Objects.requireNonNull(none, "tenantsOf returned null");
      } catch (UnsupportedOperationException e) {
        throw new IllegalArgumentException("key event listener: tenants: " + e.getMessage(), e);
      }
      if (queue != null) {
        return new KeyEventListener(this, queue, null);
      }
      SqsClient owned = sqsClient == null ? SqsClient.create() : null;
      SqsClient client = sqsClient != null ? sqsClient : owned;
      return new KeyEventListener(this, new SqsQueue(client, queueUrl), owned);
    }
  }
}
