package dev.byok.provisioning;

import java.util.Objects;

/**
 * One call that changed something in AWS (or, in a {@link Plan}, one call that may): the step it
 * belongs to, the call as {@code service:Operation}, and the resource.
 *
 * <p>Immutable and thread-safe.
 */
public final class Change {
  private final String step;
  private final String call;
  private final String resource;

  Change(String step, String call, String resource) {
    this.step = Objects.requireNonNull(step);
    this.call = Objects.requireNonNull(call);
    this.resource = Objects.requireNonNull(resource);
  }

  /** The step, such as {@code key} or {@code trail}. */
  public String step() { return step; }
  /** The call, such as {@code kms:CreateKey}. */
  public String call() { return call; }
  /** The resource name or ARN the call acts on. */
  public String resource() { return resource; }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Change)) {
      return false;
    }
    Change c = (Change) o;
    return step.equals(c.step) && call.equals(c.call) && resource.equals(c.resource);
  }

  @Override
  public int hashCode() {
    return Objects.hash(step, call, resource);
  }

  @Override
  public String toString() {
    return call + " " + resource;
  }
}
