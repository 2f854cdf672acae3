package dev.byok.provisioning.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.ProvisioningException;
import dev.byok.provisioning.Check;
import dev.byok.provisioning.PolicyDocuments;
import dev.byok.provisioning.internal.aws.CloudTrailPort;
import dev.byok.provisioning.internal.aws.FakeCloudTrail;
import dev.byok.provisioning.internal.aws.FakeS3;
import dev.byok.provisioning.internal.aws.KmsPort.KeyInfo;
import dev.byok.provisioning.internal.aws.S3Port.PublicAccessBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The trail part (log key, bucket, trail) on the in-memory KMS, S3 and CloudTrail: apply, verify, destroy. */
class CloudTrailLoggingTest {
  private final Fixture f = new Fixture();

  private CloudTrailLogging part(Calls calls) {
    return new CloudTrailLogging(f.spec, f.names, f.keys(calls), f.aws.ports().s3(), f.aws.ports().cloudTrail(), calls);
  }

  private Calls ensure() {
    Calls calls = f.calls("apply");
    part(calls).ensure(f.doc(PolicyDocuments.LOG_KEY_POLICY), f.doc(PolicyDocuments.BUCKET_POLICY));
    return calls;
  }

  private List<Check> verify() {
    List<Check> checks = new ArrayList<>();
    part(f.calls("verify")).verify(checks, f.doc(PolicyDocuments.LOG_KEY_POLICY), f.doc(PolicyDocuments.BUCKET_POLICY));
    return checks;
  }

  private static List<String> failed(List<Check> checks) {
    return checks.stream().filter(c -> !c.passed()).map(Check::name).toList();
  }

  @Test
  void ensure_freshAccount_logKeyThenBucketThenTrail() {
    assertEquals(List.of("kms:CreateKey", "kms:CreateAlias", "kms:EnableKeyRotation", "s3:CreateBucket", "s3:PutPublicAccessBlock",
        "s3:PutBucketPolicy", "cloudtrail:CreateTrail", "cloudtrail:PutEventSelectors", "cloudtrail:PutInsightSelectors",
        "cloudtrail:StartLogging"), Fixture.calls(ensure().changes()));
    FakeS3.Bucket bucket = f.aws.s3.buckets.get("acme-slack-sandbox-cloudtrail-123456789012");
    assertEquals(PublicAccessBlock.ALL, bucket.publicAccessBlock);
    assertTrue(Json.samePolicy(f.doc(PolicyDocuments.BUCKET_POLICY), Json.parsePolicy(bucket.policy)));
    FakeCloudTrail.Trail trail = f.aws.cloudTrail.trails.get("slack-sandbox-logs");
    String logKeyId = f.aws.kms.aliases.get("alias/acme-slack-sandbox-cloudtrail-logs");
    assertEquals(f.aws.kms.keys.get(logKeyId).arn, trail.settings.kmsKeyId());
    assertTrue(trail.logging);
    assertEquals(Set.of(CloudTrailPort.API_CALL_RATE_INSIGHT, CloudTrailPort.API_ERROR_RATE_INSIGHT), trail.insights);
    assertEquals("security", trail.tags.get("team"));
  }

  @Test
  void ensure_twice_secondChangesNothing() {
    ensure();
    f.aws.clearLog();
    assertEquals(List.of(), ensure().changes());
    assertEquals(List.of(), f.aws.writes());
  }

  @Test
  void ensure_insightsOffAndTrailStopped_turnsInsightsOffAndLoggingOn() {
    ensure();
    Fixture off = new Fixture(Fixture.base().insights(false).build());
    f.aws.cloudTrail.trails.get("slack-sandbox-logs").logging = false;
    Calls calls = off.calls("apply");
    new CloudTrailLogging(off.spec, off.names, new KmsKeys(f.aws.ports().kms(), calls, off.linter), f.aws.ports().s3(),
        f.aws.ports().cloudTrail(), calls).ensure(off.doc(PolicyDocuments.LOG_KEY_POLICY), off.doc(PolicyDocuments.BUCKET_POLICY));
    assertEquals(List.of("cloudtrail:PutInsightSelectors", "cloudtrail:StartLogging"), Fixture.calls(calls.changes()));
    assertEquals(Set.of(), f.aws.cloudTrail.trails.get("slack-sandbox-logs").insights);
  }

  @Test
  void ensure_bucketOfAnotherAccount_refusedBeforeAnyBucketWrite() {
    f.aws.s3.addBucket("acme-slack-sandbox-cloudtrail-123456789012", "999988887777");
    ProvisioningException e = assertThrows(ProvisioningException.class, this::ensure);
    assertTrue(e.getMessage().contains("is not in account 123456789012"), e.getMessage());
    assertTrue(f.aws.writes().stream().noneMatch(w -> w.startsWith("s3:")), f.aws.writes().toString());
  }

  @Test
  void verify_afterEnsure_everyCheckPasses() {
    ensure();
    List<Check> checks = verify();
    assertEquals(List.of(), failed(checks), checks.toString());
    assertTrue(checks.size() >= 15, checks.toString());
  }

  @Test
  void verify_nothingThere_reportsEachResourceMissing() {
    assertEquals(List.of("log key exists", "bucket exists", "trail exists"), failed(verify()));
  }

  @Test
  void verify_bucketPolicyChangedAndLoggingStopped_reportsBoth() {
    ensure();
    f.aws.s3.buckets.get("acme-slack-sandbox-cloudtrail-123456789012").policy =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}";
    f.aws.cloudTrail.trails.get("slack-sandbox-logs").logging = false;
    assertEquals(List.of("bucket policy", "trail logging"), failed(verify()));
  }

  @Test
  void destroy_removesTrailBucketWithItsLogFilesAndTheLogKey_leavesOtherBuckets() {
    ensure();
    f.aws.s3.addBucket("other-team-bucket", "123456789012").objects.add("keep.txt");
    FakeS3.Bucket bucket = f.aws.s3.buckets.get("acme-slack-sandbox-cloudtrail-123456789012");
    for (int i = 0; i < 1001; i++) {
      bucket.objects.add("AWSLogs/123456789012/CloudTrail/log-" + i + ".json.gz");
    }
    Calls calls = f.calls("destroy");
    CloudTrailLogging part = part(calls);
    part.destroy();
    part.destroyLogKey(7);
    assertEquals(List.of("cloudtrail:DeleteTrail", "s3:DeleteObjects", "s3:DeleteObjects", "s3:DeleteBucket", "kms:DeleteAlias",
        "kms:ScheduleKeyDeletion"), Fixture.calls(calls.changes()));
    assertEquals(Set.of("other-team-bucket"), f.aws.s3.buckets.keySet());
    assertTrue(f.aws.cloudTrail.trails.isEmpty());
    assertTrue(f.aws.kms.keys.values().stream().allMatch(k -> k.state.equals(KeyInfo.PENDING_DELETION)));
    Calls again = f.calls("destroy");
    part(again).destroy();
    assertEquals(List.of(), again.changes());
  }
}
