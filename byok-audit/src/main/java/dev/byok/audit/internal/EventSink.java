package dev.byok.audit.internal;

/** Receives what an {@link EventInput} reads. */
public interface EventSink {
  /** One event, in any time (the sink filters). */
  void event(EventLine.Parsed event);

  /** A line or log event that is not an audit event; the report is then incomplete. */
  void lineSkipped(String where, String reason);

  /** A file or log group was read to its end. */
  void sourceRead(String name, long lines);
}
