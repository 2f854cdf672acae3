package dev.byok.core;

import org.jspecify.annotations.Nullable;

/**
 * The root of every exception byok throws. Unchecked.
 *
 * <p>{@link #retryable()} tells a caller whether the same call may succeed later without anyone
 * changing anything (a throttled or unavailable key service); it is {@code false} unless a subtype
 * says otherwise. Messages never contain secret material.
 */
public class ByokException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message and no cause. */
  public ByokException(String message) {
    super(message);
  }

  /** An exception with a message and a cause ({@code null} for none). */
  public ByokException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /** Whether retrying the same call later, unchanged, may succeed. */
  public boolean retryable() {
    return false;
  }
}
