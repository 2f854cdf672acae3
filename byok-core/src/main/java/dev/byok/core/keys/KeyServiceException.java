package dev.byok.core.keys;

import dev.byok.core.ByokException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An error from a {@link KeyService}, classified for revocation:
 * {@link ErrorClass#DEFINITIVE} (the customer cut access), {@link ErrorClass#TRANSIENT} (try again
 * later; never a reason to revoke) or {@link ErrorClass#BAD_INPUT} (the request itself was wrong,
 * e.g. a data key that is not the key service's ciphertext). Carries the service's error code and
 * request ID. The envelope layer turns these into {@code KeyAccessRevokedException},
 * {@code KeyServiceUnavailableException} or {@code InvalidCiphertextException}.
 */
public final class KeyServiceException extends ByokException {
  private static final long serialVersionUID = 1L;

  /** How a key-service error bears on access. */
  public enum ErrorClass {
    /** The customer cut access: AccessDenied, Disabled, KMSInvalidState, NotFound, KeyUnavailable. */
    DEFINITIVE,
    /** Throttling, internal errors, time-outs, network errors, 5xx. */
    TRANSIENT,
    /** The request was wrong (InvalidCiphertext, IncorrectKey, ...): neither revocation nor outage. */
    BAD_INPUT
  }

  /** How the error bears on access. */
  private final ErrorClass errorClass;
  /** The service's error code. */
  private final String errorCode;
  /** The key the call named, or {@code null}. */
  private final @Nullable String keyArn;
  /** The request ID of the failed call, or {@code null}. */
  private final @Nullable String requestId;

  /**
   * An error of one key-service call.
   *
   * @param errorClass how it bears on access
   * @param errorCode the service's error code, e.g. {@code DisabledException}
   * @param keyArn the key the call named (an ARN, or the reference the caller gave), or {@code null}
   * @param requestId the request ID of the failed call, or {@code null}
   * @param message what went wrong; never secret material
   * @param cause the underlying error, or {@code null}
   */
  public KeyServiceException(ErrorClass errorClass, String errorCode, @Nullable String keyArn,
      @Nullable String requestId, String message, @Nullable Throwable cause) {
    super(errorCode + " from key service for " + keyArn + ": " + message
        + (requestId == null ? "" : " (request " + requestId + ")"), cause);
    this.errorClass = Objects.requireNonNull(errorClass, "errorClass");
    this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
    this.keyArn = keyArn;
    this.requestId = requestId;
  }

  /** How this error bears on access. */
  public ErrorClass errorClass() {
    return errorClass;
  }

  /** The service's error code, e.g. {@code DisabledException} or {@code ThrottlingException}. */
  public String errorCode() {
    return errorCode;
  }

  /** The key the call named, or {@code null}. */
  public @Nullable String keyArn() {
    return keyArn;
  }

  /** The request ID of the failed call, or {@code null}. */
  public @Nullable String requestId() {
    return requestId;
  }

  /** True for {@link ErrorClass#TRANSIENT} errors. */
  @Override
  public boolean retryable() {
    return errorClass == ErrorClass.TRANSIENT;
  }
}
