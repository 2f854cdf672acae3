package dev.byok.provisioning.internal.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** {@link S3Port} on the SDK's {@link S3Client}. Thread-safe like the client. */
final class SdkS3 implements S3Port {
  private static final int NOT_FOUND = 404;
  private static final int FORBIDDEN = 403;
  private final S3Client s3;

  SdkS3(S3Client s3) {
    this.s3 = s3;
  }

  @Override
  public BucketStatus headBucket(String bucket, String expectedOwner) {
    return Sdk.call(() -> {
      try {
        s3.headBucket(r -> r.bucket(bucket).expectedBucketOwner(expectedOwner));
        return BucketStatus.OWNED;
      } catch (NoSuchBucketException e) {
        return BucketStatus.MISSING;
      } catch (S3Exception e) {
        if (e.statusCode() == NOT_FOUND) {
          return BucketStatus.MISSING;
        }
        if (e.statusCode() == FORBIDDEN) {
          return BucketStatus.FORBIDDEN;
        }
        throw e;
      }
    });
  }

  @Override
  public void createBucket(String bucket, @Nullable String locationConstraint) {
    Sdk.run(() -> s3.createBucket(r -> {
      r.bucket(bucket);
      if (locationConstraint != null) {
        r.createBucketConfiguration(c -> c.locationConstraint(locationConstraint));
      }
    }));
  }

  @Override
  public Optional<PublicAccessBlock> getPublicAccessBlock(String bucket) {
    return Sdk.call(() -> {
      try {
        PublicAccessBlockConfiguration c = s3.getPublicAccessBlock(r -> r.bucket(bucket)).publicAccessBlockConfiguration();
        return Optional.of(new PublicAccessBlock(Boolean.TRUE.equals(c.blockPublicAcls()), Boolean.TRUE.equals(c.ignorePublicAcls()),
            Boolean.TRUE.equals(c.blockPublicPolicy()), Boolean.TRUE.equals(c.restrictPublicBuckets())));
      } catch (S3Exception e) {
        if (e.statusCode() == NOT_FOUND) {
          return Optional.empty();
        }
        throw e;
      }
    });
  }

  @Override
  public void putPublicAccessBlock(String bucket, PublicAccessBlock b) {
    PublicAccessBlockConfiguration c = PublicAccessBlockConfiguration.builder().blockPublicAcls(b.blockPublicAcls())
        .ignorePublicAcls(b.ignorePublicAcls()).blockPublicPolicy(b.blockPublicPolicy()).restrictPublicBuckets(b.restrictPublicBuckets())
        .build();
    Sdk.run(() -> s3.putPublicAccessBlock(r -> r.bucket(bucket).publicAccessBlockConfiguration(c)));
  }

  @Override
  public Optional<String> getBucketPolicy(String bucket) {
    return Sdk.call(() -> {
      try {
        return Optional.of(s3.getBucketPolicy(r -> r.bucket(bucket)).policy());
      } catch (S3Exception e) {
        if (e.statusCode() == NOT_FOUND) {
          return Optional.empty();
        }
        throw e;
      }
    });
  }

  @Override
  public void putBucketPolicy(String bucket, String policy) {
    Sdk.run(() -> s3.putBucketPolicy(r -> r.bucket(bucket).policy(policy)));
  }

  @Override
  public List<String> listObjectKeys(String bucket) {
    return Sdk.call(() -> {
      List<String> keys = new ArrayList<>();
      s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().forEach(o -> keys.add(o.key()));
      return keys;
    });
  }

  @Override
  public void deleteObjects(String bucket, List<String> keys) {
    List<ObjectIdentifier> ids = new ArrayList<>();
    keys.forEach(k -> ids.add(ObjectIdentifier.builder().key(k).build()));
    Sdk.run(() -> s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(ids))));
  }

  @Override
  public void deleteBucket(String bucket) {
    Sdk.run(() -> s3.deleteBucket(r -> r.bucket(bucket)));
  }
}
