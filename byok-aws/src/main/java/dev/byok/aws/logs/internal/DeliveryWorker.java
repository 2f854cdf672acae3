package dev.byok.aws.logs.internal;

import dev.byok.aws.logs.internal.DeliveryFailure.Kind;
import dev.byok.aws.logs.internal.Destinations.Destination;
import dev.byok.aws.logs.internal.LogsApi.PutResult;

/**
 * Delivers one batch on a delivery thread: opens the tenant's destination if needed (bundle
 * lookup, role), makes sure its log stream exists (creating the group only when allowed), sends
 * the batch, and re-creates a stream deleted under it. Returns the outcome instead of acting on
 * it: the dispatcher alone changes buffers and counters. At most one batch per tenant is in flight,
 * so a tenant's destination is used by one thread at a time.
 */
final class DeliveryWorker {
  private final Destinations destinations;
  private final boolean createMissingLogGroup;

  DeliveryWorker(Destinations destinations, boolean createMissingLogGroup) {
    this.destinations = destinations;
    this.createMissingLogGroup = createMissingLogGroup;
  }

  /**
   * One delivery attempt's outcome: the service's answer, or why the attempt failed.
   *
   * @param channel the tenant's channel
   * @param batch the batch sent
   * @param result the service's answer when the request was stored, else {@code null}
   * @param failure why it failed, else {@code null}
   */
  record Completion(TenantChannel channel, Batch batch, PutResult result, DeliveryFailure failure) {}

  /** Sends {@code b}; never throws. */
  Completion deliver(TenantChannel ch, Batch b) {
    try {
      if (ch.destination == null) {
        ch.destination = destinations.open(ch.tenant);
      }
      Destination d = ch.destination;
      d.api().ensureCredentials();
      if (!ch.streamReady) {
        ensureStream(ch, d);
      }
      PutResult r;
      try {
        r = d.api().putLogEvents(d.logGroup(), d.stream(), b.records);
      } catch (DeliveryFailure f) {
        if (f.kind() != Kind.LOG_STREAM_MISSING) {
          throw f;
        }
        ch.streamReady = false;
        ensureStream(ch, d);
        r = d.api().putLogEvents(d.logGroup(), d.stream(), b.records);
      }
      return new Completion(ch, b, r, null);
    } catch (DeliveryFailure f) {
      if (f.kind() != Kind.TRANSIENT && f.kind() != Kind.INVALID_REQUEST) {
        dropDestination(ch);
      }
      return new Completion(ch, b, null, f);
    } catch (RuntimeException ex) {
      dropDestination(ch);
      return new Completion(ch, b, null, new DeliveryFailure(Kind.TRANSIENT,
          "unexpected error delivering audit events of tenant '" + ch.tenant + "': " + ex, ex));
    }
  }

  private void ensureStream(TenantChannel ch, Destination d) throws DeliveryFailure {
    try {
      d.api().createLogStream(d.logGroup(), d.stream());
    } catch (DeliveryFailure f) {
      if (f.kind() != Kind.LOG_GROUP_MISSING || !createMissingLogGroup) {
        throw f;
      }
      DeliveryEngine.LOG.warn("audit: log group '{}' of tenant '{}' does not exist; creating it (createMissingLogGroup is on)",
          d.logGroup(), ch.tenant);
      d.api().createLogGroup(d.logGroup());
      d.api().createLogStream(d.logGroup(), d.stream());
    }
    ch.streamReady = true;
  }

  /** Forgets the tenant's client so the next attempt looks its bundle up again and assumes the role afresh. */
  static void dropDestination(TenantChannel ch) {
    Destination d = ch.destination;
    ch.destination = null;
    ch.streamReady = false;
    if (d != null) {
      try {
        d.api().close();
      } catch (RuntimeException ex) {
        DeliveryEngine.LOG.debug("audit: closing the client of tenant '{}' failed: {}", ch.tenant, ex.toString());
      }
    }
  }
}
