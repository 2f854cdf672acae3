package dev.byok.core.audit;

import dev.byok.core.ByokException;
import org.jspecify.annotations.Nullable;

/**
 * A key use was refused because its audit event could be neither queued nor stored: the
 * {@link AuditSink} refused it (closed, interrupted while waiting for room, or a tenant that requires
 * a durable audit record whose record could not be written). No plaintext or ciphertext is returned
 * for a use without its event. Retryable: the sink may have room, or the tenant's destination may
 * work, later.
 */
public final class AuditUnavailableException extends ByokException {
  private static final long serialVersionUID = 1L;

  /** The refusal, with the sink's error ({@code null} for none). */
  public AuditUnavailableException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /** Always true. */
  @Override
  public boolean retryable() {
    return true;
  }
}
