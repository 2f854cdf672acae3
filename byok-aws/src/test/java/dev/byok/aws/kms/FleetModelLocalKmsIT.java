package dev.byok.aws.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.AccessReason;
import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyArn;
import dev.byok.core.ReasonCode;
import dev.byok.core.TenantDirectory;
import dev.byok.crypto.CachePolicy;
import dev.byok.crypto.TenantCrypto;
import dev.byok.crypto.fleet.Fleet;
import dev.byok.crypto.fleet.FleetModel;
import dev.byok.crypto.fleet.Prediction;
import dev.byok.crypto.fleet.Routing;
import dev.byok.testing.Emulators;
import dev.byok.testing.WithEmulators;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The fleet model against a measured fleet (issue 18): 4 {@link TenantCrypto} instances on
 * {@link AwsKmsKeyService} and local-kms, 200 tenants with their own customer keys, 1 or 3
 * encryption contexts each (400 scopes), tenant-affine routing with k = 2, on one simulated clock.
 * Every instance-scope pair starts at its own random moment within the first maxAge (as in a fleet
 * that has been running a while: generations at independent phases), then sees one request every
 * half second, alternately an encrypt and a decrypt of the latest message of the scope written by
 * one of its two instances. After one maxAge of warm-up the KMS calls of the next two maxAges are
 * counted by operation with an SDK {@link ExecutionInterceptor} and compared with
 * {@link FleetModel#predict}: within 15% for GenerateDataKey and for Decrypt. revalidateAfter 20 s
 * and maxAge 100 s keep the simulated span short (5 minutes); background re-confirmations run
 * inline, so the run is deterministic but for local-kms's answers.
 */
@WithEmulators
class FleetModelLocalKmsIT {
  private static final int INSTANCES = 4;
  private static final int TENANTS = 200;
  private static final int K = 2;
  private static final Duration REVALIDATE_AFTER = Duration.ofSeconds(20);
  private static final Duration MAX_AGE = Duration.ofSeconds(100);
  private static final Duration STEP = Duration.ofMillis(500);
  private static final int MEASURED_MAX_AGES = 2;
  private static final double TOLERANCE = 0.15;
  private static final AccessReason REASON = AccessReason.of(ReasonCode.SYSTEM_OPERATION, null, "fleet-model-it");
  private static final byte[] PLAINTEXT = "fleet".getBytes(StandardCharsets.UTF_8);

  /** Counts successful KMS calls by operation, and failed ones. */
  static final class CallCounter implements ExecutionInterceptor {
    final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    final LongAdder failures = new LongAdder();

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
      calls.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), o -> new LongAdder()).increment();
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
      failures.increment();
    }

    long count(String operation) {
      LongAdder a = calls.get(operation);
      return a == null ? 0 : a.sum();
    }

    void reset() {
      calls.clear();
      failures.reset();
    }
  }

  /** One instance-scope pair. */
  private record Pair(int instance, int scope, long startNanos) {}

  @Test
  void measuredCallsByOperation_withinFifteenPercentOfTheModel(Emulators emu) {
    CallCounter counter = new CallCounter();
    List<String> tenantOf = new ArrayList<>();
    List<EncryptionContext> contexts = new ArrayList<>();
    List<int[]> instancesOf = new ArrayList<>(); // per scope: its K instances
    TenantDirectory.Builder dir = TenantDirectory.builder();
    try (KmsClient admin = emu.localKms(KmsClient.builder()).build()) {
      for (int t = 0; t < TENANTS; t++) {
        String tenant = "t" + t;
        dir.put(tenant, KeyArn.parse(admin.createKey(b -> b.description("tenant " + tenant)).keyMetadata().arn()));
        int contextsOfTenant = t % 2 == 0 ? 1 : 3; // mixed: 100 tenants with 1 context, 100 with 3
        for (int c = 0; c < contextsOfTenant; c++) {
          tenantOf.add(tenant);
          contexts.add(EncryptionContext.of(Map.of("tenant", tenant, "data-class", "class-" + c)));
          instancesOf.add(new int[] {t % INSTANCES, (t + 1) % INSTANCES});
        }
      }
    }
    int scopes = contexts.size();
    assertEquals(400, scopes);
    AtomicLong now = new AtomicLong(1_000_000_000_000L);
    SplittableRandom random = new SplittableRandom(18);
    List<Pair> pairs = new ArrayList<>();
    for (int s = 0; s < scopes; s++) {
      for (int i : instancesOf.get(s)) {
        pairs.add(new Pair(i, s, now.get() + (long) (random.nextDouble() * MAX_AGE.toNanos())));
      }
    }
    TenantDirectory tenants = dir.build();
    CachePolicy policy = CachePolicy.builder().revalidateAfter(REVALIDATE_AFTER).maxAge(MAX_AGE).build();
    try (AwsKmsKeyService kms = AwsKmsKeyService.builder()
        .clientBuilder(() -> emu.localKms(KmsClient.builder().overrideConfiguration(o -> o.addExecutionInterceptor(counter))))
        .build()) {
      TenantCrypto[] fleet = new TenantCrypto[INSTANCES];
      for (int i = 0; i < INSTANCES; i++) {
        fleet[i] = TenantCrypto.builder().keyService(kms).tenants(tenants).cachePolicy(policy).ticker(now::get)
            .executor(Runnable::run).refreshJitterSeed(1000 + i).build();
      }
      byte[][][] latest = new byte[scopes][INSTANCES][];
      long start = now.get();
      long measureFrom = start + MAX_AGE.toNanos();
      long end = measureFrom + MEASURED_MAX_AGES * MAX_AGE.toNanos();
      long operations = 0;
      boolean measuring = false;
      try {
        for (long step = 0; now.get() < end; step++) {
          if (!measuring && now.get() >= measureFrom) {
            counter.reset();
            measuring = true;
          }
          for (Pair p : pairs) {
            if (now.get() < p.startNanos) {
              continue;
            }
            int s = p.scope;
            String tenant = tenantOf.get(s);
            int[] writers = instancesOf.get(s);
            int writer = writers[(int) ((step / 2 + p.instance) % writers.length)];
            byte[] message = latest[s][writer];
            if (step % 2 == 0 || message == null) {
              latest[s][p.instance] = fleet[p.instance].encrypt(tenant, contexts.get(s), REASON, PLAINTEXT);
            } else {
              assertArrayEquals(PLAINTEXT, fleet[p.instance].decrypt(tenant, contexts.get(s), REASON, message));
            }
            operations++;
          }
          now.addAndGet(STEP.toNanos());
        }
      } finally {
        for (TenantCrypto c : fleet) {
          c.close();
        }
      }
      double seconds = MEASURED_MAX_AGES * MAX_AGE.toSeconds();
      Prediction predicted = FleetModel.predict(Fleet.builder().instances(INSTANCES).tenants(TENANTS)
          .contextsPerTenant(scopes / TENANTS).routing(Routing.affine(K)).cachePolicy(policy).build());
      double expectedGenerate = predicted.kmsCallsPerSecond().generateDataKey() * seconds;
      double expectedDecrypt = predicted.kmsCallsPerSecond().decrypt() * seconds;
      long generate = counter.count("GenerateDataKey");
      long decrypt = counter.count("Decrypt");
      System.out.printf("FleetModelLocalKmsIT: %d instances, %d tenants, %d scopes, affine:%d, %,d operations over %d "
          + "simulated s; measured over the last %.0f s: GenerateDataKey %d (model %.1f, %+.1f%%), Decrypt %d (model %.1f, "
          + "%+.1f%%: loads %.1f, re-confirmations %.1f), other %s, failed %d%n", INSTANCES, TENANTS, scopes, K, operations,
          (end - start) / 1_000_000_000L, seconds, generate, expectedGenerate, 100 * (generate / expectedGenerate - 1),
          decrypt, expectedDecrypt, 100 * (decrypt / expectedDecrypt - 1),
          predicted.kmsCallsPerSecond().decryptLoads() * seconds, predicted.kmsCallsPerSecond().reconfirmations() * seconds,
          counter.calls.keySet(), counter.failures.sum());
      assertEquals(0, counter.failures.sum(), "no KMS call failed");
      assertWithin("GenerateDataKey", generate, expectedGenerate);
      assertWithin("Decrypt", decrypt, expectedDecrypt);
    }
  }

  private static void assertWithin(String operation, long measured, double predicted) {
    assertTrue(Math.abs(measured - predicted) <= TOLERANCE * predicted,
        operation + ": measured " + measured + ", model " + predicted + " (more than 15% apart)");
  }
}
