package dev.byok.audit.internal;

import java.time.Instant;

/** A place the vendor's audit events are read from: a JSON-lines file or the customer's log group. */
public interface EventInput {
  /** Where, for the report. */
  String description();

  /**
   * Streams the events into {@code sink}; {@code from}/{@code to} may be {@code null} and only
   * narrow what is fetched.
   *
   * @throws dev.byok.audit.AuditInputException when the place cannot be read at all
   */
  void read(Instant from, Instant to, EventSink sink);
}
