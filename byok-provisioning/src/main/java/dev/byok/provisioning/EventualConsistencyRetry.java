package dev.byok.provisioning;

import dev.byok.core.ProvisioningException;
import java.util.Locale;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Retries a call while AWS reports a principal as invalid (IAM's eventual consistency after a role
 * or account first appears) or, when asked, an IAM entity as missing right after it was created.
 * Waits with the {@link RetryPolicy}'s backoff and sleeper. Stateless.
 */
final class EventualConsistencyRetry {
  private EventualConsistencyRetry() {}

  static <T> T call(RetryPolicy retry, String call, boolean notFoundToo, Supplier<T> action) {
    for (int attempt = 1; ; attempt++) {
      try {
        return action.get();
      } catch (AwsServiceException e) {
        if (attempt >= retry.maxAttempts() || !isEventualConsistency(e, notFoundToo)) {
          throw e;
        }
        try {
          retry.sleeper().sleep(retry.backoff(attempt));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new ProvisioningException("interrupted while waiting to retry " + call, ie);
        }
      }
    }
  }

  static boolean isEventualConsistency(AwsServiceException e, boolean notFoundToo) {
    String code = e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode());
    String message = String.valueOf(e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage()).toLowerCase(Locale.ROOT);
    boolean malformed = code.startsWith("MalformedPolicyDocument") || code.equals("MalformedPolicy");
    if (malformed && message.contains("principal")) {
      return true;
    }
    return notFoundToo && code.equals("NoSuchEntity");
  }
}
