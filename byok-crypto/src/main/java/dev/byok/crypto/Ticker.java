package dev.byok.crypto;

/**
 * A source of nanosecond time for data-key expiry, revalidation and probing: only differences
 * between two readings mean anything, as with {@link System#nanoTime()}. Inject a fake one in tests
 * instead of sleeping. Implementations must be thread-safe and cheap.
 */
@FunctionalInterface
public interface Ticker {

  /** The current reading, in nanoseconds. */
  long read();

  /** {@link System#nanoTime()}. */
  static Ticker system() {
    return System::nanoTime;
  }
}
