package dev.byok.core;

import org.jspecify.annotations.Nullable;

/** A provisioning step failed or a document failed lint; the message names the step or rule. */
public final class ProvisioningException extends ByokException {
  private static final long serialVersionUID = 1L;

  /** A failure whose message names the step or rule. */
  public ProvisioningException(String message) {
    super(message);
  }

  /** A failure whose message names the step or rule, with its cause ({@code null} for none). */
  public ProvisioningException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
