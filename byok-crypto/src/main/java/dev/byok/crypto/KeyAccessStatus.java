package dev.byok.crypto;

import dev.byok.core.EncryptionContext;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What byok currently believes about access to one tenant's customer key, for operators: active,
 * revoked for some encryption-context scopes, or revoked; since when and why; and the last check.
 * A snapshot: immutable and thread-safe.
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
  private final String keyArn;
  private final State state;
  private final String reason;
  private final Instant since;
  private final List<EncryptionContext> revokedScopes;
  private final Instant lastCheck;
  private final String lastCheckResult;

  private KeyAccessStatus(String tenant, String keyArn, State state, String reason, Instant since,
      List<EncryptionContext> revokedScopes, Instant lastCheck, String lastCheckResult) {
    this.tenant = Objects.requireNonNull(tenant, "tenant");
    this.keyArn = Objects.requireNonNull(keyArn, "keyArn");
    this.state = Objects.requireNonNull(state, "state");
    this.reason = reason;
    this.since = since;
    this.revokedScopes = List.copyOf(revokedScopes);
    this.lastCheck = lastCheck;
    this.lastCheckResult = lastCheckResult;
  }

  /**
   * A status; {@code reason}, {@code since}, {@code lastCheck} and {@code lastCheckResult} may be
   * {@code null}.
   */
  public static KeyAccessStatus of(String tenant, String keyArn, State state, String reason, Instant since,
      List<EncryptionContext> revokedScopes, Instant lastCheck, String lastCheckResult) {
    return new KeyAccessStatus(tenant, keyArn, state, reason, since, revokedScopes, lastCheck, lastCheckResult);
  }

  public String tenant() {
    return tenant;
  }

  public String keyArn() {
    return keyArn;
  }

  public State state() {
    return state;
  }

  /** Why access was revoked (the key service's error code, or the reason given to {@code revoke}). */
  public Optional<String> reason() {
    return Optional.ofNullable(reason);
  }

  /** When the key (or its first revoked scope) was revoked. */
  public Optional<Instant> since() {
    return Optional.ofNullable(since);
  }

  /** The revoked encryption-context scopes (empty unless {@link State#SCOPE_REVOKED}). */
  public List<EncryptionContext> revokedScopes() {
    return revokedScopes;
  }

  /** When access was last probed. */
  public Optional<Instant> lastCheck() {
    return Optional.ofNullable(lastCheck);
  }

  /** The outcome of the last probe, e.g. {@code DisabledException} or {@code ok}. */
  public Optional<String> lastCheckResult() {
    return Optional.ofNullable(lastCheckResult);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof KeyAccessStatus)) {
      return false;
    }
    KeyAccessStatus s = (KeyAccessStatus) o;
    return tenant.equals(s.tenant) && keyArn.equals(s.keyArn) && state == s.state && Objects.equals(reason, s.reason)
        && Objects.equals(since, s.since) && revokedScopes.equals(s.revokedScopes)
        && Objects.equals(lastCheck, s.lastCheck) && Objects.equals(lastCheckResult, s.lastCheckResult);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tenant, keyArn, state, reason, since, revokedScopes, lastCheck, lastCheckResult);
  }

  @Override
  public String toString() {
    return "KeyAccessStatus{tenant=" + tenant + ", keyArn=" + keyArn + ", state=" + state
        + (reason == null ? "" : ", reason=" + reason) + (since == null ? "" : ", since=" + since)
        + (revokedScopes.isEmpty() ? "" : ", revokedScopes=" + revokedScopes)
        + (lastCheck == null ? "" : ", lastCheck=" + lastCheck + " " + lastCheckResult) + "}";
  }
}
