package dev.byok.provisioning.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.core.ProvisioningException;
import dev.byok.provisioning.Check;
import dev.byok.provisioning.PolicyDocuments;
import dev.byok.provisioning.ProvisioningSpec;
import dev.byok.provisioning.ResourceNames;
import dev.byok.provisioning.internal.aws.CloudTrailPort;
import dev.byok.provisioning.internal.aws.CloudTrailPort.EventSelector;
import dev.byok.provisioning.internal.aws.CloudTrailPort.TrailInfo;
import dev.byok.provisioning.internal.aws.CloudTrailPort.TrailSettings;
import dev.byok.provisioning.internal.aws.S3Port;
import dev.byok.provisioning.internal.aws.S3Port.PublicAccessBlock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The CloudTrail trail that records every use of the customer's key, with its S3 bucket (public
 * access blocked, the trail-only bucket policy) and its log key (SSE-KMS for the log files): apply,
 * verify and destroy. Not thread-safe: one per operation.
 */
public final class CloudTrailLogging {
  /** Objects per DeleteObjects call, the S3 limit. */
  private static final int DELETE_BATCH = 1000;

  private final ProvisioningSpec spec;
  private final ResourceNames names;
  private final KmsKeys keys;
  private final S3Port s3;
  private final CloudTrailPort cloudTrail;
  private final Calls calls;

  /** The trail of {@code spec} named by {@code names}; its log key is read and written through {@code keys}. */
  public CloudTrailLogging(ProvisioningSpec spec, ResourceNames names, KmsKeys keys, S3Port s3, CloudTrailPort cloudTrail, Calls calls) {
    this.spec = spec;
    this.names = names;
    this.keys = keys;
    this.s3 = s3;
    this.cloudTrail = cloudTrail;
    this.calls = calls;
  }

  // ---- apply ----

  /** Creates or converges the log key, the bucket and the trail, in that order. */
  public void ensure(ObjectNode logKeyPolicy, ObjectNode bucketPolicy) {
    KmsKeys.Ref logKey = keys.ensure(new KmsKeys.Wanted("logKey", names.logKeyAlias(), PolicyDocuments.LOG_KEY_POLICY, logKeyPolicy,
        logKeyDescription(names), false, true, false, spec.tags()));
    ensureBucket(bucketPolicy);
    ensureTrail(logKey.arn());
  }

  /** The log key's description (apply writes it; the infrastructure-as-code export uses the same). */
  public static String logKeyDescription(ResourceNames names) {
    return "Encrypts the CloudTrail log files of trail " + names.trailName() + " (BYOK set-up " + names.keyAlias() + "); created by byok";
  }

  private void ensureBucket(ObjectNode policy) {
    String bucket = names.bucketName();
    if (!bucketExists()) {
      String location = spec.region().equals("us-east-1") ? null : spec.region();
      calls.write("bucket", "s3:CreateBucket", bucket, () -> s3.createBucket(bucket, location));
    }
    Optional<PublicAccessBlock> pab = calls.read("s3:GetPublicAccessBlock", bucket, () -> s3.getPublicAccessBlock(bucket));
    if (!pab.equals(Optional.of(PublicAccessBlock.ALL))) {
      calls.write("bucket", "s3:PutPublicAccessBlock", bucket, () -> s3.putPublicAccessBlock(bucket, PublicAccessBlock.ALL));
    }
    Optional<JsonNode> current = bucketPolicy();
    if (current.isEmpty() || !Json.samePolicy(current.get(), policy)) {
      String text = policy.toString();
      calls.write("bucket", "s3:PutBucketPolicy", bucket, () -> s3.putBucketPolicy(bucket, text));
    }
  }

  private void ensureTrail(String logKeyArn) {
    String name = names.trailName();
    TrailSettings wanted = new TrailSettings(name, names.bucketName(), logKeyArn, spec.multiRegionTrail());
    Optional<TrailInfo> t = trail();
    if (t.isEmpty()) {
      calls.write("trail", "cloudtrail:CreateTrail", name, () -> cloudTrail.createTrail(wanted, spec.tags()));
    } else {
      TrailInfo tr = t.get();
      boolean same = names.bucketName().equals(tr.s3BucketName()) && logKeyArn.equals(tr.kmsKeyId())
          && Boolean.valueOf(spec.multiRegionTrail()).equals(tr.multiRegion()) && Boolean.TRUE.equals(tr.logFileValidation());
      if (!same) {
        calls.write("trail", "cloudtrail:UpdateTrail", name, () -> cloudTrail.updateTrail(wanted));
      }
    }
    if (!managementEventsOn()) {
      calls.write("trail", "cloudtrail:PutEventSelectors", name,
          () -> cloudTrail.putEventSelectors(name, List.of(new EventSelector(EventSelector.ALL, true))));
    }
    Set<String> want = spec.insights()
        ? new LinkedHashSet<>(List.of(CloudTrailPort.API_CALL_RATE_INSIGHT, CloudTrailPort.API_ERROR_RATE_INSIGHT)) : Set.of();
    if (!insights().equals(want)) {
      calls.write("trail", "cloudtrail:PutInsightSelectors", name, () -> cloudTrail.putInsightSelectors(name, want));
    }
    if (!logging()) {
      calls.write("trail", "cloudtrail:StartLogging", name, () -> cloudTrail.startLogging(name));
    }
  }

  /**
   * Before apply's first write: the bucket name is free or already this account's (S3 names are
   * global, so another account may hold it).
   *
   * @throws ProvisioningException naming the bucket; nothing was changed
   */
  public void checkBucketName() {
    bucketExists();
  }

  // ---- verify ----

  /**
   * Adds the checks of the log key, the bucket and the trail; {@code logKeyPolicy} and
   * {@code bucketPolicy} are the planned documents.
   */
  public void verify(List<Check> checks, ObjectNode logKeyPolicy, ObjectNode bucketPolicy) {
    Optional<String> logKeyId = keys.keyId(names.logKeyAlias());
    checks.add(new Check("log key exists", logKeyId.isPresent(),
        logKeyId.map(id -> names.logKeyAlias() + " -> " + id).orElse("no alias " + names.logKeyAlias())));
    String logKeyArn = logKeyId.map(id -> keys.verify(checks, "log key", id, logKeyPolicy, PolicyDocuments.LOG_KEY_POLICY, true))
        .orElse(null);
    boolean bucket = bucketExists();
    checks.add(new Check("bucket exists", bucket, names.bucketName()));
    if (bucket) {
      Optional<JsonNode> bp = bucketPolicy();
      boolean same = bp.isPresent() && Json.samePolicy(bp.get(), bucketPolicy);
      checks.add(new Check("bucket policy", same, bp.isEmpty() ? "no bucket policy"
          : same ? "GetBucketAcl and PutObject (bucket-owner-full-control) for the trail only, TLS only" : "differs from the plan"));
      Optional<PublicAccessBlock> pab = calls.read("s3:GetPublicAccessBlock", names.bucketName(),
          () -> s3.getPublicAccessBlock(names.bucketName()));
      checks.add(new Check("bucket public access block", pab.equals(Optional.of(PublicAccessBlock.ALL)), pab.map(p -> p.equals(
          PublicAccessBlock.ALL) ? "all four settings on" : "not all on: " + p).orElse("none")));
    }
    Optional<TrailInfo> trail = trail();
    checks.add(new Check("trail exists", trail.isPresent(), names.trailName()));
    if (trail.isPresent()) {
      TrailInfo t = trail.get();
      checks.add(new Check("trail bucket", names.bucketName().equals(t.s3BucketName()), "s3 bucket " + t.s3BucketName()));
      checks.add(new Check("trail log encryption", logKeyArn != null && logKeyArn.equals(t.kmsKeyId()), "SSE-KMS key " + t.kmsKeyId()));
      checks.add(new Check("trail logging", logging(), "IsLogging"));
      checks.add(new Check("trail log file validation", Boolean.TRUE.equals(t.logFileValidation()),
          "LogFileValidationEnabled " + t.logFileValidation()));
      checks.add(new Check("trail multi-Region", Boolean.valueOf(spec.multiRegionTrail()).equals(t.multiRegion()),
          "IsMultiRegionTrail " + t.multiRegion() + (spec.multiRegionTrail() ? "" : " (the spec asks for a single-Region trail)")));
      checks.add(new Check("trail management events", managementEventsOn(), "read and write management events"));
      if (spec.insights()) {
        Set<String> have = insights();
        checks.add(new Check("trail insights", have.contains(CloudTrailPort.API_CALL_RATE_INSIGHT)
            && have.contains(CloudTrailPort.API_ERROR_RATE_INSIGHT), "insight selectors " + have));
      }
    }
  }

  // ---- destroy ----

  /** Deletes the trail, then the bucket's log files and the bucket. The log key goes with {@link #destroyLogKey}. */
  public void destroy() {
    String trailName = names.trailName();
    if (trail().isPresent()) {
      calls.write("trail", "cloudtrail:DeleteTrail", trailName, () -> cloudTrail.deleteTrail(trailName));
    }
    String bucket = names.bucketName();
    if (bucketExists()) {
      List<String> objects = calls.read("s3:ListObjectsV2", bucket, () -> s3.listObjectKeys(bucket));
      for (int i = 0; i < objects.size(); i += DELETE_BATCH) {
        List<String> batch = List.copyOf(objects.subList(i, Math.min(objects.size(), i + DELETE_BATCH)));
        calls.write("bucket", "s3:DeleteObjects", bucket + " (" + batch.size() + " log files)", () -> s3.deleteObjects(bucket, batch));
      }
      calls.write("bucket", "s3:DeleteBucket", bucket, () -> s3.deleteBucket(bucket));
    }
  }

  /** Deletes the log key's alias and schedules the key's deletion after {@code days}. */
  public void destroyLogKey(int days) {
    keys.destroy("key", names.logKeyAlias(), days);
  }

  // ---- reads ----

  private boolean bucketExists() {
    String bucket = names.bucketName();
    return switch (calls.read("s3:HeadBucket", bucket, () -> s3.headBucket(bucket, names.account()))) {
      case OWNED -> true;
      case MISSING -> false;
      case FORBIDDEN -> throw new ProvisioningException(calls.operation() + ": bucket " + bucket + " exists but is not in account "
          + names.account() + " (or may not be read); choose another name with bucketName / --bucket"
          + (calls.changes().isEmpty() ? "; nothing was changed" : "; " + calls.madeSoFar()));
    };
  }

  private Optional<JsonNode> bucketPolicy() {
    String bucket = names.bucketName();
    return calls.read("s3:GetBucketPolicy", bucket, () -> s3.getBucketPolicy(bucket)).map(Json::parsePolicy);
  }

  private Optional<TrailInfo> trail() {
    return calls.read("cloudtrail:GetTrail", names.trailName(), () -> cloudTrail.getTrail(names.trailName()));
  }

  private boolean managementEventsOn() {
    return calls.read("cloudtrail:GetEventSelectors", names.trailName(), () -> cloudTrail.getEventSelectors(names.trailName())).stream()
        .anyMatch(s -> s.includeManagementEvents() && s.readWriteType().equals(EventSelector.ALL));
  }

  private Set<String> insights() {
    return calls.read("cloudtrail:GetInsightSelectors", names.trailName(), () -> cloudTrail.getInsightSelectors(names.trailName()));
  }

  private boolean logging() {
    return calls.read("cloudtrail:GetTrailStatus", names.trailName(), () -> cloudTrail.isLogging(names.trailName()));
  }
}
