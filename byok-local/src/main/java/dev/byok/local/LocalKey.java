package dev.byok.local;

import dev.byok.core.keys.KeyState;
import dev.byok.core.AwsAccountId;
import dev.byok.core.KeyArn;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * One key of a {@link LocalKeyService}, with its master key. Immutable: every change makes a new
 * instance, so the data path reads a consistent key without locking. Package-private.
 */
final class LocalKey {
  final KeyArn arn;
  final String arnText;
  /** The raw AES keyring key name: the key ARN as UTF-8. */
  final byte[] keyName;
  final String description;
  final Instant creationDate;
  final KeyState state;
  final @Nullable Instant deletionDate;
  final SecretKeySpec wrappingKey;
  final List<String> aliases;
  final Set<AwsAccountId> allowedAccounts;
  final List<ContextDenyRule> denyRules;

  LocalKey(KeyArn arn, String description, Instant creationDate, KeyState state, @Nullable Instant deletionDate,
      SecretKeySpec wrappingKey, List<String> aliases, Set<AwsAccountId> allowedAccounts,
      List<ContextDenyRule> denyRules) {
    this.arn = arn;
    this.arnText = arn.toString();
    this.keyName = arnText.getBytes(StandardCharsets.UTF_8);
    this.description = description;
    this.creationDate = creationDate;
    this.state = state;
    this.deletionDate = deletionDate;
    this.wrappingKey = wrappingKey;
    this.aliases = Collections.unmodifiableList(new ArrayList<>(new TreeSet<>(aliases)));
    this.allowedAccounts = Collections.unmodifiableSet(new TreeSet<>(allowedAccounts));
    this.denyRules = List.copyOf(denyRules);
  }

  String keyId() {
    return arn.resourceId();
  }

  /** Whether the key's deletion date has passed: it no longer exists. */
  boolean isDeleted(Instant now) {
    return state == KeyState.PENDING_DELETION && !now.isBefore(deletionDate);
  }

  boolean allows(AwsAccountId caller) {
    return caller.equals(arn.account()) || allowedAccounts.contains(caller);
  }

  LocalKey withState(KeyState newState, @Nullable Instant newDeletionDate) {
    return new LocalKey(arn, description, creationDate, newState, newDeletionDate, wrappingKey, aliases,
        allowedAccounts, denyRules);
  }

  LocalKey withAllowedAccounts(Set<AwsAccountId> accounts) {
    return new LocalKey(arn, description, creationDate, state, deletionDate, wrappingKey, aliases, accounts,
        denyRules);
  }

  LocalKey withDenyRules(List<ContextDenyRule> rules) {
    return new LocalKey(arn, description, creationDate, state, deletionDate, wrappingKey, aliases,
        allowedAccounts, rules);
  }

  LocalKeyInfo info() {
    return new LocalKeyInfo(arn, description, creationDate, state, deletionDate, aliases, allowedAccounts, denyRules);
  }

  @Override
  public String toString() {
    return "LocalKey{" + arnText + ", " + state + ", key material redacted}";
  }
}
