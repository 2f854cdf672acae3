package dev.byok.aws.logs;

import dev.byok.core.TenantDirectory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.audit.KeyUseEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MicrometerAuditMetricsTest {

  @Test
  void sinkWithMicrometer_countsQueuedDeliveredRetriedAndBatchBytes() {
    FakeLogs fake = new FakeLogs();
    fake.createGroup(CloudWatchLogsAuditSinkTest.bundle("acme").logGroupName());
    fake.throttleNext.set(1);
    FakeLogs.MutableClock clock = new FakeLogs.MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CloudWatchLogsAuditSink s = CloudWatchLogsAuditSink.builder()
        .tenants(TenantDirectory.of(Map.of("acme", CloudWatchLogsAuditSinkTest.bundle("acme"))))
        .instanceId("m-1").clock(clock).logsApiFactory(fake::open).manualDispatch()
        .metrics(MicrometerAuditMetrics.create(registry)).build();
    for (int i = 0; i < 5; i++) {
      s.emit(KeyUseEvent.builder().time(clock.instant().minusSeconds(2)).tenant("acme").operation(KeyUseEvent.Operation.DECRYPT).build());
    }
    s.flush(Duration.ofSeconds(1));
    clock.advance(Duration.ofMinutes(1));
    s.flush(Duration.ofSeconds(1));
    assertEquals(5, registry.get("byok.audit.events.queued").tag("sink", "m-1").functionCounter().count());
    assertEquals(5, registry.get("byok.audit.events.delivered").counter().count());
    assertEquals(5, registry.get("byok.audit.events.retried").counter().count());
    assertEquals(0, registry.get("byok.audit.events.pending").gauge().value());
    assertEquals(1, registry.get("byok.audit.batch.size").summary().count());
    assertEquals(s.stats().bytesDelivered(), (long) registry.get("byok.audit.batch.size").summary().totalAmount());
    assertTrue(registry.get("byok.audit.delivery.lag").timer().max(java.util.concurrent.TimeUnit.SECONDS) >= 62);
  }

  @Test
  void perTenantHealth_gaugesTaggedWithTheTenant_failingOneIsZeroTheOtherOne() {
    FakeLogs fake = new FakeLogs();
    fake.createGroup(CloudWatchLogsAuditSinkTest.bundle("acme").logGroupName()); // globex's group is missing
    FakeLogs.MutableClock clock = new FakeLogs.MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CloudWatchLogsAuditSink s = CloudWatchLogsAuditSink.builder()
        .tenants(TenantDirectory.of(Map.of("acme", CloudWatchLogsAuditSinkTest.bundle("acme"),
            "globex", CloudWatchLogsAuditSinkTest.bundle("globex"))))
        .instanceId("m-2").clock(clock).logsApiFactory(fake::open).manualDispatch()
        .metrics(MicrometerAuditMetrics.create(registry)).build();
    for (int i = 0; i < 3; i++) {
      s.emit(KeyUseEvent.builder().time(clock.instant()).tenant("acme").operation(KeyUseEvent.Operation.DECRYPT).build());
      s.emit(KeyUseEvent.builder().time(clock.instant()).tenant("globex").operation(KeyUseEvent.Operation.DECRYPT).build());
    }
    s.flush(Duration.ofSeconds(1));
    assertEquals(1, registry.get("byok.audit.tenant.healthy").tags("sink", "m-2", "tenant", "acme").gauge().value());
    assertEquals(0, registry.get("byok.audit.tenant.healthy").tags("sink", "m-2", "tenant", "globex").gauge().value());
    assertEquals(0, registry.get("byok.audit.tenant.pending").tags("sink", "m-2", "tenant", "acme").gauge().value());
    assertEquals(3, registry.get("byok.audit.tenant.pending").tags("sink", "m-2", "tenant", "globex").gauge().value());
    assertEquals(0, registry.get("byok.audit.tenant.spilled").tags("sink", "m-2", "tenant", "globex").functionCounter().count());
    s.close(Duration.ofMillis(100));
  }

  @Test
  void attach_twice_failsSayingOnePerSink() {
    MicrometerAuditMetrics m = MicrometerAuditMetrics.create(new SimpleMeterRegistry());
    m.attach("a", () -> null);
    assertTrue(assertThrows(IllegalStateException.class, () -> m.attach("b", () -> null)).getMessage().contains("one per sink"));
  }
}
