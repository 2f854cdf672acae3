package dev.byok.provisioning.internal.aws;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A failed AWS call, as the ports report it: the service's error code and message when the service
 * answered ({@link #serviceError()}), else only a message (the call never got an answer). The
 * message is {@code CODE: MESSAGE} or the bare message, the form provisioning's errors quote.
 */
public final class AwsCallException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final @Nullable String errorCode;
  private final String errorMessage;
  private final boolean serviceError;

  private AwsCallException(@Nullable String errorCode, String errorMessage, boolean serviceError, @Nullable Throwable cause) {
    super(errorCode == null ? errorMessage : errorCode + ": " + errorMessage, cause);
    this.errorCode = errorCode;
    this.errorMessage = errorMessage;
    this.serviceError = serviceError;
  }

  /** The service answered with {@code errorCode} and {@code errorMessage}. */
  public static AwsCallException service(String errorCode, String errorMessage) {
    return new AwsCallException(errorCode, errorMessage, true, null);
  }

  /** The call got no answer from the service (network, credentials, a client-side check). */
  public static AwsCallException client(String message) {
    return new AwsCallException(null, message, false, null);
  }

  /** The same failure in our terms; the SDK exception is kept as the cause. */
  public static AwsCallException of(SdkException e) {
    if (e instanceof AwsServiceException a) {
      if (a.awsErrorDetails() != null) {
        return new AwsCallException(a.awsErrorDetails().errorCode(), String.valueOf(a.awsErrorDetails().errorMessage()), true, e);
      }
      return new AwsCallException(null, String.valueOf(e.getMessage()), true, e);
    }
    return new AwsCallException(null, String.valueOf(e.getMessage()), false, e);
  }

  /** The service's error code, such as {@code NoSuchEntity}; null when there was no answer or no code. */
  public @Nullable String errorCode() {
    return errorCode;
  }

  /** The service's error message, or the client's. */
  public String errorMessage() {
    return errorMessage;
  }

  /** Whether the service answered (the request reached AWS and was refused). */
  public boolean serviceError() {
    return serviceError;
  }
}
