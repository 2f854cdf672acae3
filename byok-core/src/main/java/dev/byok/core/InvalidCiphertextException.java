package dev.byok.core;

/**
 * Every malformed, truncated, tampered or mismatched message, whatever the cause, is answered by
 * this one type, so that a caller (or an attacker) learns nothing from which check failed. The
 * message text names the check in general terms only and never contains key or plaintext bytes.
 */
public final class InvalidCiphertextException extends ByokException {
  private static final long serialVersionUID = 1L;

  public InvalidCiphertextException(String reason) {
    super("invalid ciphertext: " + reason);
  }

  public InvalidCiphertextException(String reason, Throwable cause) {
    super("invalid ciphertext: " + reason, cause);
  }
}
