package dev.byok.core.keys;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Secret material: the plaintext of a data key. Its bytes are read only through
 * {@link #copyBytes()}, deliberately; {@link #toString()} never shows them; {@link #destroy()}
 * zeroes them (best effort: the JVM may have copied them). Thread-safe for reading.
 */
public final class PlaintextDataKey {
  private final byte[] bytes;
  private volatile boolean destroyed;

  private PlaintextDataKey(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Takes a copy of {@code bytes}. */
  public static PlaintextDataKey copyOf(byte[] bytes) {
    return new PlaintextDataKey(bytes.clone());
  }

  /** Takes ownership of {@code bytes} without copying: the caller must not keep or change them. */
  public static PlaintextDataKey wrap(byte[] bytes) {
    return new PlaintextDataKey(bytes);
  }

  /** The key's length in bytes. */
  public int length() {
    return bytes.length;
  }

  /**
   * A copy of the key bytes.
   *
   * @throws IllegalStateException after {@link #destroy()}
   */
  public byte[] copyBytes() {
    if (destroyed) {
      throw new IllegalStateException("data key has been destroyed");
    }
    return bytes.clone();
  }

  /** Constant-time comparison of the key bytes. */
  public boolean equalsConstantTime(PlaintextDataKey other) {
    return MessageDigest.isEqual(bytes, other.bytes);
  }

  /** Zeroes the key bytes. */
  public void destroy() {
    destroyed = true;
    Arrays.fill(bytes, (byte) 0);
  }

  /** Whether {@link #destroy()} was called. */
  public boolean isDestroyed() {
    return destroyed;
  }

  /** The length only; the bytes are redacted. */
  @Override
  public String toString() {
    return "PlaintextDataKey{" + bytes.length + " bytes, redacted}";
  }
}
