package dev.byok.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.AccessReason;
import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyArn;
import dev.byok.core.ReasonCode;
import dev.byok.core.TenantDirectory;
import dev.byok.crypto.fakes.FakeTicker;
import dev.byok.crypto.fakes.ManualScheduler;
import dev.byok.testing.fakes.FakeKeyService;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * KMS economy of a small fleet: 4 instances on one key service and one (fake) clock, 100 tenants
 * with 3 encryption contexts each, every instance serving every tenant; 720,000 operations over a
 * simulated 10 minutes (maxAge 5 min, revalidateAfter 60 s): each instance encrypts, and decrypts
 * the latest message of the scope written by each instance in turn, so every instance caches, per
 * scope, its own data key and the three others'. Re-confirmations run inline.
 *
 * <p>Per instance and scope and data-key generation (maxAge), the calls are: 1 GenerateDataKey,
 * 3 Decrypt loads of the other instances' data keys, and the re-confirmations. One per cached entry
 * (4 entries, about 5 each) would be about 20; coalesced per scope they are about 5, so at most
 * G x (1 + 3 + 6) per instance and scope, G = 2 generations, 6 = ceil(maxAge / (0.75 x
 * revalidateAfter)) - 1 re-confirmations a generation at the earliest refresh-ahead point. The
 * jitter is seeded per instance, so the count is deterministic.
 */
class FleetKmsEconomyTest {
  private static final int INSTANCES = 4;
  private static final int TENANTS = 100;
  private static final int CONTEXTS = 3;
  private static final int SCOPES = TENANTS * CONTEXTS;
  private static final int OPS = 720_000;
  private static final Duration SPAN = Duration.ofMinutes(10);
  private static final Duration MAX_AGE = Duration.ofMinutes(5);
  private static final Duration REVALIDATE_AFTER = Duration.ofSeconds(60);

  @Test
  void fourInstancesSharingScopes_oneReconfirmationPerScopeNotPerDataKey() {
    FakeKeyService kms = new FakeKeyService();
    TenantDirectory.Builder dir = TenantDirectory.builder();
    for (int t = 0; t < TENANTS; t++) {
      dir.put("t" + t, KeyArn.parse(kms.createKey("111122223333", UUID.nameUUIDFromBytes(new byte[] {(byte) t}).toString())));
    }
    TenantDirectory tenants = dir.build();
    FakeTicker ticker = new FakeTicker();
    TenantCrypto[] fleet = new TenantCrypto[INSTANCES];
    for (int i = 0; i < INSTANCES; i++) {
      fleet[i] = TenantCrypto.builder().keyService(kms).tenants(tenants)
          .cachePolicy(CachePolicy.builder().maxAge(MAX_AGE).revalidateAfter(REVALIDATE_AFTER).build())
          .ticker(ticker).executor(Runnable::run).scheduler(new ManualScheduler(ticker)).refreshJitterSeed(i).build();
    }
    EncryptionContext[] contexts = new EncryptionContext[SCOPES];
    for (int s = 0; s < SCOPES; s++) {
      contexts[s] = EncryptionContext.of(Map.of("tenant", "t" + s / CONTEXTS, "data-class", "c" + s % CONTEXTS));
    }
    byte[][][] latest = new byte[SCOPES][INSTANCES][];
    byte[] plaintext = new byte[32];
    AccessReason reason = AccessReason.of(ReasonCode.SYSTEM_OPERATION);
    long stepNanos = SPAN.toNanos() / OPS;
    try {
      for (int i = 0; i < OPS; i++) {
        int s = i % SCOPES;
        int instance = (i / SCOPES) % INSTANCES;
        String tenant = "t" + s / CONTEXTS;
        int writer = (i / (SCOPES * INSTANCES * 2)) % INSTANCES;
        boolean encrypt = (i / (SCOPES * INSTANCES)) % 2 == 0 || latest[s][writer] == null;
        if (encrypt) {
          latest[s][instance] = fleet[instance].encrypt(tenant, contexts[s], reason, plaintext);
        } else {
          assertArrayEquals(plaintext, fleet[instance].decrypt(tenant, contexts[s], reason, latest[s][writer]));
        }
        ticker.advanceNanos(stepNanos);
      }
    } finally {
      for (TenantCrypto c : fleet) {
        c.close();
      }
    }
    long generations = SPAN.toNanos() / MAX_AGE.toNanos();
    long refreshesPerGeneration = ceilDiv(MAX_AGE.toNanos(), REVALIDATE_AFTER.toNanos() / 4 * 3) - 1;
    long perGeneration = 1 + (INSTANCES - 1) + refreshesPerGeneration;
    long bound = INSTANCES * SCOPES * generations * perGeneration;
    long calls = kms.generateCalls.get() + kms.decryptCalls.get() + kms.describeCalls.get();
    System.out.printf("FleetKmsEconomyTest: %,d operations on %d instances -> %d KMS calls (%d GenerateDataKey, %d Decrypt, "
        + "%d DescribeKey); bound %d%n", OPS, INSTANCES, calls, kms.generateCalls.get(), kms.decryptCalls.get(),
        kms.describeCalls.get(), bound);
    assertTrue(calls <= bound, "KMS calls " + calls + " exceed the coalesced bound " + bound);
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
