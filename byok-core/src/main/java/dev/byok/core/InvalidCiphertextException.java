package dev.byok.core;

import org.jspecify.annotations.Nullable;

/**
 * Every malformed, truncated, tampered or mismatched message, whatever the cause, is answered by
 * this one type, so that a caller (or an attacker) learns nothing from which check failed. The
 * message text names the check in general terms only and never contains key or plaintext bytes.
 */
public final class InvalidCiphertextException extends ByokException {
  private static final long serialVersionUID = 1L;

  /** {@code invalid ciphertext: REASON}, with {@code reason} in general terms. */
  public InvalidCiphertextException(String reason) {
    super("invalid ciphertext: " + reason);
  }

  /** {@code invalid ciphertext: REASON}, with {@code reason} in general terms and a cause. */
  public InvalidCiphertextException(String reason, @Nullable Throwable cause) {
    super("invalid ciphertext: " + reason, cause);
  }
}
