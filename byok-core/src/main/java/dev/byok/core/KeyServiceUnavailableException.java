package dev.byok.core;

/**
 * The key service could not be reached or answered with a transient error (throttling, internal
 * error, time-out). Access has not been revoked; the call may succeed later.
 */
public final class KeyServiceUnavailableException extends ByokException {
  private static final long serialVersionUID = 1L;

  public KeyServiceUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
