package dev.byok.aws.logs.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * The dispatcher thread's doorbell: the dispatcher parks when a round did nothing, and producers,
 * delivery threads and flushes wake it. Holds no thread in manual dispatch, where waking does
 * nothing. Thread-safe.
 */
final class Wakeup {
  private volatile Thread dispatcher;

  /** Makes {@code t} the thread to wake (before it starts, so a stop cannot be missed). */
  void bind(Thread t) {
    dispatcher = t;
  }

  /** Whether {@code t} is still the dispatcher (false once {@link #unbind} ran). */
  boolean isBound(Thread t) {
    return dispatcher == t;
  }

  /** Forgets the dispatcher and wakes it a last time, so that its loop sees it is done. */
  void unbind() {
    Thread t = dispatcher;
    dispatcher = null;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  /** Wakes the dispatcher thread, if there is one. */
  void wake() {
    Thread t = dispatcher;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }
}
