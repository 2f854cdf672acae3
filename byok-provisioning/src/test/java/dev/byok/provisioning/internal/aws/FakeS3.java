package dev.byok.provisioning.internal.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/** S3 in memory: buckets with an owner, a public access block, a policy and object keys. */
public final class FakeS3 extends FakeService implements S3Port {
  /** One bucket, open to tests. */
  public static final class Bucket {
    public final String owner;
    public final @Nullable String location;
    public @Nullable PublicAccessBlock publicAccessBlock;
    public @Nullable String policy;
    public final TreeSet<String> objects = new TreeSet<>();

    Bucket(String owner, @Nullable String location) {
      this.owner = owner;
      this.location = location;
    }
  }

  private final String account;
  public final Map<String, Bucket> buckets = new TreeMap<>();

  FakeS3(String account, Shared shared) {
    super("s3", shared);
    this.account = account;
  }

  /** Adds a bucket owned by {@code owner}. */
  public Bucket addBucket(String name, String owner) {
    Bucket b = new Bucket(owner, null);
    buckets.put(name, b);
    return b;
  }

  private Bucket bucket(String name) {
    Bucket b = buckets.get(name);
    if (b == null) {
      throw error("NoSuchBucket", "The specified bucket does not exist");
    }
    return b;
  }

  @Override
  public BucketStatus headBucket(String bucket, String expectedOwner) {
    call("HeadBucket");
    Bucket b = buckets.get(bucket);
    return b == null ? BucketStatus.MISSING : b.owner.equals(expectedOwner) ? BucketStatus.OWNED : BucketStatus.FORBIDDEN;
  }

  @Override
  public void createBucket(String bucket, @Nullable String locationConstraint) {
    call("CreateBucket");
    if (buckets.containsKey(bucket)) {
      throw error("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.");
    }
    buckets.put(bucket, new Bucket(account, locationConstraint));
  }

  @Override
  public Optional<PublicAccessBlock> getPublicAccessBlock(String bucket) {
    call("GetPublicAccessBlock");
    return Optional.ofNullable(bucket(bucket).publicAccessBlock);
  }

  @Override
  public void putPublicAccessBlock(String bucket, PublicAccessBlock block) {
    call("PutPublicAccessBlock");
    bucket(bucket).publicAccessBlock = block;
  }

  @Override
  public Optional<String> getBucketPolicy(String bucket) {
    call("GetBucketPolicy");
    return Optional.ofNullable(bucket(bucket).policy);
  }

  @Override
  public void putBucketPolicy(String bucket, String policy) {
    call("PutBucketPolicy");
    bucket(bucket).policy = policy;
  }

  @Override
  public List<String> listObjectKeys(String bucket) {
    call("ListObjectsV2");
    return new ArrayList<>(bucket(bucket).objects);
  }

  @Override
  public void deleteObjects(String bucket, List<String> keys) {
    call("DeleteObjects");
    if (keys.size() > 1000) {
      throw error("MalformedXML", "at most 1000 keys per DeleteObjects");
    }
    bucket(bucket).objects.removeAll(keys);
  }

  @Override
  public void deleteBucket(String bucket) {
    call("DeleteBucket");
    if (!bucket(bucket).objects.isEmpty()) {
      throw error("BucketNotEmpty", "The bucket you tried to delete is not empty");
    }
    buckets.remove(bucket);
  }
}
