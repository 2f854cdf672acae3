package dev.byok.crypto;

import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyArn;
import dev.byok.crypto.internal.revocation.AccessState;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What byok currently believes about access to one tenant's customer key, for operators: active,
 * revoked for some encryption-context scopes, or revoked; since when and why; and the last check.
 * Made by {@link KeyAccessControl#status}. A snapshot: immutable and thread-safe.
 */
public final class KeyAccessStatus {
  /** The access state of a customer key. */
  public enum State {
    /** Calls go through (subject to the cache's revalidation rule). */
    ACTIVE,
    /** Calls whose encryption context contains a revoked scope fail fast; others go through. */
    SCOPE_REVOKED,
    /** Every call fails fast with {@code KeyAccessRevokedException}. */
    REVOKED
  }

  private final String tenant;
  private final KeyArn keyArn;
  private final AccessState access;

  KeyAccessStatus(String tenant, KeyArn keyArn, AccessState access) {
    this.tenant = Objects.requireNonNull(tenant, "tenant");
    this.keyArn = Objects.requireNonNull(keyArn, "keyArn");
    this.access = Objects.requireNonNull(access, "access");
  }

  /** The tenant asked about. */
  public String tenant() {
    return tenant;
  }

  /** The tenant's customer key. */
  public KeyArn keyArn() {
    return keyArn;
  }

  /** The access state. */
  public State state() {
    return access.state();
  }

  /** Why access was revoked (the key service's error code, or the reason given to {@code revoke}). */
  public Optional<String> reason() {
    return Optional.ofNullable(access.reason());
  }

  /** When the key (or its first revoked scope) was revoked. */
  public Optional<Instant> since() {
    return Optional.ofNullable(access.since());
  }

  /** The revoked encryption-context scopes (empty unless {@link State#SCOPE_REVOKED}). */
  public List<EncryptionContext> revokedScopes() {
    return access.revokedScopes();
  }

  /** When access was last probed. */
  public Optional<Instant> lastCheck() {
    return Optional.ofNullable(access.lastCheck());
  }

  /** The outcome of the last probe, e.g. {@code DisabledException} or {@code ok}. */
  public Optional<String> lastCheckResult() {
    return Optional.ofNullable(access.lastCheckResult());
  }

  /** Equal when tenant, key and every part of the state are equal. */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof KeyAccessStatus && ((KeyAccessStatus) o).tenant.equals(tenant)
        && ((KeyAccessStatus) o).keyArn.equals(keyArn) && ((KeyAccessStatus) o).access.equals(access);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tenant, keyArn, access);
  }

  @Override
  public String toString() {
    String reason = access.reason();
    Instant since = access.since();
    Instant lastCheck = access.lastCheck();
    return "KeyAccessStatus{tenant=" + tenant + ", keyArn=" + keyArn + ", state=" + access.state()
        + (reason == null ? "" : ", reason=" + reason) + (since == null ? "" : ", since=" + since)
        + (access.revokedScopes().isEmpty() ? "" : ", revokedScopes=" + access.revokedScopes())
        + (lastCheck == null ? "" : ", lastCheck=" + lastCheck + " " + access.lastCheckResult()) + "}";
  }
}
