package dev.byok.provisioning;

import java.util.Objects;

/**
 * One call that changed something in AWS (or, in a {@link Plan}, one call that may): the step it
 * belongs to, the call as {@code service:Operation}, and the resource.
 *
 * <p>Immutable and thread-safe.
 *
 * @param step the step, such as {@code key} or {@code trail}
 * @param call the call, such as {@code kms:CreateKey}
 * @param resource the resource name or ARN the call acts on
 */
public record Change(String step, String call, String resource) {
  /** Checks that no part is null. */
  public Change {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(call, "call");
    Objects.requireNonNull(resource, "resource");
  }

  /** {@code kms:CreateKey alias/acme-slack-sandbox}. */
  @Override
  public String toString() {
    return call + " " + resource;
  }
}
