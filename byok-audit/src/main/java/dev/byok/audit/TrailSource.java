package dev.byok.audit;

import dev.byok.audit.internal.LocalTrailInput;
import dev.byok.audit.internal.LookupTrailInput;
import dev.byok.audit.internal.S3TrailInput;
import dev.byok.audit.internal.TrailInput;
import java.nio.file.Path;
import java.util.Objects;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Where the customer's CloudTrail records come from: a local copy of log files, the trail's S3
 * bucket (CloudTrail's {@code AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/} layout), or
 * CloudTrail LookupEvents. Records are streamed, never loaded whole; log files may be gzip (as
 * CloudTrail writes them) or plain JSON.
 *
 * <pre>{@code
 * TrailSource.local(Path.of("trail-logs"));
 * TrailSource.s3(s3Client, "s3://acme-trail-bucket/byok");
 * TrailSource.lookup(cloudTrailClient);
 * }</pre>
 *
 * <p>AWS clients are the caller's: a source never closes them. Immutable and thread-safe.
 */
public final class TrailSource {
  private final TrailInput input;

  private TrailSource(TrailInput input) {
    this.input = input;
  }

  /**
   * Log files on disk: {@code fileOrFolder} is one log file, or a folder whose regular files
   * (recursively, e.g. a copy of the bucket's {@code AWSLogs/} tree) are all log files.
   *
   * @param fileOrFolder a file or folder
   * @return the source
   */
  public static TrailSource local(Path fileOrFolder) {
    return new TrailSource(new LocalTrailInput(Objects.requireNonNull(fileOrFolder, "fileOrFolder")));
  }

  /**
   * The trail's bucket, from a location of the form {@code s3://BUCKET} or {@code s3://BUCKET/PREFIX}
   * (the trail's S3 key prefix, above {@code AWSLogs/}; a prefix reaching into {@code AWSLogs/} works too).
   *
   * @param s3 the client (its region should be the bucket's)
   * @param location {@code s3://BUCKET[/PREFIX]}
   * @return the source
   * @throws IllegalArgumentException if {@code location} is not an {@code s3://} location with a bucket name
   */
  public static TrailSource s3(S3Client s3, String location) {
    Objects.requireNonNull(location, "location");
    if (!location.startsWith("s3://")) {
      throw new IllegalArgumentException("trail location '" + location + "': expected s3://BUCKET/PREFIX");
    }
    String rest = location.substring("s3://".length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1);
    return s3(s3, bucket, prefix);
  }

  /**
   * The trail's bucket.
   *
   * @param s3 the client (its region should be the bucket's)
   * @param bucket the bucket name
   * @param prefix the trail's S3 key prefix, or {@code ""}
   * @return the source
   * @throws IllegalArgumentException if {@code bucket} is not a valid S3 bucket name
   */
  public static TrailSource s3(S3Client s3, String bucket, String prefix) {
    Objects.requireNonNull(s3, "s3");
    if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new IllegalArgumentException("trail bucket '" + bucket + "': not an S3 bucket name (3-63 of a-z 0-9 . -)");
    }
    return new TrailSource(new S3TrailInput(s3, bucket, prefix == null ? "" : prefix));
  }

  /**
   * CloudTrail LookupEvents for {@code kms.amazonaws.com} in the client's region: the last 90 days of
   * the account's management events (KMS's cryptographic calls are management events), no trail
   * bucket needed. Slower than S3 for large windows (2 calls a second).
   *
   * @param cloudTrail the client
   * @return the source
   */
  public static TrailSource lookup(CloudTrailClient cloudTrail) {
    return new TrailSource(new LookupTrailInput(Objects.requireNonNull(cloudTrail, "cloudTrail")));
  }

  /**
   * What the source reads, for the report.
   *
   * @return a path, {@code s3://BUCKET/PREFIX/} or {@code CloudTrail LookupEvents (...)}
   */
  public String description() {
    return input.description();
  }

  TrailInput input() {
    return input;
  }

  @Override
  public String toString() {
    return "TrailSource{" + description() + "}";
  }
}
