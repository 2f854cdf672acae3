package dev.byok.provisioning.internal.aws;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The AWS KMS calls provisioning makes. Every method throws {@link AwsCallException} when the call
 * fails.
 */
public interface KmsPort {
  /** What DescribeKey says of a key. States and specs are the AWS strings ({@code Enabled}, {@code SYMMETRIC_DEFAULT}). */
  record KeyInfo(String keyId, String arn, String state, @Nullable String keySpec, @Nullable String keyUsage,
      @Nullable String description, @Nullable Boolean multiRegion) {
    public static final String ENABLED = "Enabled";
    public static final String DISABLED = "Disabled";
    public static final String PENDING_DELETION = "PendingDeletion";
    public static final String PENDING_REPLICA_DELETION = "PendingReplicaDeletion";
    public static final String SYMMETRIC_DEFAULT = "SYMMETRIC_DEFAULT";
    public static final String ENCRYPT_DECRYPT = "ENCRYPT_DECRYPT";

    /** Whether the key (or its replica) waits for deletion. */
    public boolean pendingDeletion() {
      return state.equals(PENDING_DELETION) || state.equals(PENDING_REPLICA_DELETION);
    }
  }

  /** A symmetric encrypt/decrypt key to create. */
  record NewKey(String policy, String description, boolean multiRegion, Map<String, String> tags) {
    public NewKey {
      tags = Map.copyOf(tags);
    }
  }

  /** Alias name to target key ID, for every alias that has a target. */
  Map<String, String> listAliases();

  /** The IDs of every key in the account and region. */
  List<String> listKeys();

  /**
   * The ARN of one alias or key the endpoint lists (ListAliases, else ListKeys, one page of one),
   * which shows the region and account the endpoint serves; empty when it lists none.
   */
  java.util.Optional<String> anyArn();

  /** A key's tags, key to value. */
  Map<String, String> listResourceTags(String keyId);

  KeyInfo describeKey(String keyId);

  /** Creates a {@code SYMMETRIC_DEFAULT}, {@code ENCRYPT_DECRYPT} key. */
  KeyInfo createKey(NewKey key);

  void createAlias(String alias, String keyId);

  void deleteAlias(String alias);

  /** The key's {@code default} policy, as JSON text. */
  String getKeyPolicy(String keyId);

  void putKeyPolicy(String keyId, String policy);

  boolean getKeyRotationStatus(String keyId);

  void enableKeyRotation(String keyId);

  void disableKeyRotation(String keyId);

  void updateKeyDescription(String keyId, String description);

  void tagResource(String keyId, Map<String, String> tags);

  void enableKey(String keyId);

  void disableKey(String keyId);

  /** Schedules deletion; returns the deletion date when KMS gives one. */
  @Nullable Instant scheduleKeyDeletion(String keyId, int pendingWindowInDays);

  void cancelKeyDeletion(String keyId);
}
