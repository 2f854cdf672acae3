package dev.byok.audit.internal;

import java.time.Instant;

/** A place CloudTrail records are read from: a local copy, the trail's S3 bucket, or LookupEvents. */
public interface TrailInput {
  /** Where, for the report: a path, {@code s3://BUCKET/PREFIX} or {@code CloudTrail LookupEvents}. */
  String description();

  /**
   * Streams the records into {@code sink}. {@code from} (inclusive) and {@code to} (exclusive) may
   * be {@code null}; they only narrow what is fetched, and the sink still filters each record.
   *
   * @throws dev.byok.audit.AuditInputException when the location cannot be read at all
   */
  void read(Instant from, Instant to, TrailSink sink);
}
