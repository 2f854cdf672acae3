package dev.byok.aws.logs;

import dev.byok.aws.logs.internal.BatchLimits;
import dev.byok.aws.logs.internal.BundleDestinations;
import dev.byok.aws.logs.internal.DeliveryEngine;
import dev.byok.aws.logs.internal.DeliverySettings;
import dev.byok.aws.logs.internal.LogsApi;
import dev.byok.aws.logs.internal.NoLoggingProvider;
import dev.byok.aws.logs.internal.RetryBackoff;
import dev.byok.aws.logs.internal.SdkLogsApi;
import dev.byok.aws.logs.internal.SpillStore;
import dev.byok.aws.logs.internal.Undelivered;
import dev.byok.core.HandoffBundle;
import dev.byok.core.TenantDirectory;
import dev.byok.core.audit.AuditSink;
import dev.byok.core.audit.KeyUseEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
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
 *   <li><b>Memory</b> is bounded by {@code maxQueuedEvents}, and each tenant by its share,
 *       {@code maxQueuedEventsPerTenant}; past either, the {@link OverflowPolicy} applies to that
 *       tenant's events only (its producers wait, or the event goes to the tenant's own spill file,
 *       replayed when its delivery works again). Nothing is dropped silently.
 *   <li><b>Isolation</b>: one tenant whose destination fails (role not assumable, log group
 *       deleted, no bundle, the pseudo-tenant {@code "*"}) fills only its own share and spill files;
 *       the other tenants' producers never wait for it and their delivery and replay go on.
 *       {@link Builder#requireDurableAudit} makes a tenant fail closed instead: no key use without
 *       its event in memory within its share while healthy, or forced to disk.
 *   <li><b>Health</b> per tenant: {@link AuditSinkStats#tenants()}, and Micrometer gauges.
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
  private final SdkHttpClient ownedHttpClient;
  private final SpillStore spill;
  private final Object closeLock = new Object();
  private Long closeResult;

  private CloudWatchLogsAuditSink(Builder b, DeliverySettings settings) {
    this.name = settings.name();
    this.spill = b.spillDirectory == null ? null : new SpillStore(b.spillDirectory, settings.clock());
    BiFunction<String, HandoffBundle, LogsApi> clients = b.logsApiFactory;
    SdkHttpClient http = null;
    if (clients == null) {
      http = b.httpClient != null ? null : ApacheHttpClient.builder().maxConnections(Math.max(10, 2 * settings.deliveryThreads())).build();
      SdkLogsApi.Settings sdk = new SdkLogsApi.Settings(
          b.stsClient,
          sts -> {
            sts.credentialsProvider(b.baseCredentials != null ? b.baseCredentials : DefaultCredentialsProvider.builder().build());
            b.stsCustomizer.accept(sts);
          },
          b.httpClient != null ? b.httpClient : http,
          AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(b.sdkMaxAttempts).build(),
          b.apiCallTimeout, b.roleSessionDuration, b.logsCustomizer);
      clients = (tenant, bundle) -> new SdkLogsApi(tenant, bundle, sdk);
    }
    this.ownedHttpClient = http;
    NoLoggingProvider.noticeOnce();
    this.engine = new DeliveryEngine(settings, new BundleDestinations(b.tenants, clients, name), spill);
    settings.metrics().attach(name, this::stats);
    engine.start();
  }

  /** A new builder; only {@link Builder#tenants} is required. */
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
    return engine.flush(timeout);
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
      Undelivered u = engine.close(timeout);
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
      if (u.total() == 0) {
        LOG.info("audit sink {} closed; every event delivered ({})", name, stats());
      } else {
        String where = u.loggedOnly() ? "each logged in full at ERROR on dev.byok.crypto.audit.undelivered"
            : u.defaultLocation() ? "kept in " + u.spillDirectory() + " (the default location: no spill directory was set;"
                + " a sink built with spillDirectory(" + u.spillDirectory() + ") delivers them)"
            : "kept in " + u.spillDirectory() + " to be replayed at the next start";
        String summary = "audit sink " + name + " closed with " + u.total() + " event(s) not delivered: "
            + u.spilledOnOverflow() + " spilled on overflow earlier and " + u.leftInMemory() + " left in memory, " + where
            + "; left in memory per tenant: " + u.perTenant() + "; last errors: " + u.errors();
        LOG.error(summary);
        NoLoggingProvider.important(summary);
      }
      closeResult = u.total();
      return u.total();
    }
  }

  /** The sink's counters now. */
  public AuditSinkStats stats() {
    return engine.stats();
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
   * checks its value ({@link IllegalArgumentException} naming it and what was given) and may be
   * called once ({@link IllegalStateException} on the second call); {@link #build()} checks the
   * rules between them. Not thread-safe.
   */
  public static final class Builder {
    private final Set<String> assigned = new HashSet<>();
    private TenantDirectory tenants;
    private String instanceId;
    private OverflowPolicy overflowPolicy = OverflowPolicy.BLOCK;
    private Path spillDirectory;
    private int maxQueuedEvents = 50_000;
    private Integer maxQueuedEventsPerTenant;
    private Set<String> durableAuditTenants = Set.of();
    private Duration flushInterval = Duration.ofSeconds(1);
    private int maxBatchEvents = BatchLimits.MAX_EVENTS;
    private int maxBatchBytes = BatchLimits.MAX_BYTES;
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

    /** Marks {@code setting} as set; a second time is a mistake (two parts of the caller's code disagree). */
    private void once(String setting) {
      if (!assigned.add(setting)) {
        throw new IllegalStateException("CloudWatchLogsAuditSink.Builder: " + setting + " is already set; set each value once");
      }
    }

    /** Where each tenant's events go (required). */
    public Builder tenants(TenantDirectory v) {
      Objects.requireNonNull(v, "tenants");
      once("tenants");
      this.tenants = v;
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
      once("instanceId");
      this.instanceId = v;
      return this;
    }

    /** What happens when {@link #maxQueuedEvents} are waiting; default {@link OverflowPolicy#BLOCK}. */
    public Builder overflowPolicy(OverflowPolicy v) {
      Objects.requireNonNull(v, "overflowPolicy");
      once("overflowPolicy");
      this.overflowPolicy = v;
      return this;
    }

    /**
     * The directory for spill files (required with {@link OverflowPolicy#SPILL}; with BLOCK, where
     * events undelivered at close are kept). Owned by this sink while it runs.
     */
    public Builder spillDirectory(Path v) {
      Objects.requireNonNull(v, "spillDirectory");
      once("spillDirectory");
      this.spillDirectory = v;
      return this;
    }

    /** Events held in memory at most (default 50,000; about 1 KiB each for typical events). */
    public Builder maxQueuedEvents(int v) {
      if (v < 1) {
        throw new IllegalArgumentException("maxQueuedEvents must be at least 1, got " + v);
      }
      once("maxQueuedEvents");
      this.maxQueuedEvents = v;
      return this;
    }

    /**
     * Events of one tenant held in memory at most: its share (default an eighth of
     * {@link #maxQueuedEvents}, at least 1). Past it, the overflow policy applies to that tenant
     * alone, so a tenant whose destination fails cannot take the others' room.
     */
    public Builder maxQueuedEventsPerTenant(int v) {
      if (v < 1) {
        throw new IllegalArgumentException("maxQueuedEventsPerTenant must be at least 1, got " + v);
      }
      once("maxQueuedEventsPerTenant");
      this.maxQueuedEventsPerTenant = v;
      return this;
    }

    /**
     * Tenants whose customers require "no key use without a durable audit record". For them, an
     * event that cannot be held within the tenant's share while its delivery works, and every event
     * while its delivery fails, is written to the tenant's spill file and forced to disk before
     * {@code emit} returns; if that write fails, {@code emit} throws and the key use fails, for that
     * tenant only (its producers never wait). Needs a {@link #spillDirectory}.
     */
    public Builder requireDurableAudit(Set<String> tenants) {
      Objects.requireNonNull(tenants, "requireDurableAudit");
      once("requireDurableAudit");
      this.durableAuditTenants = Set.copyOf(tenants);
      return this;
    }

    /** How long an event may wait for a fuller batch (default 1 s). */
    public Builder flushInterval(Duration v) {
      if (v == null || v.isNegative() || v.isZero() || v.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException("flushInterval must be between 1 ms and 10 minutes, got " + v);
      }
      once("flushInterval");
      this.flushInterval = v;
      return this;
    }

    /** Events per PutLogEvents request at most (default and maximum 10,000). */
    public Builder maxBatchEvents(int v) {
      if (v < 1 || v > BatchLimits.MAX_EVENTS) {
        throw new IllegalArgumentException("maxBatchEvents must be 1-" + BatchLimits.MAX_EVENTS + ", got " + v);
      }
      once("maxBatchEvents");
      this.maxBatchEvents = v;
      return this;
    }

    /** Bytes per request at most, counting 26 per event (default and maximum 1,048,576; at least 262,144). */
    public Builder maxBatchBytes(int v) {
      if (v < BatchLimits.MAX_EVENT_BYTES || v > BatchLimits.MAX_BYTES) {
        throw new IllegalArgumentException("maxBatchBytes must be " + BatchLimits.MAX_EVENT_BYTES + "-"
            + BatchLimits.MAX_BYTES + ", got " + v);
      }
      once("maxBatchBytes");
      this.maxBatchBytes = v;
      return this;
    }

    /** Backoff between attempts at a failing batch: from {@code base}, doubling, up to {@code max}, with jitter. */
    public Builder retryBackoff(Duration base, Duration max) {
      if (base == null || max == null || base.toMillis() < 1 || max.compareTo(base) < 0) {
        throw new IllegalArgumentException("retryBackoff needs 1 ms <= base <= max, got " + base + " and " + max);
      }
      once("retryBackoff");
      this.retryBase = base;
      this.retryMax = max;
      return this;
    }

    /** Threads making AWS calls (default 2); at most one batch per tenant is in flight. */
    public Builder deliveryThreads(int v) {
      if (v < 1 || v > 64) {
        throw new IllegalArgumentException("deliveryThreads must be 1-64, got " + v);
      }
      once("deliveryThreads");
      this.deliveryThreads = v;
      return this;
    }

    /**
     * Whether to create a tenant's log group when it is missing (default false: the customer
     * creates it, choosing retention and KMS encryption; a missing group is reported and its events
     * kept). The guide's role allows logs:CreateLogGroup, so true works too.
     */
    public Builder createMissingLogGroup(boolean v) {
      once("createMissingLogGroup");
      this.createMissingLogGroup = v;
      return this;
    }

    /** The vendor's own credentials, used to call STS (default: the SDK's default chain). */
    public Builder baseCredentials(AwsCredentialsProvider v) {
      Objects.requireNonNull(v, "baseCredentials");
      once("baseCredentials");
      this.baseCredentials = v;
      return this;
    }

    /** The STS client to assume roles with (the caller closes it); by default one per region is built. */
    public Builder stsClient(StsClient v) {
      Objects.requireNonNull(v, "stsClient");
      once("stsClient");
      this.stsClient = v;
      return this;
    }

    /** Adjusts the STS clients the sink builds (endpoint, say); not used with {@link #stsClient}. */
    public Builder stsClientCustomizer(Consumer<StsClientBuilder> v) {
      Objects.requireNonNull(v, "stsClientCustomizer");
      once("stsClientCustomizer");
      this.stsCustomizer = v;
      return this;
    }

    /**
     * Adjusts each tenant's CloudWatch Logs client after the sink has set region, credentials and
     * HTTP client (endpoint override, interceptors). Override configuration it sets is kept; the
     * sink adds its retry strategy and call timeout only where none is set.
     */
    public Builder logsClientCustomizer(Consumer<CloudWatchLogsClientBuilder> v) {
      Objects.requireNonNull(v, "logsClientCustomizer");
      once("logsClientCustomizer");
      this.logsCustomizer = v;
      return this;
    }

    /** The HTTP client for STS and CloudWatch Logs (the caller closes it); by default the sink makes one. */
    public Builder httpClient(SdkHttpClient v) {
      Objects.requireNonNull(v, "httpClient");
      once("httpClient");
      this.httpClient = v;
      return this;
    }

    /** Attempts per AWS call by the SDK's standard retry strategy (default 3). */
    public Builder sdkMaxAttempts(int v) {
      if (v < 1 || v > 10) {
        throw new IllegalArgumentException("sdkMaxAttempts must be 1-10, got " + v);
      }
      once("sdkMaxAttempts");
      this.sdkMaxAttempts = v;
      return this;
    }

    /** The longest one AWS call may take, retries included (default 30 s). */
    public Builder apiCallTimeout(Duration v) {
      if (v == null || v.toMillis() < 1) {
        throw new IllegalArgumentException("apiCallTimeout must be positive, got " + v);
      }
      once("apiCallTimeout");
      this.apiCallTimeout = v;
      return this;
    }

    /** The assumed-role session length (default 1 h; 15 min to 12 h, within the role's maximum). */
    public Builder roleSessionDuration(Duration v) {
      if (v == null || v.compareTo(Duration.ofMinutes(15)) < 0 || v.compareTo(Duration.ofHours(12)) > 0) {
        throw new IllegalArgumentException("roleSessionDuration must be 15 minutes to 12 hours, got " + v);
      }
      once("roleSessionDuration");
      this.roleSessionDuration = v;
      return this;
    }

    /** Where delivery measurements go (default none); see {@link MicrometerAuditMetrics}. */
    public Builder metrics(AuditMetrics v) {
      Objects.requireNonNull(v, "metrics");
      once("metrics");
      this.metrics = v;
      return this;
    }

    /** The clock for flush intervals, backoff and timestamps (default UTC system clock). */
    public Builder clock(Clock v) {
      Objects.requireNonNull(v, "clock");
      once("clock");
      this.clock = v;
      return this;
    }

    /** Jitter source (tests). */
    Builder random(RandomGenerator v) {
      Objects.requireNonNull(v, "random");
      once("random");
      this.random = v;
      return this;
    }

    /** Replaces the AWS SDK with another {@link LogsApi} per tenant (tests). */
    Builder logsApiFactory(BiFunction<String, HandoffBundle, LogsApi> v) {
      Objects.requireNonNull(v, "logsApiFactory");
      once("logsApiFactory");
      this.logsApiFactory = v;
      return this;
    }

    /** No threads: deliveries run when the test calls {@code runOnce}, flush or close (tests). */
    Builder manualDispatch() {
      once("manualDispatch");
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
      if (!durableAuditTenants.isEmpty() && spillDirectory == null) {
        throw new IllegalStateException("CloudWatchLogsAuditSink: requireDurableAudit needs a spillDirectory, where those"
            + " tenants' events are forced to disk");
      }
      if (maxQueuedEventsPerTenant != null && maxQueuedEventsPerTenant > maxQueuedEvents) {
        throw new IllegalStateException("CloudWatchLogsAuditSink: maxQueuedEventsPerTenant (" + maxQueuedEventsPerTenant
            + ") is more than maxQueuedEvents (" + maxQueuedEvents + ")");
      }
      if (stsClient != null && baseCredentials != null) {
        throw new IllegalStateException("CloudWatchLogsAuditSink: baseCredentials is for the STS clients the sink builds;"
            + " with stsClient set, configure credentials on that client");
      }
      int n = INSTANCES.incrementAndGet();
      String name = instanceId != null ? instanceId : defaultInstanceId() + (n > 1 ? "-" + n : "");
      return new CloudWatchLogsAuditSink(this, deliverySettings(name));
    }

    /** The engine's part of this builder, made once. */
    private DeliverySettings deliverySettings(String name) {
      return new DeliverySettings(
          name,
          maxQueuedEvents,
          maxQueuedEventsPerTenant != null ? maxQueuedEventsPerTenant : Math.max(1, maxQueuedEvents / 8),
          overflowPolicy,
          flushInterval,
          BatchLimits.cloudWatch(maxBatchEvents, maxBatchBytes),
          new RetryBackoff(retryBase, retryMax, random),
          createMissingLogGroup,
          deliveryThreads,
          manual,
          clock,
          metrics,
          durableAuditTenants);
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
