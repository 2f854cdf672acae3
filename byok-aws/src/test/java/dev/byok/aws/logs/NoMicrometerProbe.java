package dev.byok.aws.logs;

import dev.byok.core.TenantDirectory;
import dev.byok.crypto.audit.FanOutAuditSink;
import dev.byok.crypto.audit.Slf4jAuditSink;
import dev.byok.core.audit.KeyUseEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;

/** Run by {@link NoMicrometerTest} in a class loader without Micrometer: builds and uses the sinks. */
public final class NoMicrometerProbe implements Callable<Long> {
  @Override
  public Long call() {
    FakeLogs fake = new FakeLogs();
    fake.createGroup(CloudWatchLogsAuditSinkTest.bundle("acme").logGroupName());
    CloudWatchLogsAuditSink s = CloudWatchLogsAuditSink.builder()
        .tenants(TenantDirectory.of(Map.of("acme", CloudWatchLogsAuditSinkTest.bundle("acme"))))
        .instanceId("no-micrometer").logsApiFactory(fake::open).manualDispatch().build();
    FanOutAuditSink f = FanOutAuditSink.of(s, Slf4jAuditSink.create());
    f.emit(KeyUseEvent.builder().time(Instant.now()).tenant("acme").operation(KeyUseEvent.Operation.ENCRYPT).build());
    f.flush(Duration.ofSeconds(1));
    f.close(Duration.ofSeconds(1));
    return s.stats().delivered();
  }
}
