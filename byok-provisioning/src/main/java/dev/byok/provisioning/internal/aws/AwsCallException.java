package dev.byok.provisioning.internal.aws;

import java.io.IOException;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A failed AWS call, as the ports report it: the service's error code and message when the service
 * answered ({@link #serviceError()}), else only a message (the call never got an answer). The
 * message is {@code CODE: MESSAGE} or the bare message, the form provisioning's errors quote.
 */
public final class AwsCallException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * What the SDK's credentials chain says when it finds nothing (its message then lists every
   * provider it tried, over a thousand characters); replaced by {@link #NO_CREDENTIALS}.
   */
  private static final String SDK_NO_CREDENTIALS = "Unable to load credentials";
  /** The message for missing credentials: which variables to set. */
  public static final String NO_CREDENTIALS = "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
      + " (and AWS_SESSION_TOKEN for temporary credentials), or AWS_PROFILE (or --profile) for a profile;"
      + " against the emulators any dummy values work";
  /** Error codes of a throttled or briefly unavailable service: the same call may succeed later. */
  private static final Set<String> TRANSIENT_CODES = Set.of("Throttling", "ThrottlingException", "ThrottledException",
      "RequestLimitExceeded", "TooManyRequestsException", "ServiceUnavailable", "ServiceUnavailableException", "InternalFailure",
      "InternalError", "InternalErrorException", "KMSInternalException", "DependencyTimeoutException", "SlowDown", "RequestTimeout");

  private final @Nullable String errorCode;
  private final String errorMessage;
  private final boolean serviceError;
  private final boolean transientFailure;

  private AwsCallException(@Nullable String errorCode, String errorMessage, boolean serviceError, boolean transientFailure,
      @Nullable Throwable cause) {
    super(errorCode == null ? errorMessage : errorCode + ": " + errorMessage, cause);
    this.errorCode = errorCode;
    this.errorMessage = errorMessage;
    this.serviceError = serviceError;
    this.transientFailure = transientFailure;
  }

  /** The service answered with {@code errorCode} and {@code errorMessage}. */
  public static AwsCallException service(String errorCode, String errorMessage) {
    return new AwsCallException(errorCode, errorMessage, true, TRANSIENT_CODES.contains(errorCode), null);
  }

  /** The call got no answer from the service (a client-side check, credentials): retrying unchanged will not help. */
  public static AwsCallException client(String message) {
    return new AwsCallException(null, message, false, false, null);
  }

  /** The service could not be reached (refused, timed out, unknown host): retrying later may work. */
  public static AwsCallException unreachable(String message) {
    return new AwsCallException(null, message, false, true, null);
  }

  /**
   * The same failure in our terms; the SDK exception is kept as the cause. Missing credentials
   * become {@link #NO_CREDENTIALS} (the SDK's message lists its whole provider chain).
   */
  public static AwsCallException of(SdkException e) {
    if (e instanceof AwsServiceException a) {
      boolean transientFailure = a.statusCode() >= 500 || a.isThrottlingException();
      if (a.awsErrorDetails() != null) {
        String code = a.awsErrorDetails().errorCode();
        String message = a.awsErrorDetails().errorMessage();
        return new AwsCallException(code, message != null && !message.isBlank() ? message
            : "the service gave no message (HTTP " + a.statusCode() + ")", true,
            transientFailure || (code != null && TRANSIENT_CODES.contains(code)), e);
      }
      return new AwsCallException(null, String.valueOf(e.getMessage()), true, transientFailure, e);
    }
    String m = String.valueOf(e.getMessage());
    if (e instanceof SdkClientException && m.startsWith(SDK_NO_CREDENTIALS)) {
      return new AwsCallException(null, NO_CREDENTIALS, false, false, e);
    }
    return new AwsCallException(null, m, false, causedByIo(e), e);
  }

  private static boolean causedByIo(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof IOException) {
        return true;
      }
    }
    return false;
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

  /**
   * Whether the same call may succeed later unchanged: the service was unreachable (no answer, an
   * I/O failure), throttled the call, or failed inside (HTTP 5xx).
   */
  public boolean transientFailure() {
    return transientFailure;
  }
}
