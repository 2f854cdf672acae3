package dev.byok.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.byok.core.AccessReason;
import dev.byok.core.AwsAccountId;
import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyArn;
import dev.byok.core.ReasonCode;
import dev.byok.core.TenantDirectory;
import dev.byok.core.internal.EventIds;
import dev.byok.crypto.fakes.FakeTicker;
import dev.byok.crypto.fakes.ManualScheduler;
import dev.byok.local.LocalKeyCall;
import dev.byok.local.LocalKeyService;
import dev.byok.testing.fakes.CollectingSink;
import dev.byok.testing.fakes.ManualExecutor;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 point 4: a {@link TenantCrypto} across a checkpoint and restore (CRaC, Lambda SnapStart).
 * The hooks it registers with {@code org.crac} are driven through
 * {@code org.crac.Core.checkpointRestore()}, which in this test JVM runs the fake CRaC
 * implementation {@code dev.byok.crypto.fakes.crac}. The fake ticker does not move across the
 * "gap", as {@code System.nanoTime} does not on a CRaC JDK.
 */
class SnapshotRestoreTest {
  private static final AwsAccountId VENDOR = AwsAccountId.of("444455556666");
  private static final AccessReason R = AccessReason.of(ReasonCode.USER_REQUEST);
  private static final EncryptionContext ACME = EncryptionContext.of("tenant", "acme");
  private static final byte[] PLAINTEXT = {1, 2, 3};

  private final FakeTicker ticker = new FakeTicker();
  private final ManualExecutor executor = new ManualExecutor();
  private final ManualScheduler scheduler = new ManualScheduler(ticker);
  private final CollectingSink audit = new CollectingSink();
  private LocalKeyService local;
  private KeyArn key;
  private TenantCrypto crypto;

  @BeforeEach
  void setUp() {
    local = LocalKeyService.builder().build();
    key = local.createKey("acme");
    local.allowAccount(key.toString(), VENDOR);
    crypto = TenantCrypto.builder().keyService(local.clientFor(VENDOR))
        .tenants(TenantDirectory.builder().put("acme", key).build())
        .revocationPolicy(RevocationPolicy.builder().checkInterval(Duration.ofMinutes(5)).build())
        .auditSink(audit).ticker(ticker).executor(executor).scheduler(scheduler).build();
  }

  @AfterEach
  void tearDown() {
    crypto.close();
  }

  private long calls(LocalKeyCall.Operation op) {
    return local.callLog().stream().filter(c -> c.operation() == op).count();
  }

  @Test
  void checkpointRestore_cachedDataKeysPurged_nextUseGoesToKms() throws Exception {
    byte[] m = crypto.encrypt("acme", ACME, R, PLAINTEXT);
    crypto.encrypt("acme", ACME, R, PLAINTEXT);
    assertArrayEquals(PLAINTEXT, crypto.decrypt("acme", ACME, R, m));
    assertEquals(1, calls(LocalKeyCall.Operation.GENERATE_DATA_KEY), "before: one data key, cached");
    assertEquals(0, calls(LocalKeyCall.Operation.DECRYPT), "before: decrypt served by the cache");

    org.crac.Core.checkpointRestore();

    crypto.encrypt("acme", ACME, R, PLAINTEXT);
    assertEquals(2, calls(LocalKeyCall.Operation.GENERATE_DATA_KEY), "after restore: a fresh data key, not the snapshot's");
    assertArrayEquals(PLAINTEXT, crypto.decrypt("acme", ACME, R, m));
    assertEquals(1, calls(LocalKeyCall.Operation.DECRYPT), "after restore: the old message's key is unwrapped again");
  }

  @Test
  void checkpointRestore_revokedKeyProbedAtOnce_scheduleRebased() throws Exception {
    crypto.keyAccess().revoke(key, "pushed event");
    assertEquals(KeyAccessStatus.State.REVOKED, crypto.keyAccess().status("acme").state());
    ticker.advance(Duration.ofMinutes(1));
    assertEquals(0, scheduler.runDue(), "the probe is due at 5 minutes");

    org.crac.Core.checkpointRestore();

    assertEquals(1, scheduler.runDue(), "after restore the revoked key is probed at once, not at the old deadline");
    executor.runAll();
    assertEquals(KeyAccessStatus.State.ACTIVE, crypto.keyAccess().status("acme").state(), "access had returned meanwhile");
  }

  @Test
  void checkpointRestore_eventIdNonceRenewed_sameDrawsGiveOtherIds() throws Exception {
    // Copies restored from one image continue the same ThreadLocalRandom sequence; the nonce
    // renewed by the hook makes the same draws give other IDs in each copy.
    String before = EventIds.idFor(42L, 43L);
    org.crac.Core.checkpointRestore();
    String after = EventIds.idFor(42L, 43L);
    assertNotEquals(before, after);
    assertEquals('4', after.charAt(14), "still a version-4 UUID");
  }
}
