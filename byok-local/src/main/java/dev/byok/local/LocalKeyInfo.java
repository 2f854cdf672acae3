package dev.byok.local;

import dev.byok.core.keys.KeyState;
import dev.byok.core.AwsAccountId;
import dev.byok.core.KeyArn;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the customer side of a {@link LocalKeyService} sees of one key: ARN, description, creation
 * date, state, deletion date, aliases, the accounts allowed to use it and its Deny rules. Never the
 * key material. A snapshot: later changes to the key are not reflected. Immutable and thread-safe.
 */
public final class LocalKeyInfo {
  private final KeyArn keyArn;
  private final String description;
  private final Instant creationDate;
  private final KeyState state;
  private final @Nullable Instant deletionDate;
  private final List<String> aliases;
  private final Set<AwsAccountId> allowedAccounts;
  private final List<ContextDenyRule> denyRules;

  LocalKeyInfo(KeyArn keyArn, String description, Instant creationDate, KeyState state, @Nullable Instant deletionDate,
      List<String> aliases, Set<AwsAccountId> allowedAccounts, List<ContextDenyRule> denyRules) {
    this.keyArn = Objects.requireNonNull(keyArn, "keyArn");
    this.description = Objects.requireNonNull(description, "description");
    this.creationDate = Objects.requireNonNull(creationDate, "creationDate");
    this.state = Objects.requireNonNull(state, "state");
    this.deletionDate = deletionDate;
    this.aliases = List.copyOf(aliases);
    this.allowedAccounts = Set.copyOf(allowedAccounts);
    this.denyRules = List.copyOf(denyRules);
  }

  /** The key's ARN. */
  public KeyArn keyArn() {
    return keyArn;
  }

  /** The key ID (the UUID at the end of the ARN). */
  public String keyId() {
    return keyArn.resourceId();
  }

  /** The description given at creation (empty for none). */
  public String description() {
    return description;
  }

  /** When the key was created. */
  public Instant creationDate() {
    return creationDate;
  }

  /** The key's state. */
  public KeyState state() {
    return state;
  }

  /** When a key pending deletion will be deleted; empty in other states. */
  public Optional<Instant> deletionDate() {
    return Optional.ofNullable(deletionDate);
  }

  /** The aliases, each in the form {@code alias/NAME}, sorted. */
  public List<String> aliases() {
    return aliases;
  }

  /**
   * The accounts explicitly allowed to use the key, besides its owner account, which is always
   * allowed and not listed here.
   */
  public Set<AwsAccountId> allowedAccounts() {
    return allowedAccounts;
  }

  /** The Deny rules, in the order they were added. */
  public List<ContextDenyRule> denyRules() {
    return denyRules;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof LocalKeyInfo)) {
      return false;
    }
    LocalKeyInfo k = (LocalKeyInfo) o;
    return keyArn.equals(k.keyArn) && description.equals(k.description) && creationDate.equals(k.creationDate)
        && state == k.state && Objects.equals(deletionDate, k.deletionDate) && aliases.equals(k.aliases)
        && allowedAccounts.equals(k.allowedAccounts) && denyRules.equals(k.denyRules);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyArn, state, deletionDate, aliases, allowedAccounts, denyRules);
  }

  @Override
  public String toString() {
    return "LocalKeyInfo{keyArn=" + keyArn + ", state=" + state
        + (deletionDate == null ? "" : ", deletionDate=" + deletionDate)
        + ", aliases=" + aliases + ", allowedAccounts=" + new java.util.TreeSet<>(allowedAccounts)
        + ", denyRules=" + denyRules + ", description=" + description + "}";
  }
}
