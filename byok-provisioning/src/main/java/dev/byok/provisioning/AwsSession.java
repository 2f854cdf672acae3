package dev.byok.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.core.AwsAccountId;
import dev.byok.core.HandoffBundle;
import dev.byok.core.KeyArn;
import dev.byok.core.ProvisioningException;
import dev.byok.provisioning.internal.Json;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudtrail.model.EventSelector;
import software.amazon.awssdk.services.cloudtrail.model.InsightNotEnabledException;
import software.amazon.awssdk.services.cloudtrail.model.InsightSelector;
import software.amazon.awssdk.services.cloudtrail.model.InsightType;
import software.amazon.awssdk.services.cloudtrail.model.ReadWriteType;
import software.amazon.awssdk.services.cloudtrail.model.Trail;
import software.amazon.awssdk.services.cloudtrail.model.TrailNotFoundException;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.PolicyVersion;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.KeyListEntry;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.Tag;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One operation against AWS: reads state, writes only what differs, records every write. Not
 * thread-safe; a {@link Provisioner} makes a new one per operation.
 */
final class AwsSession {
  /** Tag that finds a key again when its alias was not created (an apply that stopped part-way). */
  static final String ALIAS_TAG = "byok:alias";
  static final String MANAGED_TAG = "byok:managed-by";
  private static final int EXTERNAL_ID_BYTES = 32;
  private static final int MAX_POLICY_VERSIONS = 5;
  private static final PublicAccessBlockConfiguration BLOCK_ALL = PublicAccessBlockConfiguration.builder()
      .blockPublicAcls(true).ignorePublicAcls(true).blockPublicPolicy(true).restrictPublicBuckets(true).build();

  private final ProvisioningSpec spec;
  private final AwsClients aws;
  private final RetryPolicy retry;
  private final SecureRandom random;
  private final List<Change> changes = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private String operation = "apply";
  private ResourceNames names;
  private PolicyLinter linter;
  private Map<String, String> aliases;

  AwsSession(ProvisioningSpec spec, AwsClients aws, RetryPolicy retry, SecureRandom random) {
    this.spec = spec;
    this.aws = aws;
    this.retry = retry;
    this.random = random;
  }

  // ======================= apply =======================

  ChangeReport apply() {
    operation = "apply";
    identify();
    String externalId = spec.vendor().logsViaRole() ? resolveExternalId() : PolicyDocuments.EXTERNAL_ID_PLACEHOLDER;
    PolicyDocuments docs = PolicyDocuments.render(spec, names, externalId);
    linter.check(docs); // every document, before the first write
    KeyRef key = ensureKey("key", names.keyAlias(), docs.get(PolicyDocuments.KEY_POLICY), PolicyDocuments.KEY_POLICY,
        spec.keyDescription(), spec.multiRegionKey(), spec.keyRotation(), true);
    KeyRef logKey = ensureKey("logKey", names.logKeyAlias(), docs.get(PolicyDocuments.LOG_KEY_POLICY), PolicyDocuments.LOG_KEY_POLICY,
        logKeyDescription(), false, true, false);
    ensureBucket(docs.get(PolicyDocuments.BUCKET_POLICY));
    ensureTrail(logKey.arn);
    HandoffBundle bundle = null;
    String summary = null;
    if (spec.vendor().logsViaRole()) {
      ensureLogGroup();
      String policyArn = ensureLogPolicy(docs.get(PolicyDocuments.LOG_POLICY));
      String roleArn = ensureRole(docs.get(PolicyDocuments.TRUST_POLICY), policyArn);
      bundle = HandoffBundle.builder().keyArn(KeyArn.parse(key.arn)).region(spec.region()).roleArn(roleArn)
          .logGroupName(names.logGroupName()).externalId(externalId).vendor(spec.vendor().name()).build();
      summary = VendorSummary.render(spec, names, bundle);
    } else {
      summary = VendorSummary.renderWithoutRole(spec, key.arn);
    }
    return new ChangeReport("apply", names, changes, notes, bundle, summary);
  }

  private String logKeyDescription() {
    return "Encrypts the CloudTrail log files of trail " + names.trailName() + " (BYOK set-up " + names.keyAlias() + "); created by byok";
  }

  private void identify() {
    String account = read("sts:GetCallerIdentity", "caller", () -> aws.sts().getCallerIdentity().account());
    AwsAccountId id = AwsAccountId.of(account);
    if (spec.account().isPresent() && !spec.account().get().equals(id)) {
      throw new ProvisioningException(operation + ": the credentials belong to account " + id + " but the spec names account "
          + spec.account().get() + "; nothing was changed");
    }
    names = ResourceNames.of(spec, id);
    linter = PolicyLinter.forSpec(spec, names, false);
  }

  private String resolveExternalId() {
    if (spec.externalId().isPresent()) {
      return spec.externalId().get();
    }
    Optional<Role> role = role();
    if (role.isPresent()) {
      Optional<String> existing = externalIdOf(Json.parsePolicy(role.get().assumeRolePolicyDocument()));
      if (existing.isPresent()) {
        notes.add("external ID reused from the existing role " + names.roleName());
        return existing.get();
      }
    }
    byte[] b = new byte[EXTERNAL_ID_BYTES];
    random.nextBytes(b);
    notes.add("external ID generated (32 random bytes, hex); it is in the hand-off bundle");
    return HexFormat.of().formatHex(b);
  }

  static Optional<String> externalIdOf(JsonNode trust) {
    for (JsonNode s : trust.path("Statement")) {
      JsonNode v = s.path("Condition").path("StringEquals").get("sts:ExternalId");
      if (v != null && v.isTextual()) {
        return Optional.of(v.asText());
      }
      if (v != null && v.isArray() && v.size() > 0) {
        return Optional.of(v.get(0).asText());
      }
    }
    return Optional.empty();
  }

  // ---- keys ----

  private static final class KeyRef {
    final String id;
    final String arn;

    KeyRef(String id, String arn) {
      this.id = id;
      this.arn = arn;
    }
  }

  private KeyRef ensureKey(String step, String alias, ObjectNode policy, String docName, String description, boolean multiRegion,
      boolean rotation, boolean customerKey) {
    String keyId = aliases().get(alias);
    boolean aliasMissing = keyId == null;
    if (keyId == null) {
      keyId = findKeyByTag(alias).orElse(null);
      if (keyId != null) {
        notes.add("found key " + keyId + " by its " + ALIAS_TAG + " tag (an earlier apply stopped before its alias was created)");
      }
    }
    KeyMetadata md;
    if (keyId == null) {
      List<Tag> tags = new ArrayList<>();
      keyTags(alias).forEach((k, v) -> tags.add(Tag.builder().tagKey(k).tagValue(v).build()));
      String policyText = policy.toString();
      md = write(step, "kms:CreateKey", alias, () -> retryEventualConsistency("kms:CreateKey", false, () -> aws.kms().createKey(r -> r
          .policy(policyText).description(description).keyUsage(KeyUsageType.ENCRYPT_DECRYPT).keySpec(KeySpec.SYMMETRIC_DEFAULT)
          .multiRegion(multiRegion).tags(tags)).keyMetadata()));
      keyId = md.keyId();
    } else {
      String id = keyId;
      md = read("kms:DescribeKey", alias, () -> aws.kms().describeKey(r -> r.keyId(id)).keyMetadata());
      if (md.keyState() == KeyState.PENDING_DELETION || md.keyState() == KeyState.PENDING_REPLICA_DELETION) {
        throw new ProvisioningException(operation + ": key " + md.arn() + " (" + alias + ") is pending deletion; run 'provision restore"
            + " schedule-deletion' to cancel the deletion, or 'provision destroy' and apply again for a new key");
      }
      if (md.keyState() == KeyState.DISABLED) {
        notes.add(alias + " is disabled (a revocation?); apply leaves it disabled; 'provision restore disable' enables it");
      }
      if (md.multiRegion() != null && md.multiRegion() != multiRegion) {
        notes.add(alias + " is " + (md.multiRegion() ? "multi-Region" : "single-Region") + " but the spec asks otherwise; a key's"
            + " Region setting cannot change, so it is kept");
      }
    }
    String id = keyId;
    if (aliasMissing) {
      write(step, "kms:CreateAlias", alias, () -> aws.kms().createAlias(r -> r.aliasName(alias).targetKeyId(id)));
      aliases.put(alias, id);
    }
    JsonNode current = Json.parsePolicy(read("kms:GetKeyPolicy", alias, () -> aws.kms().getKeyPolicy(r -> r.keyId(id).policyName("default")).policy()));
    ObjectNode desired = policy.deepCopy();
    List<String> kept = new ArrayList<>();
    if (customerKey) {
      for (JsonNode s : current.path("Statement")) {
        String sid = s.path("Sid").asText("");
        if (sid.startsWith(PolicyDocuments.REVOKE_SID_PREFIX)) {
          desired.withArray("Statement").add(s);
          kept.add(sid);
        }
      }
    }
    if (!kept.isEmpty()) {
      notes.add("revocation in effect on " + alias + " (" + String.join(", ", kept) + "); apply keeps it; 'provision restore' removes it");
    }
    if (!Json.samePolicy(current, desired)) {
      linter.check(docName, desired);
      String text = desired.toString();
      write(step, "kms:PutKeyPolicy", alias, () -> retryEventualConsistency("kms:PutKeyPolicy", false,
          () -> aws.kms().putKeyPolicy(r -> r.keyId(id).policyName("default").policy(text))));
    }
    boolean on = read("kms:GetKeyRotationStatus", alias, () -> aws.kms().getKeyRotationStatus(r -> r.keyId(id)).keyRotationEnabled());
    if (rotation && !on) {
      write(step, "kms:EnableKeyRotation", alias, () -> aws.kms().enableKeyRotation(r -> r.keyId(id)));
    } else if (!rotation && on) {
      write(step, "kms:DisableKeyRotation", alias, () -> aws.kms().disableKeyRotation(r -> r.keyId(id)));
    }
    if (!Objects.equals(md.description(), description)) {
      write(step, "kms:UpdateKeyDescription", alias, () -> aws.kms().updateKeyDescription(r -> r.keyId(id).description(description)));
    }
    Map<String, String> have = new HashMap<>();
    read("kms:ListResourceTags", alias, () -> aws.kms().listResourceTags(r -> r.keyId(id)).tags())
        .forEach(t -> have.put(t.tagKey(), t.tagValue()));
    List<Tag> missing = new ArrayList<>();
    keyTags(alias).forEach((k, v) -> {
      if (!v.equals(have.get(k))) {
        missing.add(Tag.builder().tagKey(k).tagValue(v).build());
      }
    });
    if (!missing.isEmpty()) {
      write(step, "kms:TagResource", alias, () -> aws.kms().tagResource(r -> r.keyId(id).tags(missing)));
    }
    return new KeyRef(keyId, md.arn());
  }

  private Map<String, String> keyTags(String alias) {
    Map<String, String> t = new LinkedHashMap<>(spec.tags());
    t.put(ALIAS_TAG, alias);
    t.put(MANAGED_TAG, "byok");
    return t;
  }

  private Map<String, String> aliases() {
    if (aliases == null) {
      Map<String, String> m = new HashMap<>();
      read("kms:ListAliases", "account", () -> {
        for (AliasListEntry a : aws.kms().listAliasesPaginator(r -> { }).aliases()) {
          if (a.targetKeyId() != null) {
            m.put(a.aliasName(), a.targetKeyId());
          }
        }
        return m;
      });
      aliases = m;
    }
    return aliases;
  }

  /** Keys tagged for {@code alias} that are not pending deletion (the first found). */
  private Optional<String> findKeyByTag(String alias) {
    List<String> found = keysTagged(alias, false);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  private List<String> keysTagged(String alias, boolean includePendingDeletion) {
    return read("kms:ListKeys", "account", () -> {
      List<String> out = new ArrayList<>();
      for (KeyListEntry k : aws.kms().listKeysPaginator(r -> { }).keys()) {
        try {
          boolean tagged = aws.kms().listResourceTags(r -> r.keyId(k.keyId())).tags().stream()
              .anyMatch(t -> t.tagKey().equals(ALIAS_TAG) && t.tagValue().equals(alias));
          if (!tagged) {
            continue;
          }
          KeyState state = aws.kms().describeKey(r -> r.keyId(k.keyId())).keyMetadata().keyState();
          if (includePendingDeletion || (state != KeyState.PENDING_DELETION && state != KeyState.PENDING_REPLICA_DELETION)) {
            out.add(k.keyId());
          }
        } catch (KmsException e) {
          // Keys we may not read (AWS managed keys, other teams' keys) are not ours.
        }
      }
      return out;
    });
  }

  // ---- bucket ----

  private boolean bucketExists() {
    String bucket = names.bucketName();
    try {
      aws.s3().headBucket(r -> r.bucket(bucket).expectedBucketOwner(names.account()));
      return true;
    } catch (NoSuchBucketException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      if (e.statusCode() == 403) {
        throw new ProvisioningException(operation + ": bucket " + bucket + " exists but is not in account " + names.account()
            + " (or may not be read); choose another name with bucketName / --bucket");
      }
      throw failure("s3:HeadBucket", bucket, e);
    } catch (SdkException e) {
      throw failure("s3:HeadBucket", bucket, e);
    }
  }

  private void ensureBucket(ObjectNode policy) {
    String bucket = names.bucketName();
    if (!bucketExists()) {
      write("bucket", "s3:CreateBucket", bucket, () -> aws.s3().createBucket(r -> {
        r.bucket(bucket);
        if (!spec.region().equals("us-east-1")) {
          r.createBucketConfiguration(c -> c.locationConstraint(spec.region()));
        }
      }));
    }
    PublicAccessBlockConfiguration pab = read("s3:GetPublicAccessBlock", bucket, () -> {
      try {
        return aws.s3().getPublicAccessBlock(r -> r.bucket(bucket)).publicAccessBlockConfiguration();
      } catch (S3Exception e) {
        if (e.statusCode() == 404) {
          return null;
        }
        throw e;
      }
    });
    if (pab == null || !BLOCK_ALL.equals(pab)) {
      write("bucket", "s3:PutPublicAccessBlock", bucket, () -> aws.s3().putPublicAccessBlock(r -> r.bucket(bucket).publicAccessBlockConfiguration(BLOCK_ALL)));
    }
    JsonNode current = bucketPolicy();
    if (current == null || !Json.samePolicy(current, policy)) {
      String text = policy.toString();
      write("bucket", "s3:PutBucketPolicy", bucket, () -> aws.s3().putBucketPolicy(r -> r.bucket(bucket).policy(text)));
    }
  }

  private JsonNode bucketPolicy() {
    String bucket = names.bucketName();
    return read("s3:GetBucketPolicy", bucket, () -> {
      try {
        return Json.parsePolicy(aws.s3().getBucketPolicy(r -> r.bucket(bucket)).policy());
      } catch (S3Exception e) {
        if (e.statusCode() == 404) {
          return null;
        }
        throw e;
      }
    });
  }

  // ---- trail ----

  private Optional<Trail> trail() {
    return read("cloudtrail:GetTrail", names.trailName(), () -> {
      try {
        return Optional.of(aws.cloudTrail().getTrail(r -> r.name(names.trailName())).trail());
      } catch (TrailNotFoundException e) {
        return Optional.<Trail>empty();
      }
    });
  }

  private void ensureTrail(String logKeyArn) {
    String name = names.trailName();
    Optional<Trail> t = trail();
    if (t.isEmpty()) {
      List<software.amazon.awssdk.services.cloudtrail.model.Tag> tags = new ArrayList<>();
      spec.tags().forEach((k, v) -> tags.add(software.amazon.awssdk.services.cloudtrail.model.Tag.builder().key(k).value(v).build()));
      write("trail", "cloudtrail:CreateTrail", name, () -> aws.cloudTrail().createTrail(r -> r.name(name).s3BucketName(names.bucketName())
          .kmsKeyId(logKeyArn).isMultiRegionTrail(spec.multiRegionTrail()).includeGlobalServiceEvents(true)
          .enableLogFileValidation(true).tagsList(tags.isEmpty() ? null : tags)));
    } else {
      Trail tr = t.get();
      boolean same = names.bucketName().equals(tr.s3BucketName()) && logKeyArn.equals(tr.kmsKeyId())
          && Boolean.valueOf(spec.multiRegionTrail()).equals(tr.isMultiRegionTrail()) && Boolean.TRUE.equals(tr.logFileValidationEnabled());
      if (!same) {
        write("trail", "cloudtrail:UpdateTrail", name, () -> aws.cloudTrail().updateTrail(r -> r.name(name).s3BucketName(names.bucketName())
            .kmsKeyId(logKeyArn).isMultiRegionTrail(spec.multiRegionTrail()).includeGlobalServiceEvents(true).enableLogFileValidation(true)));
      }
    }
    if (!managementEventsOn()) {
      write("trail", "cloudtrail:PutEventSelectors", name, () -> aws.cloudTrail().putEventSelectors(r -> r.trailName(name)
          .eventSelectors(EventSelector.builder().readWriteType(ReadWriteType.ALL).includeManagementEvents(true).build())));
    }
    Set<InsightType> want = spec.insights() ? EnumSet.of(InsightType.API_CALL_RATE_INSIGHT, InsightType.API_ERROR_RATE_INSIGHT)
        : EnumSet.noneOf(InsightType.class);
    if (!insights().equals(want)) {
      List<InsightSelector> sel = want.stream().map(i -> InsightSelector.builder().insightType(i).build()).collect(Collectors.toList());
      write("trail", "cloudtrail:PutInsightSelectors", name, () -> aws.cloudTrail().putInsightSelectors(r -> r.trailName(name).insightSelectors(sel)));
    }
    if (!logging()) {
      write("trail", "cloudtrail:StartLogging", name, () -> aws.cloudTrail().startLogging(r -> r.name(name)));
    }
  }

  private boolean managementEventsOn() {
    return read("cloudtrail:GetEventSelectors", names.trailName(), () -> aws.cloudTrail().getEventSelectors(r -> r.trailName(names.trailName()))
        .eventSelectors().stream().anyMatch(s -> Boolean.TRUE.equals(s.includeManagementEvents()) && s.readWriteType() == ReadWriteType.ALL));
  }

  private Set<InsightType> insights() {
    return read("cloudtrail:GetInsightSelectors", names.trailName(), () -> {
      Set<InsightType> have = EnumSet.noneOf(InsightType.class);
      try {
        aws.cloudTrail().getInsightSelectors(r -> r.trailName(names.trailName())).insightSelectors().forEach(s -> have.add(s.insightType()));
      } catch (InsightNotEnabledException e) {
        // none
      }
      return have;
    });
  }

  private boolean logging() {
    return read("cloudtrail:GetTrailStatus", names.trailName(),
        () -> Boolean.TRUE.equals(aws.cloudTrail().getTrailStatus(r -> r.name(names.trailName())).isLogging()));
  }

  // ---- log group, IAM policy, role ----

  private Optional<LogGroup> logGroup() {
    String name = names.logGroupName();
    return read("logs:DescribeLogGroups", name, () -> aws.logs().describeLogGroups(r -> r.logGroupNamePrefix(name)).logGroups().stream()
        .filter(g -> g.logGroupName().equals(name)).findFirst());
  }

  private void ensureLogGroup() {
    String name = names.logGroupName();
    Optional<LogGroup> g = logGroup();
    if (g.isEmpty()) {
      write("logGroup", "logs:CreateLogGroup", name, () -> aws.logs().createLogGroup(r -> r.logGroupName(name).tags(spec.tags().isEmpty() ? null : spec.tags())));
    }
    Integer have = g.map(LogGroup::retentionInDays).orElse(null);
    spec.logRetentionDays().ifPresent(d -> {
      if (!d.equals(have)) {
        write("logGroup", "logs:PutRetentionPolicy", name, () -> aws.logs().putRetentionPolicy(r -> r.logGroupName(name).retentionInDays(d)));
      }
    });
  }

  private Optional<JsonNode> logPolicyDocument() {
    String arn = names.logPolicyArn();
    return read("iam:GetPolicy", names.logPolicyName(), () -> {
      try {
        String v = aws.iam().getPolicy(r -> r.policyArn(arn)).policy().defaultVersionId();
        return Optional.of(Json.parsePolicy(aws.iam().getPolicyVersion(r -> r.policyArn(arn).versionId(v)).policyVersion().document()));
      } catch (NoSuchEntityException e) {
        return Optional.<JsonNode>empty();
      }
    });
  }

  private String ensureLogPolicy(ObjectNode policy) {
    String arn = names.logPolicyArn();
    String text = policy.toString();
    Optional<JsonNode> current = logPolicyDocument();
    if (current.isEmpty()) {
      List<software.amazon.awssdk.services.iam.model.Tag> tags = iamTags();
      return write("logPolicy", "iam:CreatePolicy", names.logPolicyName(), () -> aws.iam().createPolicy(r -> r.policyName(names.logPolicyName())
          .policyDocument(text).description("Lets the vendor write key-use logs to " + names.logGroupName() + " (byok)")
          .tags(tags.isEmpty() ? null : tags)).policy().arn());
    }
    if (!Json.samePolicy(current.get(), policy)) {
      List<PolicyVersion> versions = read("iam:ListPolicyVersions", names.logPolicyName(), () -> aws.iam().listPolicyVersions(r -> r.policyArn(arn)).versions());
      if (versions.size() >= MAX_POLICY_VERSIONS) {
        PolicyVersion oldest = versions.stream().filter(v -> !Boolean.TRUE.equals(v.isDefaultVersion()))
            .min((a, b) -> a.createDate().compareTo(b.createDate())).orElseThrow();
        write("logPolicy", "iam:DeletePolicyVersion", names.logPolicyName() + " " + oldest.versionId(),
            () -> aws.iam().deletePolicyVersion(r -> r.policyArn(arn).versionId(oldest.versionId())));
      }
      write("logPolicy", "iam:CreatePolicyVersion", names.logPolicyName(), () -> aws.iam().createPolicyVersion(r -> r.policyArn(arn)
          .policyDocument(text).setAsDefault(true)));
    }
    return arn;
  }

  private List<software.amazon.awssdk.services.iam.model.Tag> iamTags() {
    List<software.amazon.awssdk.services.iam.model.Tag> tags = new ArrayList<>();
    spec.tags().forEach((k, v) -> tags.add(software.amazon.awssdk.services.iam.model.Tag.builder().key(k).value(v).build()));
    return tags;
  }

  private Optional<Role> role() {
    return read("iam:GetRole", names.roleName(), () -> {
      try {
        return Optional.of(aws.iam().getRole(r -> r.roleName(names.roleName())).role());
      } catch (NoSuchEntityException e) {
        return Optional.<Role>empty();
      }
    });
  }

  private String ensureRole(ObjectNode trust, String policyArn) {
    String name = names.roleName();
    String text = trust.toString();
    Optional<Role> role = role();
    String arn;
    if (role.isEmpty()) {
      List<software.amazon.awssdk.services.iam.model.Tag> tags = iamTags();
      arn = write("logRole", "iam:CreateRole", name, () -> retryEventualConsistency("iam:CreateRole", false, () -> aws.iam().createRole(r -> r
          .roleName(name).assumeRolePolicyDocument(text).description("The vendor assumes this role (with the external ID) to write key-use logs to "
              + names.logGroupName() + " (byok)").tags(tags.isEmpty() ? null : tags)).role().arn()));
    } else {
      arn = role.get().arn();
      if (!Json.samePolicy(Json.parsePolicy(role.get().assumeRolePolicyDocument()), trust)) {
        write("logRole", "iam:UpdateAssumeRolePolicy", name, () -> retryEventualConsistency("iam:UpdateAssumeRolePolicy", false,
            () -> aws.iam().updateAssumeRolePolicy(r -> r.roleName(name).policyDocument(text))));
      }
    }
    if (!attached(policyArn)) {
      write("logRole", "iam:AttachRolePolicy", name + " <- " + names.logPolicyName(), () -> retryEventualConsistency("iam:AttachRolePolicy", true,
          () -> aws.iam().attachRolePolicy(r -> r.roleName(name).policyArn(policyArn))));
    }
    return arn;
  }

  private boolean attached(String policyArn) {
    return read("iam:ListAttachedRolePolicies", names.roleName(), () -> aws.iam().listAttachedRolePolicies(r -> r.roleName(names.roleName()))
        .attachedPolicies().stream().anyMatch(p -> p.policyArn().equals(policyArn)));
  }

  // ======================= verify =======================

  VerifyReport verify() {
    operation = "verify";
    identify();
    List<Check> checks = new ArrayList<>();
    String keyId = aliases().get(names.keyAlias());
    Optional<String> externalId = spec.externalId();
    if (externalId.isEmpty() && spec.vendor().logsViaRole()) {
      externalId = role().flatMap(r -> externalIdOf(Json.parsePolicy(r.assumeRolePolicyDocument())));
    }
    PolicyDocuments docs = PolicyDocuments.render(spec, names, externalId.orElse(PolicyDocuments.EXTERNAL_ID_PLACEHOLDER));
    checks.add(new Check("key exists", keyId != null, keyId != null ? names.keyAlias() + " -> " + keyId : "no alias " + names.keyAlias()));
    String logKeyArn = null;
    if (keyId != null) {
      verifyKey(checks, "key", keyId, docs.get(PolicyDocuments.KEY_POLICY), PolicyDocuments.KEY_POLICY, spec.keyRotation());
    }
    String logKeyId = aliases().get(names.logKeyAlias());
    checks.add(new Check("log key exists", logKeyId != null, logKeyId != null ? names.logKeyAlias() + " -> " + logKeyId : "no alias " + names.logKeyAlias()));
    if (logKeyId != null) {
      logKeyArn = verifyKey(checks, "log key", logKeyId, docs.get(PolicyDocuments.LOG_KEY_POLICY), PolicyDocuments.LOG_KEY_POLICY, true);
    }
    boolean bucket = bucketExists();
    checks.add(new Check("bucket exists", bucket, names.bucketName()));
    if (bucket) {
      JsonNode bp = bucketPolicy();
      checks.add(new Check("bucket policy", bp != null && Json.samePolicy(bp, docs.get(PolicyDocuments.BUCKET_POLICY)),
          bp == null ? "no bucket policy" : Json.samePolicy(bp, docs.get(PolicyDocuments.BUCKET_POLICY))
              ? "GetBucketAcl and PutObject (bucket-owner-full-control) for the trail only, TLS only" : "differs from the plan"));
    }
    Optional<Trail> trail = trail();
    checks.add(new Check("trail exists", trail.isPresent(), names.trailName()));
    if (trail.isPresent()) {
      Trail t = trail.get();
      checks.add(new Check("trail bucket", names.bucketName().equals(t.s3BucketName()), "s3 bucket " + t.s3BucketName()));
      checks.add(new Check("trail log encryption", logKeyArn != null && logKeyArn.equals(t.kmsKeyId()), "SSE-KMS key " + t.kmsKeyId()));
      checks.add(new Check("trail logging", logging(), "IsLogging"));
      checks.add(new Check("trail management events", managementEventsOn(), "read and write management events"));
      if (spec.insights()) {
        Set<InsightType> have = insights();
        checks.add(new Check("trail insights", have.contains(InsightType.API_CALL_RATE_INSIGHT) && have.contains(InsightType.API_ERROR_RATE_INSIGHT),
            "insight selectors " + have));
      }
    }
    if (spec.vendor().logsViaRole()) {
      Optional<LogGroup> g = logGroup();
      checks.add(new Check("log group exists", g.isPresent(), names.logGroupName()));
      if (g.isPresent() && spec.logRetentionDays().isPresent()) {
        checks.add(new Check("log group retention", spec.logRetentionDays().get().equals(g.get().retentionInDays()),
            "retention " + g.get().retentionInDays() + " days"));
      }
      Optional<JsonNode> lp = logPolicyDocument();
      checks.add(new Check("log policy", lp.isPresent() && Json.samePolicy(lp.get(), docs.get(PolicyDocuments.LOG_POLICY)),
          lp.isEmpty() ? "no policy " + names.logPolicyName() : "the guide's four actions on " + names.logGroupName() + " and its streams"
              + (Json.samePolicy(lp.get(), docs.get(PolicyDocuments.LOG_POLICY)) ? "" : ": differs from the plan")));
      Optional<Role> role = role();
      checks.add(new Check("log role exists", role.isPresent(), names.roleName()));
      if (role.isPresent()) {
        JsonNode trust = Json.parsePolicy(role.get().assumeRolePolicyDocument());
        boolean same = externalId.isPresent() && Json.samePolicy(trust, docs.get(PolicyDocuments.TRUST_POLICY));
        checks.add(new Check("log role trust", same, same ? "vendor accounts " + spec.vendorAccounts() + " with sts:ExternalId"
            : externalId.isEmpty() ? "no sts:ExternalId condition" : "differs from the plan"));
        checks.add(new Check("log role policy attached", attached(names.logPolicyArn()), names.logPolicyName() + " on " + names.roleName()));
      }
    }
    return new VerifyReport(checks);
  }

  private String verifyKey(List<Check> checks, String label, String keyId, ObjectNode expected, String docName, boolean rotation) {
    KeyMetadata md = read("kms:DescribeKey", keyId, () -> aws.kms().describeKey(r -> r.keyId(keyId)).keyMetadata());
    checks.add(new Check(label + " enabled", md.keyState() == KeyState.ENABLED, "state " + md.keyStateAsString()));
    checks.add(new Check(label + " type", md.keySpec() == KeySpec.SYMMETRIC_DEFAULT && md.keyUsage() == KeyUsageType.ENCRYPT_DECRYPT,
        md.keySpecAsString() + ", " + md.keyUsageAsString()));
    boolean on = read("kms:GetKeyRotationStatus", keyId, () -> aws.kms().getKeyRotationStatus(r -> r.keyId(keyId)).keyRotationEnabled());
    checks.add(new Check(label + " rotation", on == rotation, "automatic rotation " + (on ? "on" : "off")));
    JsonNode policy = Json.parsePolicy(read("kms:GetKeyPolicy", keyId, () -> aws.kms().getKeyPolicy(r -> r.keyId(keyId).policyName("default")).policy()));
    Map<String, JsonNode> have = new LinkedHashMap<>();
    for (JsonNode s : policy.path("Statement")) {
      have.put(s.path("Sid").asText(""), s);
    }
    for (JsonNode s : expected.path("Statement")) {
      String sid = s.path("Sid").asText();
      JsonNode h = have.get(sid);
      boolean same = h != null && Json.normalizeStatement(h).equals(Json.normalizeStatement(s));
      checks.add(new Check(label + " policy statement " + sid, same, h == null ? "missing" : same ? "as planned" : "differs from the plan"));
    }
    List<String> revokes = have.keySet().stream().filter(s -> s.startsWith(PolicyDocuments.REVOKE_SID_PREFIX)).collect(Collectors.toList());
    if (docName.equals(PolicyDocuments.KEY_POLICY)) {
      checks.add(new Check(label + " policy has no revocation", revokes.isEmpty(), revokes.isEmpty() ? "none" : "revoke statements " + revokes));
    }
    List<LintFinding> lint = linter.lint(docName, policy);
    checks.add(new Check(label + " policy lint", lint.isEmpty(), lint.isEmpty() ? "no findings" : lint.get(0).toString()));
    return md.arn();
  }

  // ======================= revoke / restore =======================

  private String requireKey() {
    String keyId = aliases().get(names.keyAlias());
    if (keyId == null) {
      throw new ProvisioningException(operation + ": no key with alias " + names.keyAlias() + " in account " + names.account() + "; run apply first");
    }
    return keyId;
  }

  ChangeReport revoke(Revocation r) {
    operation = "revoke";
    identify();
    String keyId = requireKey();
    String alias = names.keyAlias();
    switch (r.mode()) {
      case DISABLE: {
        KeyState s = keyState(keyId);
        if (s == KeyState.ENABLED) {
          write("revoke", "kms:DisableKey", alias, () -> aws.kms().disableKey(q -> q.keyId(keyId)));
        } else {
          notes.add(alias + " is already " + s);
        }
        break;
      }
      case SCHEDULE_DELETION: {
        KeyState s = keyState(keyId);
        if (s == KeyState.PENDING_DELETION) {
          notes.add(alias + " is already pending deletion");
        } else {
          String when = write("revoke", "kms:ScheduleKeyDeletion", alias + " (" + r.deletionDays() + " days)",
              () -> String.valueOf(aws.kms().scheduleKeyDeletion(q -> q.keyId(keyId).pendingWindowInDays(r.deletionDays())).deletionDate()));
          notes.add(alias + " will be deleted at " + when + " unless 'provision restore schedule-deletion' cancels it");
        }
        break;
      }
      default: {
        ObjectNode add = r.mode() == Revocation.Mode.DENY_VENDOR ? PolicyDocuments.denyVendorStatement(spec)
            : PolicyDocuments.denyScopeStatement(spec, r.scopeKey().orElseThrow(), r.scopeValue().orElseThrow());
        ObjectNode policy = (ObjectNode) keyPolicy(keyId);
        ArrayNode st = policy.withArray("Statement");
        String sid = add.get("Sid").asText();
        for (int i = 0; i < st.size(); i++) {
          if (sid.equals(st.get(i).path("Sid").asText())) {
            if (Json.normalizeStatement(st.get(i)).equals(Json.normalizeStatement(add))) {
              notes.add(sid + " is already in the key policy of " + alias);
              return new ChangeReport(operation, names, changes, notes, null, null);
            }
            st.remove(i);
            break;
          }
        }
        st.add(add);
        putKeyPolicy("revoke", keyId, policy);
      }
    }
    return new ChangeReport(operation, names, changes, notes, null, null);
  }

  ChangeReport restore(Revocation r) {
    operation = "restore";
    identify();
    String keyId = requireKey();
    String alias = names.keyAlias();
    Revocation.Mode mode = r == null ? null : r.mode();
    // Policy first: moto applies a Deny on kms:DescribeKey to every caller (it ignores principals).
    if (mode == null || mode == Revocation.Mode.DENY_VENDOR || mode == Revocation.Mode.DENY_SCOPE) {
      ObjectNode policy = (ObjectNode) keyPolicy(keyId);
      ArrayNode st = policy.withArray("Statement");
      List<String> removed = new ArrayList<>();
      for (int i = st.size() - 1; i >= 0; i--) {
        String sid = st.get(i).path("Sid").asText("");
        boolean match;
        if (mode == null) {
          match = sid.startsWith(PolicyDocuments.REVOKE_SID_PREFIX);
        } else if (mode == Revocation.Mode.DENY_VENDOR) {
          match = sid.equals(PolicyDocuments.SID_DENY_VENDOR);
        } else if (r.scopeKey().isPresent()) {
          match = sid.equals(PolicyDocuments.denyScopeSid(r.scopeKey().get(), r.scopeValue().get()));
        } else {
          match = sid.startsWith(PolicyDocuments.SID_DENY_SCOPE_PREFIX);
        }
        if (match) {
          removed.add(sid);
          st.remove(i);
        }
      }
      if (removed.isEmpty()) {
        notes.add("no " + (mode == null ? "revoke" : r.toString()) + " statement in the key policy of " + alias);
      } else {
        putKeyPolicy("restore", keyId, policy);
        notes.add("removed " + removed + " from the key policy of " + alias);
      }
    }
    if (mode == null || mode == Revocation.Mode.SCHEDULE_DELETION || mode == Revocation.Mode.DISABLE) {
      KeyState s = keyState(keyId);
      if (s == KeyState.PENDING_DELETION && (mode == null || mode == Revocation.Mode.SCHEDULE_DELETION)) {
        write("restore", "kms:CancelKeyDeletion", alias, () -> aws.kms().cancelKeyDeletion(q -> q.keyId(keyId)));
        s = KeyState.DISABLED; // CancelKeyDeletion leaves the key disabled
      } else if (s == KeyState.PENDING_DELETION) {
        throw new ProvisioningException("restore: " + alias + " is pending deletion; run 'provision restore schedule-deletion' first");
      }
      if (s == KeyState.DISABLED) {
        write("restore", "kms:EnableKey", alias, () -> aws.kms().enableKey(q -> q.keyId(keyId)));
      } else if (mode != null) {
        notes.add(alias + " is " + s + "; nothing to undo for " + r);
      }
    }
    return new ChangeReport(operation, names, changes, notes, null, null);
  }

  private KeyState keyState(String keyId) {
    return read("kms:DescribeKey", names.keyAlias(), () -> aws.kms().describeKey(q -> q.keyId(keyId)).keyMetadata().keyState());
  }

  private JsonNode keyPolicy(String keyId) {
    return Json.parsePolicy(read("kms:GetKeyPolicy", names.keyAlias(), () -> aws.kms().getKeyPolicy(q -> q.keyId(keyId).policyName("default")).policy()));
  }

  private void putKeyPolicy(String step, String keyId, ObjectNode policy) {
    linter.check(PolicyDocuments.KEY_POLICY, policy);
    String text = policy.toString();
    write(step, "kms:PutKeyPolicy", names.keyAlias(), () -> retryEventualConsistency("kms:PutKeyPolicy", false,
        () -> aws.kms().putKeyPolicy(q -> q.keyId(keyId).policyName("default").policy(text))));
  }

  // ======================= destroy =======================

  ChangeReport destroy(int days) {
    operation = "destroy";
    identify();
    String trailName = names.trailName();
    if (trail().isPresent()) {
      write("trail", "cloudtrail:DeleteTrail", trailName, () -> aws.cloudTrail().deleteTrail(r -> r.name(trailName)));
    }
    String bucket = names.bucketName();
    if (bucketExists()) {
      List<S3Object> objects = new ArrayList<>();
      read("s3:ListObjectsV2", bucket, () -> {
        aws.s3().listObjectsV2Paginator(r -> r.bucket(bucket)).contents().forEach(objects::add);
        return objects;
      });
      for (int i = 0; i < objects.size(); i += 1000) {
        List<ObjectIdentifier> ids = objects.subList(i, Math.min(objects.size(), i + 1000)).stream()
            .map(o -> ObjectIdentifier.builder().key(o.key()).build()).collect(Collectors.toList());
        write("bucket", "s3:DeleteObjects", bucket + " (" + ids.size() + " log files)", () -> aws.s3().deleteObjects(r -> r.bucket(bucket)
            .delete(d -> d.objects(ids))));
      }
      write("bucket", "s3:DeleteBucket", bucket, () -> aws.s3().deleteBucket(r -> r.bucket(bucket)));
    }
    if (role().isPresent()) {
      String role = names.roleName();
      List<String> attachedArns = read("iam:ListAttachedRolePolicies", role, () -> aws.iam().listAttachedRolePolicies(r -> r.roleName(role))
          .attachedPolicies().stream().map(p -> p.policyArn()).collect(Collectors.toList()));
      for (String p : attachedArns) {
        write("logRole", "iam:DetachRolePolicy", role + " <- " + p, () -> aws.iam().detachRolePolicy(r -> r.roleName(role).policyArn(p)));
      }
      write("logRole", "iam:DeleteRole", role, () -> aws.iam().deleteRole(r -> r.roleName(role)));
    }
    if (logPolicyDocument().isPresent()) {
      String arn = names.logPolicyArn();
      List<PolicyVersion> versions = read("iam:ListPolicyVersions", names.logPolicyName(), () -> aws.iam().listPolicyVersions(r -> r.policyArn(arn)).versions());
      for (PolicyVersion v : versions) {
        if (!Boolean.TRUE.equals(v.isDefaultVersion())) {
          write("logPolicy", "iam:DeletePolicyVersion", names.logPolicyName() + " " + v.versionId(),
              () -> aws.iam().deletePolicyVersion(r -> r.policyArn(arn).versionId(v.versionId())));
        }
      }
      write("logPolicy", "iam:DeletePolicy", names.logPolicyName(), () -> aws.iam().deletePolicy(r -> r.policyArn(arn)));
    }
    if (logGroup().isPresent()) {
      write("logGroup", "logs:DeleteLogGroup", names.logGroupName(), () -> aws.logs().deleteLogGroup(r -> r.logGroupName(names.logGroupName())));
    }
    for (String alias : List.of(names.keyAlias(), names.logKeyAlias())) {
      String keyId = aliases().get(alias);
      if (keyId != null) {
        write("key", "kms:DeleteAlias", alias, () -> aws.kms().deleteAlias(r -> r.aliasName(alias)));
      }
      List<String> keys = new ArrayList<>(keysTagged(alias, false));
      if (keyId != null && !keys.contains(keyId) && keyState(keyId) != KeyState.PENDING_DELETION) {
        keys.add(keyId);
      }
      for (String k : keys) {
        write("key", "kms:ScheduleKeyDeletion", alias + " key " + k + " (" + days + " days)",
            () -> aws.kms().scheduleKeyDeletion(r -> r.keyId(k).pendingWindowInDays(days)));
      }
    }
    notes.add("keys are deleted after the " + days + "-day waiting period; until then kms:CancelKeyDeletion can bring them back");
    return new ChangeReport(operation, names, changes, notes, null, null);
  }

  // ======================= calls =======================

  private <T> T read(String call, String resource, Supplier<T> action) {
    try {
      return action.get();
    } catch (SdkException e) {
      throw failure(call, resource, e);
    }
  }

  private void write(String step, String call, String resource, Runnable action) {
    write(step, call, resource, () -> {
      action.run();
      return null;
    });
  }

  private <T> T write(String step, String call, String resource, Supplier<T> action) {
    T result;
    try {
      result = action.get();
    } catch (SdkException e) {
      throw failure(call, resource, e);
    }
    changes.add(new Change(step, call, resource));
    return result;
  }

  private ProvisioningException failure(String call, String resource, SdkException e) {
    String detail;
    if (e instanceof AwsServiceException && ((AwsServiceException) e).awsErrorDetails() != null) {
      AwsServiceException a = (AwsServiceException) e;
      detail = a.awsErrorDetails().errorCode() + ": " + a.awsErrorDetails().errorMessage();
    } else {
      detail = e.getMessage();
    }
    String resume = operation.equals("verify") ? "" : "; " + changes.size() + (changes.size() == 1 ? " change" : " changes")
        + " made before it; run " + operation + " again to resume";
    return new ProvisioningException(operation + " stopped at " + call + " " + resource + ": " + detail + resume, e);
  }

  private <T> T retryEventualConsistency(String call, boolean notFoundToo, Supplier<T> action) {
    return EventualConsistencyRetry.call(retry, call, notFoundToo, action);
  }

  private <T> T retryEventualConsistency(String call, boolean notFoundToo, Runnable action) {
    return retryEventualConsistency(call, notFoundToo, () -> {
      action.run();
      return null;
    });
  }
}
