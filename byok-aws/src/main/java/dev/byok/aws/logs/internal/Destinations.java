package dev.byok.aws.logs.internal;

import java.util.Objects;

/**
 * Opens a tenant's destination: where its events go and the client to send them with. Called by a
 * delivery thread, before a tenant's first batch and again after a failure that dropped the
 * previous destination (so a changed bundle or a revoked role is seen).
 */
@FunctionalInterface
public interface Destinations {

  /**
   * Opens the destination of {@code tenant}.
   *
   * @throws DeliveryFailure when the tenant has none now (its events are kept and retried)
   */
  Destination open(String tenant) throws DeliveryFailure;

  /**
   * A tenant's destination: its client under the assumed role, its log group and its log stream.
   *
   * @param api the client, closed when the destination is dropped
   * @param logGroup the customer's log group
   * @param stream this sink's stream in that group
   */
  record Destination(LogsApi api, String logGroup, String stream) {
    /** Checks that nothing is missing. */
    public Destination {
      Objects.requireNonNull(api, "api");
      Objects.requireNonNull(logGroup, "logGroup");
      Objects.requireNonNull(stream, "stream");
    }
  }
}
