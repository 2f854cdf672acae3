package dev.byok.aws.logs;

import dev.byok.core.HandoffBundle;
import dev.byok.core.TenantDirectory;
import dev.byok.core.TenantKey;
import dev.byok.core.audit.AuditSink;
import dev.byok.core.audit.KeyUseEvent;
import dev.byok.aws.logs.internal.DeliveryEngine;
import dev.byok.aws.logs.internal.DeliveryFailure;
import dev.byok.aws.logs.internal.LogsApi;
import dev.byok.aws.logs.internal.SdkLogsApi;
import dev.byok.aws.logs.internal.SpillStore;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClientBuilder;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;

/**
 * Delivers audit events to each tenant's own CloudWatch Logs group, in the customer's AWS account,
 * through the role the customer set up for it (the guide's CloudWatch section).
 *
 * <p>For each tenant the sink looks up the tenant's {@link HandoffBundle} (role ARN, external ID,
 * log group, region), assumes the role with STS AssumeRole and the external ID (the SDK's
 * {@code StsAssumeRoleCredentialsProvider}, which assumes it again before the session expires), and
 * writes to its own log stream {@code byok/<vendor>/<instanceId>/<tenant>} in the group, creating
 * the stream if it is missing. Delivery is at least once.
 *
 * <ul>
 *   <li><b>Batches</b> stay within every PutLogEvents limit: at most 10,000 events and 1,048,576
 *       bytes counting 26 bytes per event, in chronological order, spanning less than 24 hours.
 *       Events that arrive out of order (from many threads) are sorted per tenant. The timestamp
 *       sent is the event's time, moved into the service's acceptance window when it lies outside
 *       (a long outage); the JSON keeps the true time.
 *   <li><b>Oversize events</b> (over 256 KiB) are truncated with a marker, never split or dropped:
 *       free-text fields are cut, largest first, and the event gains
 *       {@code "truncated":{"field":originalBytes}} (see {@code docs/audit-events.md}).
 *   <li><b>Flush</b> when a tenant has a full batch or its oldest event has waited
 *       {@code flushInterval}.
 *   <li><b>Retries</b>: each call uses the SDK's standard retry strategy (backoff with jitter,
 *       throttling-aware); a batch that still fails is kept and tried again with exponential
 *       backoff and jitter, without limit, until it is stored or the sink closes. A missing log
 *       group or a role that cannot be assumed is logged as a clear error naming it; the events are
 *       kept. The sink does not create a missing log group unless {@code createMissingLogGroup}: the
 *       group belongs to the customer, who chooses its retention and encryption.
 *   <li><b>Memory</b> is bounded by {@code maxQueuedEvents}; when full, the {@link OverflowPolicy}
 *       applies (the producer waits, or the event goes to a spill file that is replayed later).
 *       Nothing is dropped silently.
 *   <li><b>{@link #close(Duration)}</b> delivers what it can within the timeout, then writes what
 *       is left to the spill directory (or, without one, logs each event in full at ERROR on the
 *       logger {@code dev.byok.crypto.audit.undelivered}) and returns how many that was.
 * </ul>
 *
 * <pre>{@code
 * CloudWatchLogsAuditSink sink = CloudWatchLogsAuditSink.builder()
 *     .tenants(TenantDirectory.fromBundleDirectory(Path.of("bundles")))
 *     .overflowPolicy(OverflowPolicy.SPILL)
 *     .spillDirectory(Path.of("/var/lib/myapp/audit-spill"))
 *     .build();
 * }</pre>
 *
 * <p>Thread-safe. {@link #emit} only enqueues: one atomic counter and one lock-free queue insert;
 * the JSON is written by the sink's dispatcher thread. The sink owns its threads, its HTTP client
 * and the STS clients it builds; an injected {@link StsClient} or {@link SdkHttpClient} stays the
 * caller's to close.
 */
public final class CloudWatchLogsAuditSink implements AuditSink {
  private static final Logger LOG = LoggerFactory.getLogger(CloudWatchLogsAuditSink.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9._/#-]{1,128}");

  private final String name;
  private final DeliveryEngine engine;
  private final Thread dispatcher;
  private final ExecutorService ownedExecutor;
  private final SdkHttpClient ownedHttpClient;
  private final SpillStore spill;
  private final Object closeLock = new Object();
  private Long closeResult;

  private CloudWatchLogsAuditSink(Builder b, String instanceId) {
    this.name = instanceId;
    this.spill = b.spillDirectory == null ? null : new SpillStore(b.spillDirectory, b.clock);
    BiFunction<String, HandoffBundle, LogsApi> factory = b.logsApiFactory;
    SdkHttpClient http = null;
    if (factory == null) {
      http = b.httpClient != null ? null : ApacheHttpClient.builder().maxConnections(Math.max(10, 2 * b.deliveryThreads)).build();
      SdkLogsApi.Settings settings = new SdkLogsApi.Settings(
          b.stsClient,
          sts -> {
            sts.credentialsProvider(b.baseCredentials != null ? b.baseCredentials : DefaultCredentialsProvider.builder().build());
            b.stsCustomizer.accept(sts);
          },
          b.httpClient != null ? b.httpClient : http,
          AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(b.sdkMaxAttempts).build(),
          b.apiCallTimeout, b.roleSessionDuration, b.logsCustomizer);
      factory = (tenant, bundle) -> new SdkLogsApi(tenant, bundle, settings);
    }
    this.ownedHttpClient = http;
    BiFunction<String, HandoffBundle, LogsApi> apis = factory;
    TenantDirectory tenants = b.tenants;

    DeliveryEngine.Config c = new DeliveryEngine.Config();
    c.capacity = b.maxQueuedEvents;
    c.overflow = b.overflowPolicy;
    c.flushInterval = b.flushInterval;
    c.limits = new DeliveryEngine.Limits(b.maxBatchEvents, b.maxBatchBytes, Duration.ofDays(14).minusHours(1), Duration.ofHours(1));
    c.retryBase = b.retryBase;
    c.retryMax = b.retryMax;
    c.createMissingLogGroup = b.createMissingLogGroup;
    c.clock = b.clock;
    c.random = b.random;
    c.spill = spill;
    c.metrics = b.metrics;
    c.destinations = tenant -> {
      Optional<HandoffBundle> bundle;
      try {
        bundle = tenants.find(tenant).flatMap(TenantKey::bundle);
      } catch (RuntimeException e) {
        throw new DeliveryFailure(DeliveryFailure.Kind.UNKNOWN_TENANT, "the hand-off bundle lookup failed for tenant '"
            + tenant + "': " + e + "; events are kept and retried", e);
      }
      if (bundle == null || bundle.isEmpty()) {
        throw new DeliveryFailure(DeliveryFailure.Kind.UNKNOWN_TENANT, "no hand-off bundle for tenant '" + tenant
            + "' (the sink's TenantDirectory does not know it or has no bundle for it); events are kept and retried", null);
      }
      HandoffBundle h = bundle.get();
      return new DeliveryEngine.Destination(apis.apply(tenant, h), h.logGroupName(),
          DeliveryEngine.streamName(h.vendor(), instanceId, tenant));
    };
    if (b.manual) {
      c.executor = Runnable::run;
      this.ownedExecutor = null;
    } else {
      this.ownedExecutor = Executors.newFixedThreadPool(b.deliveryThreads, daemon("byok-audit-cwl-delivery-" + instanceId));
      c.executor = ownedExecutor;
    }
    this.engine = new DeliveryEngine(c);
    b.metrics.attach(instanceId, this::stats);
    if (b.manual) {
      this.dispatcher = null;
    } else {
      this.dispatcher = daemon("byok-audit-cwl-dispatch-" + instanceId).newThread(engine::dispatchLoop);
      dispatcher.start();
    }
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Accepts an event for delivery; returns at once unless the queue is full under
   * {@link OverflowPolicy#BLOCK}.
   *
   * @throws IllegalStateException if the sink is closed (the event is not accepted)
   */
  @Override
  public void emit(KeyUseEvent event) {
    engine.offer(Objects.requireNonNull(event, "event"));
  }

  /** Sends every buffered event now and waits until all are stored or {@code timeout} passes. */
  @Override
  public boolean flush(Duration timeout) {
    engine.beginFlush();
    try {
      if (dispatcher == null) {
        engine.runUntilIdle();
      } else {
        waitForDelivery(System.nanoTime() + timeout.toNanos());
      }
    } finally {
      engine.endFlush();
    }
    return engine.pending() == 0;
  }

  private void waitForDelivery(long deadlineNanos) {
    while (engine.pending() > 0 && System.nanoTime() < deadlineNanos) {
      engine.wake();
      LockSupport.parkNanos(this, 2_000_000L);
    }
  }

  /**
   * Stops accepting events, delivers what it can within {@code timeout}, and keeps the rest: in the
   * spill directory (replayed at the next start) or, without one, in full on the ERROR log. Logs a
   * summary naming each tenant with undelivered events and why. Calling it again returns the first
   * result.
   *
   * @return how many accepted events were not delivered
   */
  @Override
  public long close(Duration timeout) {
    synchronized (closeLock) {
      if (closeResult != null) {
        return closeResult;
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      engine.beginClose();
      engine.beginFlush();
      if (dispatcher == null) {
        engine.runUntilIdle();
      } else {
        waitForDelivery(deadline);
        engine.stopDispatcher();
        joinQuietly(dispatcher, deadline);
      }
      if (ownedExecutor != null) {
        ownedExecutor.shutdown();
        try {
          if (!ownedExecutor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            ownedExecutor.shutdownNow();
          }
        } catch (InterruptedException e) {
          ownedExecutor.shutdownNow();
          Thread.currentThread().interrupt();
        }
      }
      DeliveryEngine.Undelivered u = engine.finish();
      engine.endFlush();
      if (ownedHttpClient != null) {
        ownedHttpClient.close();
      }
      if (spill != null) {
        try {
          spill.close();
        } catch (IOException e) {
          LOG.error("audit sink {}: closing the spill directory failed: {}", name, e.toString());
        }
      }
      if (u.total == 0) {
        LOG.info("audit sink {} closed; every event delivered ({})", name, stats());
      } else {
        LOG.error("audit sink {} closed with {} event(s) not delivered: {} spilled on overflow earlier and {} left in memory, {};"
                + " left in memory per tenant: {}; last errors: {}",
            name, u.total, u.spilledOnOverflow, u.total - u.spilledOnOverflow,
            u.loggedOnly ? "each logged in full at ERROR on dev.byok.crypto.audit.undelivered"
                : "kept in " + u.spillDirectory + " to be replayed at the next start", u.perTenant, u.errors);
      }
      closeResult = u.total;
      return u.total;
    }
  }

  private static void joinQuietly(Thread t, long deadlineNanos) {
    try {
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())) + 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The sink's counters now. */
  public AuditSinkStats stats() {
    DeliveryEngine e = engine;
    return new AuditSinkStats(e.queued(), e.replayed(), e.delivered(), e.retried(), e.possibleDuplicates(),
        e.spilled(), e.rejected(), e.pending(), e.batches(), e.bytes(), e.largestBatch(),
        Duration.ofMillis(e.lastLagMillis()), Duration.ofMillis(e.maxLagMillis()), e.tenantErrors());
  }

  /** Test hook: one dispatcher round when built with {@code manualDispatch()}. */
  boolean runOnce() {
    return engine.runOnce();
  }

  @Override
  public String toString() {
    return "CloudWatchLogsAuditSink{" + name + "}";
  }

  /**
   * Builds a {@link CloudWatchLogsAuditSink}. Only {@link #tenants} is required. Each setter
   * checks its value; {@link #build()} checks the rules between them.
   */
  public static final class Builder {
    private TenantDirectory tenants;
    private String instanceId;
    private OverflowPolicy overflowPolicy = OverflowPolicy.BLOCK;
    private Path spillDirectory;
    private int maxQueuedEvents = 50_000;
    private Duration flushInterval = Duration.ofSeconds(1);
    private int maxBatchEvents = DeliveryEngine.MAX_BATCH_EVENTS;
    private int maxBatchBytes = DeliveryEngine.MAX_BATCH_BYTES;
    private Duration retryBase = Duration.ofMillis(200);
    private Duration retryMax = Duration.ofMinutes(1);
    private int deliveryThreads = 2;
    private boolean createMissingLogGroup;
    private AwsCredentialsProvider baseCredentials;
    private StsClient stsClient;
    private Consumer<StsClientBuilder> stsCustomizer = b -> { };
    private Consumer<CloudWatchLogsClientBuilder> logsCustomizer = b -> { };
    private SdkHttpClient httpClient;
    private int sdkMaxAttempts = 3;
    private Duration apiCallTimeout = Duration.ofSeconds(30);
    private Duration roleSessionDuration = Duration.ofHours(1);
    private AuditMetrics metrics = AuditMetrics.none();
    private Clock clock = Clock.systemUTC();
    private RandomGenerator random = RandomGenerator.of("L64X128MixRandom");
    private BiFunction<String, HandoffBundle, LogsApi> logsApiFactory;
    private boolean manual;

    private Builder() {}

    /** Where each tenant's events go (required). */
    public Builder tenants(TenantDirectory v) {
      this.tenants = Objects.requireNonNull(v, "tenants");
      return this;
    }

    /**
     * This process's part of the log stream name, {@code byok/<vendor>/<instanceId>/<tenant>}; by
     * default {@code <host>-<pid>}, with {@code -<n>} added for the second and later sinks of a JVM.
     * 1-128 of {@code A-Z a-z 0-9 . _ / # -}.
     */
    public Builder instanceId(String v) {
      if (v == null || !INSTANCE_ID.matcher(v).matches()) {
        throw new IllegalArgumentException("instanceId must be 1-128 of A-Z a-z 0-9 . _ / # -, got '" + v + "'");
      }
      this.instanceId = v;
      return this;
    }

    /** What happens when {@link #maxQueuedEvents} are waiting; default {@link OverflowPolicy#BLOCK}. */
    public Builder overflowPolicy(OverflowPolicy v) {
      this.overflowPolicy = Objects.requireNonNull(v, "overflowPolicy");
      return this;
    }

    /**
     * The directory for spill files (required with {@link OverflowPolicy#SPILL}; with BLOCK, where
     * events undelivered at close are kept). Owned by this sink while it runs.
     */
    public Builder spillDirectory(Path v) {
      this.spillDirectory = Objects.requireNonNull(v, "spillDirectory");
      return this;
    }

    /** Events held in memory at most (default 50,000; about 1 KiB each for typical events). */
    public Builder maxQueuedEvents(int v) {
      if (v < 1) {
        throw new IllegalArgumentException("maxQueuedEvents must be at least 1, got " + v);
      }
      this.maxQueuedEvents = v;
      return this;
    }

    /** How long an event may wait for a fuller batch (default 1 s). */
    public Builder flushInterval(Duration v) {
      if (v == null || v.isNegative() || v.isZero() || v.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException("flushInterval must be between 1 ms and 10 minutes, got " + v);
      }
      this.flushInterval = v;
      return this;
    }

    /** Events per PutLogEvents request at most (default and maximum 10,000). */
    public Builder maxBatchEvents(int v) {
      if (v < 1 || v > DeliveryEngine.MAX_BATCH_EVENTS) {
        throw new IllegalArgumentException("maxBatchEvents must be 1-" + DeliveryEngine.MAX_BATCH_EVENTS + ", got " + v);
      }
      this.maxBatchEvents = v;
      return this;
    }

    /** Bytes per request at most, counting 26 per event (default and maximum 1,048,576; at least 262,144). */
    public Builder maxBatchBytes(int v) {
      if (v < DeliveryEngine.MAX_EVENT_BYTES || v > DeliveryEngine.MAX_BATCH_BYTES) {
        throw new IllegalArgumentException("maxBatchBytes must be " + DeliveryEngine.MAX_EVENT_BYTES + "-"
            + DeliveryEngine.MAX_BATCH_BYTES + ", got " + v);
      }
      this.maxBatchBytes = v;
      return this;
    }

    /** Backoff between attempts at a failing batch: from {@code base}, doubling, up to {@code max}, with jitter. */
    public Builder retryBackoff(Duration base, Duration max) {
      if (base == null || max == null || base.toMillis() < 1 || max.compareTo(base) < 0) {
        throw new IllegalArgumentException("retryBackoff needs 1 ms <= base <= max, got " + base + " and " + max);
      }
      this.retryBase = base;
      this.retryMax = max;
      return this;
    }

    /** Threads making AWS calls (default 2); at most one batch per tenant is in flight. */
    public Builder deliveryThreads(int v) {
      if (v < 1 || v > 64) {
        throw new IllegalArgumentException("deliveryThreads must be 1-64, got " + v);
      }
      this.deliveryThreads = v;
      return this;
    }

    /**
     * Whether to create a tenant's log group when it is missing (default false: the customer
     * creates it, choosing retention and KMS encryption; a missing group is reported and its events
     * kept). The guide's role allows logs:CreateLogGroup, so true works too.
     */
    public Builder createMissingLogGroup(boolean v) {
      this.createMissingLogGroup = v;
      return this;
    }

    /** The vendor's own credentials, used to call STS (default: the SDK's default chain). */
    public Builder baseCredentials(AwsCredentialsProvider v) {
      this.baseCredentials = Objects.requireNonNull(v, "baseCredentials");
      return this;
    }

    /** The STS client to assume roles with (the caller closes it); by default one per region is built. */
    public Builder stsClient(StsClient v) {
      this.stsClient = Objects.requireNonNull(v, "stsClient");
      return this;
    }

    /** Adjusts the STS clients the sink builds (endpoint, say); not used with {@link #stsClient}. */
    public Builder stsClientCustomizer(Consumer<StsClientBuilder> v) {
      this.stsCustomizer = Objects.requireNonNull(v, "stsClientCustomizer");
      return this;
    }

    /**
     * Adjusts each tenant's CloudWatch Logs client after the sink has set region, credentials and
     * HTTP client (endpoint override, interceptors). Override configuration it sets is kept; the
     * sink adds its retry strategy and call timeout only where none is set.
     */
    public Builder logsClientCustomizer(Consumer<CloudWatchLogsClientBuilder> v) {
      this.logsCustomizer = Objects.requireNonNull(v, "logsClientCustomizer");
      return this;
    }

    /** The HTTP client for STS and CloudWatch Logs (the caller closes it); by default the sink makes one. */
    public Builder httpClient(SdkHttpClient v) {
      this.httpClient = Objects.requireNonNull(v, "httpClient");
      return this;
    }

    /** Attempts per AWS call by the SDK's standard retry strategy (default 3). */
    public Builder sdkMaxAttempts(int v) {
      if (v < 1 || v > 10) {
        throw new IllegalArgumentException("sdkMaxAttempts must be 1-10, got " + v);
      }
      this.sdkMaxAttempts = v;
      return this;
    }

    /** The longest one AWS call may take, retries included (default 30 s). */
    public Builder apiCallTimeout(Duration v) {
      if (v == null || v.toMillis() < 1) {
        throw new IllegalArgumentException("apiCallTimeout must be positive, got " + v);
      }
      this.apiCallTimeout = v;
      return this;
    }

    /** The assumed-role session length (default 1 h; 15 min to 12 h, within the role's maximum). */
    public Builder roleSessionDuration(Duration v) {
      if (v == null || v.compareTo(Duration.ofMinutes(15)) < 0 || v.compareTo(Duration.ofHours(12)) > 0) {
        throw new IllegalArgumentException("roleSessionDuration must be 15 minutes to 12 hours, got " + v);
      }
      this.roleSessionDuration = v;
      return this;
    }

    /** Where delivery measurements go (default none); see {@link MicrometerAuditMetrics}. */
    public Builder metrics(AuditMetrics v) {
      this.metrics = Objects.requireNonNull(v, "metrics");
      return this;
    }

    /** The clock for flush intervals, backoff and timestamps (default UTC system clock). */
    public Builder clock(Clock v) {
      this.clock = Objects.requireNonNull(v, "clock");
      return this;
    }

    /** Jitter source (tests). */
    Builder random(RandomGenerator v) {
      this.random = Objects.requireNonNull(v, "random");
      return this;
    }

    /** Replaces the AWS SDK with another {@link LogsApi} per tenant (tests). */
    Builder logsApiFactory(BiFunction<String, HandoffBundle, LogsApi> v) {
      this.logsApiFactory = Objects.requireNonNull(v, "logsApiFactory");
      return this;
    }

    /** No threads: deliveries run when the test calls {@code runOnce}, flush or close (tests). */
    Builder manualDispatch() {
      this.manual = true;
      return this;
    }

    /**
     * Builds and starts the sink; replays spill files left in the spill directory.
     *
     * @throws IllegalStateException naming what is missing or in conflict
     */
    public CloudWatchLogsAuditSink build() {
      if (tenants == null) {
        throw new IllegalStateException("CloudWatchLogsAuditSink: tenants is required");
      }
      if (overflowPolicy == OverflowPolicy.SPILL && spillDirectory == null) {
        throw new IllegalStateException("CloudWatchLogsAuditSink: overflowPolicy SPILL needs a spillDirectory");
      }
      if (stsClient != null && baseCredentials != null) {
        throw new IllegalStateException("CloudWatchLogsAuditSink: baseCredentials is for the STS clients the sink builds;"
            + " with stsClient set, configure credentials on that client");
      }
      int n = INSTANCES.incrementAndGet();
      String id = instanceId != null ? instanceId : defaultInstanceId() + (n > 1 ? "-" + n : "");
      return new CloudWatchLogsAuditSink(this, id);
    }

    private static String defaultInstanceId() {
      String host = System.getenv("HOSTNAME");
      if (host == null || host.isBlank()) {
        try {
          host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
          host = "host";
        }
      }
      String id = host.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + ProcessHandle.current().pid();
      return id.length() > 100 ? id.substring(0, 100) : id;
    }
  }
}
