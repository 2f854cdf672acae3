package dev.byok.crypto.internal.format;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * One JDK {@link SecureRandom} per thread (DRBG where available, else the platform default), so
 * message IDs are drawn without a shared lock. Thread-safe.
 */
final class Randomness {
  private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(Randomness::newRandom);

  private Randomness() {}

  private static SecureRandom newRandom() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }

  static SecureRandom secureRandom() {
    return RANDOM.get();
  }

  static void nextBytes(byte[] dest, int offset, int length) {
    SecureRandom r = RANDOM.get();
    if (offset == 0 && length == dest.length) {
      r.nextBytes(dest);
    } else {
      byte[] tmp = new byte[length];
      r.nextBytes(tmp);
      System.arraycopy(tmp, 0, dest, offset, length);
    }
  }
}
