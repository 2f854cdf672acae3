package dev.byok.aws.logs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Publishes an audit sink's measurements to a Micrometer {@link MeterRegistry}. The only class of
 * this package that needs Micrometer on the class path; nothing else refers to it, so the sinks
 * work without Micrometer. Meters, each tagged {@code sink=<instance id>}:
 * <ul>
 *   <li>{@code byok.audit.events.queued} (counter, from the sink's stats), {@code byok.audit.events.pending} (gauge)
 *   <li>{@code byok.audit.events.delivered}, {@code .retried}, {@code .spilled}, {@code .replayed}, {@code .rejected} (counters)
 *   <li>{@code byok.audit.batch.size} (distribution summary, bytes as PutLogEvents counts them)
 *   <li>{@code byok.audit.delivery.lag} (timer: oldest event's time to acknowledgment, per batch)
 *   <li>per tenant, tagged {@code sink} and {@code tenant}: {@code byok.audit.tenant.healthy} (gauge: 1
 *       while its delivery works, 0 while it fails), {@code byok.audit.tenant.pending} (gauge: its events
 *       in memory) and {@code byok.audit.tenant.spilled} (function counter: its events written to its
 *       spill files); registered when the sink sees the tenant's first event
 * </ul>
 * Use one instance per sink: {@code builder.metrics(MicrometerAuditMetrics.create(registry))}.
 * Thread-safe.
 */
public final class MicrometerAuditMetrics implements AuditMetrics {
  private final MeterRegistry registry;
  private volatile Meters meters;
  /**
   * The sink's stats supplier. Micrometer holds the state object of a function counter or gauge
   * weakly; the supplier the sink passes is referenced by nothing else, so it is kept here (this
   * object lives as long as the sink), or the meters would read 0 after a garbage collection.
   */
  private volatile Supplier<AuditSinkStats> stats;
  private volatile String sinkName;
  private final Set<String> tenantsRegistered = ConcurrentHashMap.newKeySet();

  private MicrometerAuditMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Metrics for one sink, registered in {@code registry} when the sink attaches. */
  public static MicrometerAuditMetrics create(MeterRegistry registry) {
    return new MicrometerAuditMetrics(Objects.requireNonNull(registry, "registry"));
  }

  private static final class Meters {
    final Counter delivered;
    final Counter retried;
    final Counter spilled;
    final Counter replayed;
    final Counter rejected;
    final DistributionSummary batchBytes;
    final Timer lag;

    Meters(MeterRegistry r, String sink) {
      delivered = Counter.builder("byok.audit.events.delivered").tag("sink", sink).description("audit events stored by CloudWatch Logs").register(r);
      retried = Counter.builder("byok.audit.events.retried").tag("sink", sink).description("audit events queued again after a failed attempt").register(r);
      spilled = Counter.builder("byok.audit.events.spilled").tag("sink", sink).description("audit events written to the spill file").register(r);
      replayed = Counter.builder("byok.audit.events.replayed").tag("sink", sink).description("audit events read back from spill files").register(r);
      rejected = Counter.builder("byok.audit.events.rejected").tag("sink", sink).description("audit events refused for good").register(r);
      batchBytes = DistributionSummary.builder("byok.audit.batch.size").baseUnit("bytes").tag("sink", sink).register(r);
      lag = Timer.builder("byok.audit.delivery.lag").tag("sink", sink).description("event time to acknowledgment").register(r);
    }
  }

  @Override
  public void attach(String sinkName, Supplier<AuditSinkStats> stats) {
    if (meters != null) {
      throw new IllegalStateException("this MicrometerAuditMetrics is attached to a sink already; make one per sink");
    }
    this.stats = stats;
    this.sinkName = sinkName;
    FunctionCounter.builder("byok.audit.events.queued", stats, s -> s.get().queued()).tag("sink", sinkName)
        .description("audit events accepted into memory").register(registry);
    Gauge.builder("byok.audit.events.pending", stats, s -> s.get().pending()).tag("sink", sinkName)
        .description("audit events in memory, not yet delivered").register(registry);
    meters = new Meters(registry, sinkName);
  }

  @Override
  public void tenantHealth(String tenant, boolean healthy) {
    Supplier<AuditSinkStats> s = stats;
    if (s == null || !tenantsRegistered.add(tenant)) {
      return;
    }
    Gauge.builder("byok.audit.tenant.healthy", s, x -> health(x, tenant, TenantAuditHealth::healthy) ? 1 : 0)
        .tags("sink", sinkName, "tenant", tenant).description("1 while the tenant's audit delivery works, 0 while it fails")
        .register(registry);
    Gauge.builder("byok.audit.tenant.pending", s, x -> count(x, tenant, TenantAuditHealth::pending))
        .tags("sink", sinkName, "tenant", tenant).description("the tenant's audit events in memory, not yet delivered")
        .register(registry);
    FunctionCounter.builder("byok.audit.tenant.spilled", s, x -> count(x, tenant, TenantAuditHealth::spilled))
        .tags("sink", sinkName, "tenant", tenant).description("the tenant's audit events written to its spill files")
        .register(registry);
  }

  private static boolean health(Supplier<AuditSinkStats> s, String tenant, java.util.function.Predicate<TenantAuditHealth> f) {
    TenantAuditHealth h = s.get().tenant(tenant);
    return h == null || f.test(h);
  }

  private static double count(Supplier<AuditSinkStats> s, String tenant, java.util.function.ToLongFunction<TenantAuditHealth> f) {
    TenantAuditHealth h = s.get().tenant(tenant);
    return h == null ? 0 : f.applyAsLong(h);
  }

  @Override
  public void delivered(int events, long bytes, Duration lag) {
    Meters m = meters;
    if (m != null) {
      m.delivered.increment(events);
      m.batchBytes.record(bytes);
      m.lag.record(lag);
    }
  }

  @Override
  public void retried(int events) {
    Meters m = meters;
    if (m != null) {
      m.retried.increment(events);
    }
  }

  @Override
  public void spilled(long events) {
    Meters m = meters;
    if (m != null) {
      m.spilled.increment(events);
    }
  }

  @Override
  public void replayed(long events) {
    Meters m = meters;
    if (m != null) {
      m.replayed.increment(events);
    }
  }

  @Override
  public void rejected(long events) {
    Meters m = meters;
    if (m != null) {
      m.rejected.increment(events);
    }
  }
}
