package dev.byok.crypto.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 point 4: no randomness is carried across a checkpoint. The hook that {@link Randomness}
 * registers with {@code org.crac} is driven through {@code org.crac.Core.checkpointRestore()}
 * (the test JVM runs the fake CRaC implementation {@code dev.byok.crypto.fakes.crac}).
 */
class RandomnessSnapshotTest {

  @Test
  void checkpointRestore_pooledBytesNeverHandedOutAndSecureRandomRenewed() throws Exception {
    byte[] id = new byte[32];
    for (int i = 0; i < 2 * Randomness.POOL_BYTES / 32 && Randomness.pooledBytes().length != Randomness.POOL_BYTES - 32; i++) {
      Randomness.nextBytes(id, 0, 32); // until the pool was just refilled and holds the next 7 IDs
    }
    byte[] pending = Randomness.pooledBytes();
    assertEquals(Randomness.POOL_BYTES - 32, pending.length, "the pool holds the next IDs");
    SecureRandom before = Randomness.secureRandom();

    org.crac.Core.checkpointRestore();

    byte[] next = new byte[32];
    Randomness.nextBytes(next, 0, 32);
    for (int i = 0; i + 32 <= pending.length; i += 32) {
      assertFalse(Arrays.equals(next, 0, 32, pending, i, i + 32), "a message ID pooled before the checkpoint was handed out");
    }
    assertNotSame(before, Randomness.secureRandom(), "the thread's SecureRandom (its DRBG state) was replaced");
    byte[] after = Randomness.pooledBytes();
    assertFalse(Arrays.equals(pending, 0, after.length, after, 0, after.length), "the pool was refilled from the new DRBG");
  }

  @Test
  void checkpointRestore_otherThreadsDropTheirPoolsAtTheirNextDraw() throws Exception {
    byte[][] pendingOfOther = new byte[1][];
    byte[][] nextOfOther = new byte[1][];
    // A worker that draws, waits while the checkpoint and restore happen, then draws again.
    java.util.concurrent.SynchronousQueue<Boolean> go = new java.util.concurrent.SynchronousQueue<>();
    java.util.concurrent.SynchronousQueue<Boolean> done = new java.util.concurrent.SynchronousQueue<>();
    Thread worker = new Thread(() -> {
      try {
        byte[] id = new byte[32];
        Randomness.nextBytes(id, 0, 32);
        pendingOfOther[0] = Randomness.pooledBytes();
        done.put(true);
        go.take();
        byte[] next = new byte[32];
        Randomness.nextBytes(next, 0, 32);
        nextOfOther[0] = next;
        done.put(true);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    worker.start();
    done.take();
    org.crac.Core.checkpointRestore();
    go.put(true);
    done.take();
    worker.join();
    byte[] pending = pendingOfOther[0];
    assertFalse(Arrays.equals(nextOfOther[0], 0, 32, pending, 0, 32), "the worker's pooled ID was handed out after restore");
  }
}
