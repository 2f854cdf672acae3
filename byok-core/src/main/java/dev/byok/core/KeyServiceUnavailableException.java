package dev.byok.core;

import org.jspecify.annotations.Nullable;

/**
 * The key service could not be reached or answered with a transient error (throttling, internal
 * error, time-out). Access has not been revoked; the call may succeed later.
 */
public final class KeyServiceUnavailableException extends ByokException {
  private static final long serialVersionUID = 1L;

  /** An outage of the key service, with the error that showed it ({@code null} for none). */
  public KeyServiceUnavailableException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /** Always true. */
  @Override
  public boolean retryable() {
    return true;
  }
}
