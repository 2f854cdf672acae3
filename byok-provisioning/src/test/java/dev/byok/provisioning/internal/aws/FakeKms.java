package dev.byok.provisioning.internal.aws;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** KMS in memory: keys with state, policy, rotation, description and tags; aliases. */
public final class FakeKms extends FakeService implements KmsPort {
  /** One key, open to tests that change it behind the provisioner's back. */
  public static final class Key {
    public final String id;
    public final String arn;
    public String state = KeyInfo.ENABLED;
    public String description;
    public final boolean multiRegion;
    public String policy;
    public boolean rotation;
    public final Map<String, String> tags = new LinkedHashMap<>();

    Key(String id, String arn, String description, boolean multiRegion, String policy) {
      this.id = id;
      this.arn = arn;
      this.description = description;
      this.multiRegion = multiRegion;
      this.policy = policy;
    }
  }

  private final String region;
  private final String account;
  public final Map<String, Key> keys = new LinkedHashMap<>();
  public final Map<String, String> aliases = new LinkedHashMap<>();
  private int next;

  FakeKms(String region, String account, Shared shared) {
    super("kms", shared);
    this.region = region;
    this.account = account;
  }

  /** Adds a key as another team would have made it (no byok tags). */
  public Key addKey(String description, String policy) {
    next++;
    String id = String.format("%08x-0000-4000-8000-%012x", next, next);
    Key k = new Key(id, "arn:aws:kms:" + region + ":" + account + ":key/" + id, description, false, policy);
    keys.put(id, k);
    return k;
  }

  private Key key(String keyId) {
    Key k = keys.get(keyId);
    if (k == null) {
      throw error("NotFoundException", "Key '" + keyId + "' does not exist");
    }
    return k;
  }

  private Key usable(String keyId) {
    Key k = key(keyId);
    if (k.state.equals(KeyInfo.PENDING_DELETION)) {
      throw error("KMSInvalidStateException", k.arn + " is pending deletion.");
    }
    return k;
  }

  private static KeyInfo info(Key k) {
    return new KeyInfo(k.id, k.arn, k.state, KeyInfo.SYMMETRIC_DEFAULT, KeyInfo.ENCRYPT_DECRYPT, k.description, k.multiRegion);
  }

  @Override
  public Map<String, String> listAliases() {
    call("ListAliases");
    return new LinkedHashMap<>(aliases);
  }

  @Override
  public java.util.Optional<String> anyArn() {
    call("ListAliases");
    return keys.values().stream().map(k -> k.arn).findFirst();
  }

  @Override
  public List<String> listKeys() {
    call("ListKeys");
    return new ArrayList<>(keys.keySet());
  }

  @Override
  public Map<String, String> listResourceTags(String keyId) {
    call("ListResourceTags");
    return new LinkedHashMap<>(key(keyId).tags);
  }

  @Override
  public KeyInfo describeKey(String keyId) {
    call("DescribeKey");
    return info(key(keyId));
  }

  @Override
  public KeyInfo createKey(NewKey nk) {
    call("CreateKey");
    Key k = addKey(nk.description(), nk.policy());
    k.tags.putAll(nk.tags());
    return info(k);
  }

  @Override
  public void createAlias(String alias, String keyId) {
    call("CreateAlias");
    usable(keyId);
    if (aliases.containsKey(alias)) {
      throw error("AlreadyExistsException", "An alias with the name " + alias + " already exists");
    }
    aliases.put(alias, keyId);
  }

  @Override
  public void deleteAlias(String alias) {
    call("DeleteAlias");
    if (aliases.remove(alias) == null) {
      throw error("NotFoundException", "Alias " + alias + " is not found.");
    }
  }

  @Override
  public String getKeyPolicy(String keyId) {
    call("GetKeyPolicy");
    return key(keyId).policy;
  }

  @Override
  public void putKeyPolicy(String keyId, String policy) {
    call("PutKeyPolicy");
    key(keyId).policy = policy; // allowed in every key state, pending deletion included
  }

  @Override
  public boolean getKeyRotationStatus(String keyId) {
    call("GetKeyRotationStatus");
    return key(keyId).rotation;
  }

  @Override
  public void enableKeyRotation(String keyId) {
    call("EnableKeyRotation");
    usable(keyId).rotation = true;
  }

  @Override
  public void disableKeyRotation(String keyId) {
    call("DisableKeyRotation");
    usable(keyId).rotation = false;
  }

  @Override
  public void updateKeyDescription(String keyId, String description) {
    call("UpdateKeyDescription");
    usable(keyId).description = description;
  }

  @Override
  public void tagResource(String keyId, Map<String, String> tags) {
    call("TagResource");
    usable(keyId).tags.putAll(tags);
  }

  @Override
  public void enableKey(String keyId) {
    call("EnableKey");
    usable(keyId).state = KeyInfo.ENABLED;
  }

  @Override
  public void disableKey(String keyId) {
    call("DisableKey");
    usable(keyId).state = KeyInfo.DISABLED;
  }

  @Override
  public @Nullable Instant scheduleKeyDeletion(String keyId, int pendingWindowInDays) {
    call("ScheduleKeyDeletion");
    if (pendingWindowInDays < 7 || pendingWindowInDays > 30) {
      throw error("ValidationException", "PendingWindowInDays must be 7-30");
    }
    usable(keyId).state = KeyInfo.PENDING_DELETION;
    return Instant.EPOCH.plusSeconds(86_400L * pendingWindowInDays);
  }

  @Override
  public void cancelKeyDeletion(String keyId) {
    call("CancelKeyDeletion");
    Key k = key(keyId);
    if (!k.state.equals(KeyInfo.PENDING_DELETION)) {
      throw error("KMSInvalidStateException", k.arn + " is not pending deletion.");
    }
    k.state = KeyInfo.DISABLED;
  }
}
