package dev.byok.local;

import dev.byok.core.keys.DecryptedDataKey;
import dev.byok.core.keys.GeneratedDataKey;
import dev.byok.core.keys.KeyService;
import dev.byok.core.keys.KeyServiceException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.AwsAccountId;
import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyArn;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Sanity under concurrency: no lost calls, no wrong keys, only the errors the admin changes explain. */
class LocalKeyServiceConcurrencyTest {
  private static final AwsAccountId VENDOR = AwsAccountId.of("444455556666");
  private static final int THREADS = 6;
  private static final int ROUNDS = 300;

  @Test
  void dataPlaneWhileAdminToggles_consistentResultsAndCompleteLog() throws Exception {
    LocalKeyService svc = LocalKeyService.builder().build();
    String key = svc.createKey("shared").toString();
    svc.allowAccount(key, VENDOR);
    KeyService vendor = svc.clientFor(VENDOR);
    AtomicBoolean stop = new AtomicBoolean();
    Set<String> allowedErrors = Set.of("DisabledException", "AccessDeniedException");
    Set<String> seenErrors = ConcurrentHashMap.newKeySet();
    Set<String> requestIds = ConcurrentHashMap.newKeySet();
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger mismatches = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
    CountDownLatch start = new CountDownLatch(1);
    try {
      Future<?> admin = pool.submit(() -> {
        start.await();
        for (int i = 0; !stop.get(); i++) {
          switch (i % 4) {
            case 0: svc.disableKey(key); break;
            case 1: svc.enableKey(key); break;
            case 2: svc.addDenyRule(key, "tenant", "t0"); break;
            default: svc.removeDenyRule(key, "tenant", "t0"); break;
          }
          Thread.yield();
        }
        return null;
      });
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        EncryptionContext ctx = EncryptionContext.of("tenant", "t" + t);
        workers.add(pool.submit(() -> {
          start.await();
          for (int r = 0; r < ROUNDS; r++) {
            try {
              calls.incrementAndGet();
              GeneratedDataKey g = vendor.generateDataKey(KeyArn.parse(key), ctx);
              requestIds.add(g.requestId());
              calls.incrementAndGet();
              DecryptedDataKey d = vendor.decryptDataKey(KeyArn.parse(key), g.encrypted(), ctx);
              requestIds.add(d.requestId());
              if (!g.plaintext().equalsConstantTime(d.plaintext())) {
                mismatches.incrementAndGet();
              }
            } catch (KeyServiceException e) {
              requestIds.add(e.requestId());
              seenErrors.add(e.errorCode());
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> w : workers) {
        w.get(60, TimeUnit.SECONDS);
      }
      stop.set(true);
      admin.get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(0, mismatches.get(), "a decrypt returned another key");
    assertTrue(allowedErrors.containsAll(seenErrors), "unexpected errors: " + seenErrors);
    List<LocalKeyCall> log = svc.callLog();
    assertEquals(calls.get(), log.size(), "every call is logged once");
    assertEquals(calls.get(), requestIds.size(), "request IDs are unique");
    assertEquals(requestIds, log.stream().map(LocalKeyCall::requestId).collect(Collectors.toSet()));
    long failures = log.stream().filter(c -> c.outcome() == LocalKeyCall.Outcome.FAILURE).count();
    long denied = log.stream().filter(c -> c.errorCode().orElse("").equals("AccessDeniedException")).count();
    assertTrue(failures >= denied);
    assertTrue(log.stream().filter(c -> c.errorCode().orElse("").equals("AccessDeniedException"))
        .allMatch(c -> c.encryptionContext().equals(EncryptionContext.of("tenant", "t0"))),
        "only tenant t0 is ever denied by the rule");
  }

  @Test
  void concurrentCreateKey_allDistinct() throws Exception {
    LocalKeyService svc = LocalKeyService.builder().build();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<String>> futures = new ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) {
        int n = i;
        futures.add(pool.submit(() -> svc.createKey("k" + n, "k" + n).toString()));
      }
      Set<String> arns = new HashSet<>();
      for (Future<String> f : futures) {
        arns.add(f.get(60, TimeUnit.SECONDS));
      }
      assertEquals(200, arns.size());
    } finally {
      pool.shutdownNow();
    }
    assertEquals(200, svc.listKeys().size());
    assertEquals(200, svc.listKeys().stream().map(k -> k.aliases().get(0)).distinct().count());
  }
}
