package dev.byok.core.keys;

import dev.byok.core.ByokException;
import java.util.Objects;

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

  private final ErrorClass errorClass;
  private final String errorCode;
  private final String keyArn;
  private final String requestId;

  public KeyServiceException(ErrorClass errorClass, String errorCode, String keyArn, String requestId,
      String message, Throwable cause) {
    super(errorCode + " from key service for " + keyArn + ": " + message
        + (requestId == null ? "" : " (request " + requestId + ")"), cause);
    this.errorClass = Objects.requireNonNull(errorClass, "errorClass");
    this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
    this.keyArn = keyArn;
    this.requestId = requestId;
  }

  public ErrorClass errorClass() {
    return errorClass;
  }

  /** The service's error code, e.g. {@code DisabledException} or {@code ThrottlingException}. */
  public String errorCode() {
    return errorCode;
  }

  public String keyArn() {
    return keyArn;
  }

  /** The request ID of the failed call, or {@code null}. */
  public String requestId() {
    return requestId;
  }

  @Override
  public boolean retryable() {
    return errorClass == ErrorClass.TRANSIENT;
  }
}
