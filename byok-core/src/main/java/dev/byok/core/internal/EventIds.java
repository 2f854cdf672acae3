package dev.byok.core.internal;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Event IDs: random (version 4) UUIDs that stay unique across copies of one process restored from a
 * snapshot (CRaC, Lambda SnapStart). Each ID is {@link ThreadLocalRandom} output, which is fast and
 * lock-free but whose per-thread state every restored copy shares, XORed with a 128-bit process
 * nonce drawn from {@link SecureRandom} at start and again by {@link #renew()} after each restore
 * (byok-crypto's snapshot hook calls it). Two copies then map the same underlying draws to different
 * IDs; within one copy, XOR with a constant keeps distinct draws distinct. IDs need to be unique,
 * not unpredictable. Thread-safe.
 */
public final class EventIds {
  private static volatile long[] nonce = freshNonce();

  private EventIds() {}

  /** A new event ID. */
  public static String next() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return idFor(r.nextLong(), r.nextLong());
  }

  /** The ID that the draws {@code a} and {@code b} give under the current nonce (for tests). */
  public static String idFor(long a, long b) {
    long[] n = nonce;
    long msb = ((a ^ n[0]) & ~0xF000L) | 0x4000L; // version 4
    long lsb = ((b ^ n[1]) & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
    return new UUID(msb, lsb).toString();
  }

  /** Draws a new process nonce: call after a restore from a snapshot, before events are made. */
  public static void renew() {
    nonce = freshNonce();
  }

  private static long[] freshNonce() {
    SecureRandom r = new SecureRandom(); // a new instance reads fresh entropy from the OS
    return new long[] {r.nextLong(), r.nextLong()};
  }
}
