package dev.byok.provisioning.internal.aws;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.KeyListEntry;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.Tag;

/** {@link KmsPort} on the SDK's {@link KmsClient}. Thread-safe like the client. */
final class SdkKms implements KmsPort {
  private static final String DEFAULT_POLICY = "default";
  private final KmsClient kms;

  SdkKms(KmsClient kms) {
    this.kms = kms;
  }

  private static KeyInfo info(KeyMetadata md) {
    return new KeyInfo(md.keyId(), md.arn(), String.valueOf(md.keyStateAsString()), md.keySpecAsString(), md.keyUsageAsString(),
        md.description(), md.multiRegion());
  }

  private static List<Tag> tags(Map<String, String> tags) {
    List<Tag> out = new ArrayList<>();
    tags.forEach((k, v) -> out.add(Tag.builder().tagKey(k).tagValue(v).build()));
    return out;
  }

  @Override
  public Map<String, String> listAliases() {
    return Sdk.call(() -> {
      Map<String, String> m = new LinkedHashMap<>();
      for (AliasListEntry a : kms.listAliasesPaginator(r -> { }).aliases()) {
        if (a.targetKeyId() != null) {
          m.put(a.aliasName(), a.targetKeyId());
        }
      }
      return m;
    });
  }

  @Override
  public java.util.Optional<String> anyArn() {
    return Sdk.call(() -> {
      for (AliasListEntry a : kms.listAliases(r -> r.limit(1)).aliases()) {
        if (a.aliasArn() != null) {
          return java.util.Optional.of(a.aliasArn());
        }
      }
      for (KeyListEntry k : kms.listKeys(r -> r.limit(1)).keys()) {
        if (k.keyArn() != null) {
          return java.util.Optional.of(k.keyArn());
        }
      }
      return java.util.Optional.<String>empty();
    });
  }

  @Override
  public List<String> listKeys() {
    return Sdk.call(() -> {
      List<String> out = new ArrayList<>();
      for (KeyListEntry k : kms.listKeysPaginator(r -> { }).keys()) {
        out.add(k.keyId());
      }
      return out;
    });
  }

  @Override
  public Map<String, String> listResourceTags(String keyId) {
    return Sdk.call(() -> {
      Map<String, String> m = new LinkedHashMap<>();
      kms.listResourceTags(r -> r.keyId(keyId)).tags().forEach(t -> m.put(t.tagKey(), t.tagValue()));
      return m;
    });
  }

  @Override
  public KeyInfo describeKey(String keyId) {
    return Sdk.call(() -> info(kms.describeKey(r -> r.keyId(keyId)).keyMetadata()));
  }

  @Override
  public KeyInfo createKey(NewKey key) {
    return Sdk.call(() -> info(kms.createKey(r -> r.policy(key.policy()).description(key.description())
        .keyUsage(KeyUsageType.ENCRYPT_DECRYPT).keySpec(KeySpec.SYMMETRIC_DEFAULT).multiRegion(key.multiRegion())
        .tags(tags(key.tags()))).keyMetadata()));
  }

  @Override
  public void createAlias(String alias, String keyId) {
    Sdk.run(() -> kms.createAlias(r -> r.aliasName(alias).targetKeyId(keyId)));
  }

  @Override
  public void deleteAlias(String alias) {
    Sdk.run(() -> kms.deleteAlias(r -> r.aliasName(alias)));
  }

  @Override
  public String getKeyPolicy(String keyId) {
    return Sdk.call(() -> kms.getKeyPolicy(r -> r.keyId(keyId).policyName(DEFAULT_POLICY)).policy());
  }

  @Override
  public void putKeyPolicy(String keyId, String policy) {
    Sdk.run(() -> kms.putKeyPolicy(r -> r.keyId(keyId).policyName(DEFAULT_POLICY).policy(policy)));
  }

  @Override
  public boolean getKeyRotationStatus(String keyId) {
    return Sdk.call(() -> Boolean.TRUE.equals(kms.getKeyRotationStatus(r -> r.keyId(keyId)).keyRotationEnabled()));
  }

  @Override
  public void enableKeyRotation(String keyId) {
    Sdk.run(() -> kms.enableKeyRotation(r -> r.keyId(keyId)));
  }

  @Override
  public void disableKeyRotation(String keyId) {
    Sdk.run(() -> kms.disableKeyRotation(r -> r.keyId(keyId)));
  }

  @Override
  public void updateKeyDescription(String keyId, String description) {
    Sdk.run(() -> kms.updateKeyDescription(r -> r.keyId(keyId).description(description)));
  }

  @Override
  public void tagResource(String keyId, Map<String, String> tags) {
    Sdk.run(() -> kms.tagResource(r -> r.keyId(keyId).tags(tags(tags))));
  }

  @Override
  public void enableKey(String keyId) {
    Sdk.run(() -> kms.enableKey(r -> r.keyId(keyId)));
  }

  @Override
  public void disableKey(String keyId) {
    Sdk.run(() -> kms.disableKey(r -> r.keyId(keyId)));
  }

  @Override
  public @Nullable Instant scheduleKeyDeletion(String keyId, int pendingWindowInDays) {
    return Sdk.call(() -> kms.scheduleKeyDeletion(r -> r.keyId(keyId).pendingWindowInDays(pendingWindowInDays)).deletionDate());
  }

  @Override
  public void cancelKeyDeletion(String keyId) {
    Sdk.run(() -> kms.cancelKeyDeletion(r -> r.keyId(keyId)));
  }
}
