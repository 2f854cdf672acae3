package dev.byok.aws.logs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.AccessReason;
import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyArn;
import dev.byok.core.ReasonCode;
import dev.byok.core.TenantDirectory;
import dev.byok.core.audit.AuditUnavailableException;
import dev.byok.crypto.TenantCrypto;
import dev.byok.testing.fakes.FakeKeyService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 point 1 end to end: TenantCrypto emitting into the CloudWatch Logs sink. A tenant whose
 * log group is gone fills only its own share; an interrupt while its producer waits for room fails
 * that key use (no plaintext without its event) and keeps the interrupt; the other tenant's key
 * uses go on. A tenant that requires a durable record never waits: its events go to disk.
 */
class AuditBackedKeyUseTest {
  private static final AccessReason USER = AccessReason.of(ReasonCode.USER_REQUEST, "open message", "user:42");
  private static final byte[] PLAINTEXT = "customer data".getBytes(StandardCharsets.UTF_8);

  private final FakeLogs fake = new FakeLogs();
  private final FakeLogs.MutableClock clock = new FakeLogs.MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  private final FakeKeyService kms = new FakeKeyService();
  private final String acmeKey = kms.createKey("111122223333", "1234abcd-12ab-34cd-56ef-1234567890ab");
  private final String globexKey = kms.createKey("444455556666", "abcd1234-12ab-34cd-56ef-1234567890ab");
  private CloudWatchLogsAuditSink sink;
  private TenantCrypto crypto;

  @TempDir
  Path tmp;

  private void start(CloudWatchLogsAuditSink.Builder b) {
    fake.createGroup(CloudWatchLogsAuditSinkTest.bundle("globex").logGroupName()); // acme's group was deleted
    sink = b.tenants(TenantDirectory.of(Map.of("acme", CloudWatchLogsAuditSinkTest.bundle("acme"),
            "globex", CloudWatchLogsAuditSinkTest.bundle("globex"))))
        .clock(clock).logsApiFactory(fake::open).manualDispatch().maxQueuedEvents(100).maxQueuedEventsPerTenant(3).build();
    crypto = TenantCrypto.builder().keyService(kms).auditSink(sink)
        .tenants(TenantDirectory.builder().put("acme", KeyArn.parse(acmeKey)).put("globex", KeyArn.parse(globexKey)).build())
        .build();
  }

  @AfterEach
  void close() {
    Thread.interrupted();
    if (crypto != null) {
      crypto.close();
    }
    if (sink != null) {
      sink.close(Duration.ofMillis(100));
    }
  }

  private static EncryptionContext ctx(String tenant) {
    return EncryptionContext.of(Map.of("tenant", tenant));
  }

  @Test
  void failingTenantAtItsShare_interruptedKeyUseFailsWithoutPlaintext_otherTenantUnaffected() {
    start(CloudWatchLogsAuditSink.builder().instanceId("e2e-1"));
    byte[] message = crypto.encrypt("acme", ctx("acme"), USER, PLAINTEXT);
    crypto.encrypt("acme", ctx("acme"), USER, PLAINTEXT);
    crypto.encrypt("acme", ctx("acme"), USER, PLAINTEXT);
    sink.runOnce();
    clock.advance(Duration.ofSeconds(2));
    sink.runOnce();
    sink.runOnce();
    assertEquals(3, sink.stats().tenant("acme").pending(), "acme's share is full and its delivery fails");

    Thread.currentThread().interrupt();
    assertThrows(AuditUnavailableException.class, () -> crypto.decrypt("acme", ctx("acme"), USER, message));
    assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");

    // globex has its own share: its key uses neither wait nor fail.
    byte[] g = crypto.encrypt("globex", ctx("globex"), USER, PLAINTEXT);
    assertArrayEquals(PLAINTEXT, crypto.decrypt("globex", ctx("globex"), USER, g));
    clock.advance(Duration.ofSeconds(2));
    sink.runOnce();
    sink.runOnce();
    assertEquals(2, sink.stats().tenant("globex").delivered());
    assertEquals(0, sink.stats().tenant("globex").producerWaits());
  }

  @Test
  void tenantRequiringADurableRecord_failing_keyUsesGoOnWithEachEventOnDisk() {
    start(CloudWatchLogsAuditSink.builder().instanceId("e2e-2").spillDirectory(tmp).requireDurableAudit(Set.of("acme")));
    for (int i = 0; i < 10; i++) {
      byte[] m = crypto.encrypt("acme", ctx("acme"), USER, PLAINTEXT);
      assertArrayEquals(PLAINTEXT, crypto.decrypt("acme", ctx("acme"), USER, m));
      sink.runOnce();
      clock.advance(Duration.ofSeconds(2));
    }
    TenantAuditHealth h = sink.stats().tenant("acme");
    assertEquals(0, h.producerWaits(), "never waits");
    assertTrue(h.pending() <= 3, "at most its share in memory: " + h.pending());
    assertEquals(20 - h.pending(), h.spilled(), "the rest forced to its spill file before each key use returned");
  }
}
