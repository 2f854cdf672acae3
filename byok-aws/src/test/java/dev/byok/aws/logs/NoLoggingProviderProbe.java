package dev.byok.aws.logs;

import dev.byok.core.TenantDirectory;
import dev.byok.core.audit.KeyUseEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * Run by {@link NoLoggingProviderTest} in a class loader without an SLF4J provider: a sink whose
 * tenant's log group was deleted, two events, close. Returns the IDs of the events sent.
 */
public final class NoLoggingProviderProbe implements Callable<List<String>> {
  private final String instanceId;

  public NoLoggingProviderProbe(String instanceId) {
    this.instanceId = instanceId;
  }

  @Override
  public List<String> call() {
    FakeLogs fake = new FakeLogs(); // no log group: deleted by the customer
    CloudWatchLogsAuditSink s = CloudWatchLogsAuditSink.builder()
        .tenants(TenantDirectory.of(Map.of("acme", CloudWatchLogsAuditSinkTest.bundle("acme"))))
        .instanceId(instanceId).logsApiFactory(fake::open).manualDispatch().build();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      String id = UUID.randomUUID().toString();
      ids.add(id);
      s.emit(KeyUseEvent.builder().eventId(id).time(Instant.now()).tenant("acme").operation(KeyUseEvent.Operation.DECRYPT).build());
    }
    long left = s.close(Duration.ofMillis(200));
    if (left != 2) {
      throw new AssertionError("close should report 2 undelivered events, said " + left);
    }
    return ids;
  }
}
