package dev.byok.provisioning.internal.aws;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The Amazon S3 calls provisioning makes (the trail's bucket). Failures throw {@link AwsCallException}. */
public interface S3Port {
  /** What HeadBucket with the expected owner finds. */
  enum BucketStatus {
    /** The bucket exists in the expected account. */
    OWNED,
    /** No such bucket. */
    MISSING,
    /** The bucket exists but belongs to another account, or may not be read. */
    FORBIDDEN
  }

  /** A bucket's public access block; a setting S3 leaves unset reads as {@code false}. */
  record PublicAccessBlock(boolean blockPublicAcls, boolean ignorePublicAcls, boolean blockPublicPolicy, boolean restrictPublicBuckets) {
    /** Every public access blocked. */
    public static final PublicAccessBlock ALL = new PublicAccessBlock(true, true, true, true);
  }

  BucketStatus headBucket(String bucket, String expectedOwner);

  /** Creates a bucket; {@code locationConstraint} is null in us-east-1. */
  void createBucket(String bucket, @Nullable String locationConstraint);

  /** Empty when the bucket has none. */
  Optional<PublicAccessBlock> getPublicAccessBlock(String bucket);

  void putPublicAccessBlock(String bucket, PublicAccessBlock block);

  /** The bucket policy as JSON text; empty when the bucket has none. */
  Optional<String> getBucketPolicy(String bucket);

  void putBucketPolicy(String bucket, String policy);

  /** The key of every object in the bucket. */
  List<String> listObjectKeys(String bucket);

  /** Deletes up to 1000 objects in one call. */
  void deleteObjects(String bucket, List<String> keys);

  void deleteBucket(String bucket);
}
