package dev.byok.provisioning.internal;

import dev.byok.core.ProvisioningException;
import dev.byok.provisioning.PropagationRetry;
import dev.byok.provisioning.internal.aws.AwsCallException;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Retries a call while AWS reports a principal as invalid (IAM's eventual consistency after a role
 * or account first appears) or, when asked, an IAM entity as missing right after it was created.
 * Waits with the {@link PropagationRetry}'s backoff and sleeper. Stateless.
 */
public final class EventualConsistencyRetry {
  private EventualConsistencyRetry() {}

  /**
   * Runs {@code action}, again after each eventual-consistency failure until the policy's attempts
   * are used up; any other failure, and the last one, is thrown as it came.
   */
  public static <T> T call(PropagationRetry retry, String call, boolean notFoundToo, Supplier<T> action) {
    for (int attempt = 1; ; attempt++) {
      try {
        return action.get();
      } catch (AwsCallException e) {
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

  /** An invalid principal in a policy; with {@code notFoundToo} also IAM's {@code NoSuchEntity}. */
  static boolean isEventualConsistency(AwsCallException e, boolean notFoundToo) {
    String code = e.errorCode() == null ? "" : e.errorCode();
    String message = e.errorMessage().toLowerCase(Locale.ROOT);
    boolean malformed = code.startsWith("MalformedPolicyDocument") || code.equals("MalformedPolicy");
    if (malformed && message.contains("principal")) {
      return true;
    }
    return notFoundToo && code.equals("NoSuchEntity");
  }
}
