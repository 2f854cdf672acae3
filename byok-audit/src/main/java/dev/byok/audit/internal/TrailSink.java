package dev.byok.audit.internal;

/** Receives what a {@link TrailInput} reads: records, and each file read, skipped or ignored. */
public interface TrailSink {
  /** One CloudTrail record, of any service, in any time (the sink filters). */
  void record(CloudTrailRecord record);

  /** A log file was read whole. */
  void fileRead(String name, long records);

  /**
   * A file could not be read (corrupt gzip, not a CloudTrail log); its first {@code recordsRead}
   * records, if any, were delivered. The report is then incomplete.
   */
  void fileSkipped(String name, String reason, long recordsRead);

  /** An object that is not a CloudTrail log file by its place in the layout (digest files and the like). */
  void objectIgnored(String name);
}
