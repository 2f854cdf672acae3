package dev.byok.core;

/** A provisioning step failed or a document failed lint; the message names the step or rule. */
public final class ProvisioningException extends ByokException {
  private static final long serialVersionUID = 1L;

  public ProvisioningException(String message) {
    super(message);
  }

  public ProvisioningException(String message, Throwable cause) {
    super(message, cause);
  }
}
