package dev.byok.crypto.internal.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.EncryptionContext;
import dev.byok.core.InvalidCiphertextException;
import dev.byok.core.keys.EncryptedDataKey;
import dev.byok.core.keys.PlaintextDataKey;
import dev.byok.crypto.AlgorithmSuite;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 point 3: the per-thread header-section cache keeps a header only after its data key
 * authenticated it, and keeps at most {@value HeaderParser#RETAINED_BYTES_PER_THREAD} bytes per
 * thread. Hostile headers that merely parse (here about 1 MB each: 16 data keys of 60,000 bytes)
 * must not stay in memory.
 */
class HeaderCacheBoundTest {
  private static final AlgorithmSuite SUITE = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY;
  private static final int THREADS = 16;
  private static final int HEADERS_PER_THREAD = HeaderParser.RECENT_SECTIONS * 2;

  private static byte[] key(int seed) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) seed);
    return k;
  }

  /** A well-formed message whose header has {@code edkCount} data keys of {@code edkBytes} bytes each. */
  private static byte[] message(String tenant, int edkCount, int edkBytes, byte[] key) {
    List<EncryptedDataKey> edks = new ArrayList<>();
    for (int i = 0; i < edkCount; i++) {
      byte[] ct = new byte[edkBytes];
      ct[0] = (byte) i;
      edks.add(EncryptedDataKey.of("aws-kms", ("key-" + i).getBytes(StandardCharsets.UTF_8), ct));
    }
    EncryptionMaterials m = EncryptionMaterials.create(SUITE, PlaintextDataKey.wrap(key.clone()),
        EncryptionContext.of("tenant", tenant), edks, 4096);
    return MessageEncryptor.create().encrypt(m, "x".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void parseHeader_headerThatNeverAuthenticated_isNotRemembered() {
    MessageDecryptor d = MessageDecryptor.create();
    byte[] hostile = message("acme", 1, 40, key(1));
    MessageHeader first = d.parseHeader(hostile, 0, hostile.length);
    assertThrows(InvalidCiphertextException.class,
        () -> d.decrypt(first, PlaintextDataKey.wrap(key(2)), hostile, 0, hostile.length), "wrong data key");
    MessageHeader again = d.parseHeader(hostile, 0, hostile.length);
    assertNotSame(first.edks(), again.edks(), "a header whose key check failed was not cached");
    assertNotSame(first.context(), again.context());
  }

  @Test
  void parseHeader_headerAuthenticatedByItsDataKey_isRemembered() {
    MessageDecryptor d = MessageDecryptor.create();
    byte[] legit = message("acme", 1, 40, key(1));
    MessageHeader first = d.parseHeader(legit, 0, legit.length);
    assertArrayEquals("x".getBytes(StandardCharsets.UTF_8), d.decrypt(first, PlaintextDataKey.wrap(key(1)), legit, 0, legit.length));
    MessageHeader again = d.parseHeader(legit, 0, legit.length);
    assertSame(first.edks(), again.edks(), "an authenticated section is reused");
    assertSame(first.context(), again.context());
  }

  @Test
  void parseHeader_authenticatedHeaderOverThePerThreadBound_isNotRemembered() {
    MessageDecryptor d = MessageDecryptor.create();
    byte[] big = message("acme", 2, HeaderParser.RETAINED_BYTES_PER_THREAD / 2, key(1));
    MessageHeader first = d.parseHeader(big, 0, big.length);
    d.decrypt(first, PlaintextDataKey.wrap(key(1)), big, 0, big.length);
    assertNotSame(first.edks(), d.parseHeader(big, 0, big.length).edks());
    assertTrue(d.parser().retainedBytes() <= HeaderParser.RETAINED_BYTES_PER_THREAD);
  }

  @Test
  void parseHeader_manyAuthenticatedSections_retainedBytesStayWithinTheBound() {
    MessageDecryptor d = MessageDecryptor.create();
    for (int i = 0; i < 40; i++) {
      byte[] m = message("tenant-" + i, 1, 9_000 + i * 500, key(1));
      d.decrypt(m, 0, m.length, h -> PlaintextDataKey.wrap(key(1)));
      assertTrue(d.parser().retainedBytes() <= HeaderParser.RETAINED_BYTES_PER_THREAD,
          "retained " + d.parser().retainedBytes() + " bytes after " + (i + 1) + " sections");
    }
  }

  /**
   * Many threads each parse several distinct hostile headers of about 1 MB (well-formed, wrong data
   * key) and then stay alive; the heap they retain is measured after a full collection. Remembering
   * merely parsed headers would retain about THREADS x 4 x 2 MB (the section copy and the parsed
   * data keys); the bound allows nothing for them.
   */
  @Test
  void parseHeader_manyThreadsWithHostileHeaders_retainedHeapStaysBounded() throws Exception {
    MessageDecryptor d = MessageDecryptor.create();
    long before = usedHeapAfterGc();
    CountDownLatch parsed = new CountDownLatch(THREADS);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int id = t;
      Thread th = new Thread(() -> {
        try {
          for (int i = 0; i < HEADERS_PER_THREAD; i++) {
            attack(d, "tenant-" + id + "-" + i);
          }
          parsed.countDown();
          release.await();
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
          parsed.countDown();
        }
      }, "hostile-" + t);
      th.start();
      threads.add(th);
    }
    try {
      assertTrue(parsed.await(2, TimeUnit.MINUTES), "the threads parsed their headers");
      if (failure.get() != null) {
        throw new AssertionError(failure.get());
      }
      long retained = usedHeapAfterGc() - before;
      long bound = 16L << 20; // 16 MiB: generous for measurement noise, far below the unbounded ~128 MiB
      assertTrue(retained < bound, "the threads retain " + (retained >> 20) + " MiB after parsing hostile headers");
    } finally {
      release.countDown();
      for (Thread th : threads) {
        th.join();
      }
      Reference.reachabilityFence(d);
    }
  }

  /** Parses one hostile header and fails its key check; nothing of it is reachable afterwards. */
  private static void attack(MessageDecryptor d, String tenant) {
    byte[] hostile = message(tenant, 16, 60_000, key(3));
    MessageHeader h = d.parseHeader(hostile, 0, hostile.length);
    assertThrows(InvalidCiphertextException.class, () -> d.decrypt(h, PlaintextDataKey.wrap(key(4)), hostile, 0, hostile.length));
  }

  private static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }
}
