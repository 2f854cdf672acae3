package dev.byok.aws.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.TenantDirectory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class CloudWatchLogsAuditSinkBuilderTest {

  private static void assertSecondSetRefused(String setting, Consumer<CloudWatchLogsAuditSink.Builder> set) {
    CloudWatchLogsAuditSink.Builder b = CloudWatchLogsAuditSink.builder();
    set.accept(b);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> set.accept(b), setting);
    assertTrue(e.getMessage().contains(setting + " is already set"), e.getMessage());
  }

  @Test
  void setter_calledTwice_illegalStateNamingTheSetting() {
    assertSecondSetRefused("tenants", b -> b.tenants(TenantDirectory.builder().build()));
    assertSecondSetRefused("instanceId", b -> b.instanceId("host-1"));
    assertSecondSetRefused("overflowPolicy", b -> b.overflowPolicy(OverflowPolicy.SPILL));
    assertSecondSetRefused("spillDirectory", b -> b.spillDirectory(Path.of("spill")));
    assertSecondSetRefused("maxQueuedEvents", b -> b.maxQueuedEvents(10));
    assertSecondSetRefused("flushInterval", b -> b.flushInterval(Duration.ofMillis(200)));
    assertSecondSetRefused("maxBatchEvents", b -> b.maxBatchEvents(100));
    assertSecondSetRefused("maxBatchBytes", b -> b.maxBatchBytes(500_000));
    assertSecondSetRefused("retryBackoff", b -> b.retryBackoff(Duration.ofMillis(10), Duration.ofSeconds(1)));
    assertSecondSetRefused("deliveryThreads", b -> b.deliveryThreads(4));
    assertSecondSetRefused("createMissingLogGroup", b -> b.createMissingLogGroup(false));
    assertSecondSetRefused("sdkMaxAttempts", b -> b.sdkMaxAttempts(2));
    assertSecondSetRefused("apiCallTimeout", b -> b.apiCallTimeout(Duration.ofSeconds(5)));
    assertSecondSetRefused("roleSessionDuration", b -> b.roleSessionDuration(Duration.ofHours(2)));
    assertSecondSetRefused("metrics", b -> b.metrics(AuditMetrics.none()));
    assertSecondSetRefused("clock", b -> b.clock(java.time.Clock.systemUTC()));
    assertSecondSetRefused("stsClientCustomizer", b -> b.stsClientCustomizer(s -> { }));
    assertSecondSetRefused("logsClientCustomizer", b -> b.logsClientCustomizer(l -> { }));
    assertSecondSetRefused("manualDispatch", CloudWatchLogsAuditSink.Builder::manualDispatch);
  }

  @Test
  void setter_badValue_notMarkedAsSetSoAGoodOneIsTaken() {
    CloudWatchLogsAuditSink.Builder b = CloudWatchLogsAuditSink.builder();
    assertThrows(IllegalArgumentException.class, () -> b.maxQueuedEvents(0));
    b.maxQueuedEvents(5);
  }

  @Test
  void build_missingTenants_illegalStateNamingIt() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> CloudWatchLogsAuditSink.builder().instanceId("host-1").build());
    assertEquals("CloudWatchLogsAuditSink: tenants is required", e.getMessage());
  }

  @Test
  void build_conflictingCredentials_illegalStateNamingBoth() {
    try (var sts = software.amazon.awssdk.services.sts.StsClient.builder()
        .region(software.amazon.awssdk.regions.Region.US_EAST_1)
        .credentialsProvider(software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create()).build()) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> CloudWatchLogsAuditSink.builder()
          .tenants(TenantDirectory.builder().build())
          .stsClient(sts)
          .baseCredentials(software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create())
          .build());
      for (String named : List.of("baseCredentials", "stsClient")) {
        assertTrue(e.getMessage().contains(named), e.getMessage());
      }
    }
  }
}
