package dev.byok.crypto;

import dev.byok.core.TenantDirectory;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.AccessReason;
import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyArn;
import dev.byok.core.ReasonCode;
import dev.byok.core.keys.EncryptedDataKey;
import dev.byok.crypto.internal.format.MessageDecryptor;
import dev.byok.testing.fakes.FakeKeyService;
import dev.byok.crypto.fakes.FakeTicker;
import dev.byok.testing.fakes.ManualExecutor;
import dev.byok.crypto.fakes.ManualScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * The maxMessages limit under contention: 8 threads x 100,000 encrypts over 4 encryption contexts
 * with maxMessages 1,000. No data key may be used more than 1,000 times; the number of
 * GenerateDataKey calls must be within a few of ops/1,000; messages must decrypt. Every message's
 * header is parsed to count the uses of each data key (by its encrypted data key); to keep the run
 * near 30 s on two shared cores, one message in {@value #DECRYPT_EVERY} is fully decrypted right
 * after it is written (200,000 decrypts, spread over every thread, context and data key), not all
 * 800,000. Time is frozen (fake ticker) so only the message limit retires keys.
 */
class CacheConcurrencyTest {
  private static final int THREADS = 8;
  private static final int OPS_PER_THREAD = 100_000;
  private static final int MAX_MESSAGES = 1_000;
  private static final int CONTEXTS = 4;
  private static final int DECRYPT_EVERY = 4;

  @Test
  void encrypt_eightThreadsMaxMessages1000_limitExactAndEveryMessageDecrypts() throws Exception {
    FakeKeyService kms = new FakeKeyService();
    String arn = kms.createKey("111122223333", "1234abcd-12ab-34cd-56ef-1234567890ab");
    FakeTicker ticker = new FakeTicker();
    List<EncryptionContext> contexts = new ArrayList<>();
    for (int i = 0; i < CONTEXTS; i++) {
      contexts.add(EncryptionContext.of(Map.of("tenant", "acme", "channel", "c" + i)));
    }
    AccessReason reason = AccessReason.of(ReasonCode.SYSTEM_OPERATION);
    MessageDecryptor parser = MessageDecryptor.create();
    Map<EncryptedDataKey, LongAdder> uses = new ConcurrentHashMap<>();
    LongAdder decrypted = new LongAdder();
    try (TenantCrypto crypto = TenantCrypto.builder().keyService(kms)
        .tenants(TenantDirectory.builder().put("acme", KeyArn.parse(arn)).build())
        .cachePolicy(CachePolicy.builder().maxMessages(MAX_MESSAGES).maxEntries(100_000).build())
        .ticker(ticker).executor(new ManualExecutor()).scheduler(new ManualScheduler(ticker)).build()) {
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      CyclicBarrier start = new CyclicBarrier(THREADS);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          byte[] plaintext = new byte[16];
          plaintext[0] = (byte) thread;
          start.await();
          for (int i = 0; i < OPS_PER_THREAD; i++) {
            EncryptionContext ctx = contexts.get((i + thread) % CONTEXTS);
            plaintext[1] = (byte) i;
            byte[] m = crypto.encrypt("acme", ctx, reason, plaintext);
            EncryptedDataKey edk = parser.parseHeader(m, 0, m.length).edks().get(0);
            uses.computeIfAbsent(edk, k -> new LongAdder()).increment();
            if (i % DECRYPT_EVERY == 0) {
              assertArrayEquals(plaintext, crypto.decrypt("acme", ctx, reason, m));
              decrypted.increment();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
      pool.shutdown();
    }
    long ops = (long) THREADS * OPS_PER_THREAD;
    assertEquals(ops / DECRYPT_EVERY, decrypted.sum(), "every sampled message decrypted");
    long maxUses = uses.values().stream().mapToLong(LongAdder::sum).max().orElseThrow();
    long totalUses = uses.values().stream().mapToLong(LongAdder::sum).sum();
    assertTrue(maxUses <= MAX_MESSAGES, "a data key was used " + maxUses + " times");
    assertEquals(ops, totalUses);
    long gdk = kms.generateCalls.get();
    long ideal = ops / MAX_MESSAGES;
    // At least ops/1,000; at most one partly used key per context, plus one per thread that may
    // have lost a race against a concurrent retirement.
    assertTrue(gdk >= ideal && gdk <= ideal + CONTEXTS + THREADS, "GenerateDataKey calls: " + gdk + ", ideal " + ideal);
    assertEquals(gdk, uses.size(), "one data key per GenerateDataKey");
    assertEquals(0, kms.decryptCalls.get(), "decrypts were served by the decrypt-side twins");
    System.out.printf("CacheConcurrencyTest: %d encrypts + %d decrypts, %d GenerateDataKey (ideal %d), max uses per key %d%n",
        ops, decrypted.sum(), gdk, ideal, maxUses);
  }
}
