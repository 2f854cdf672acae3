package dev.byok.core;

import org.jspecify.annotations.Nullable;

/**
 * A provisioning step failed or a document failed lint; the message names the step or rule.
 * {@link #retryable()} is true when nothing was changed and the service could not be reached or was
 * throttled, so the same command may succeed later.
 */
public final class ProvisioningException extends ByokException {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  /** A failure whose message names the step or rule. */
  public ProvisioningException(String message) {
    this(message, null, false);
  }

  /** A failure whose message names the step or rule, with its cause ({@code null} for none). */
  public ProvisioningException(String message, @Nullable Throwable cause) {
    this(message, cause, false);
  }

  /** A failure whose message names the step or rule; {@code retryable}: see {@link #retryable()}. */
  public ProvisioningException(String message, @Nullable Throwable cause, boolean retryable) {
    super(message, cause);
    this.retryable = retryable;
  }

  @Override
  public boolean retryable() {
    return retryable;
  }
}
