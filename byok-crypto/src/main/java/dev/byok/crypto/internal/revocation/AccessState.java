package dev.byok.crypto.internal.revocation;

import dev.byok.core.EncryptionContext;
import dev.byok.crypto.KeyAccessStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the {@link RevocationMonitor} knows about access to one customer key at one moment; the
 * public {@link KeyAccessStatus} wraps it. Immutable.
 *
 * @param state active, scope revoked or revoked
 * @param reason why access was revoked, or {@code null}
 * @param since when the key (or its first revoked scope) was revoked, or {@code null}
 * @param revokedScopes the revoked scopes (empty unless {@code SCOPE_REVOKED})
 * @param lastCheck when access was last probed, or {@code null}
 * @param lastCheckResult the outcome of the last probe, or {@code null}
 */
public record AccessState(KeyAccessStatus.State state, @Nullable String reason, @Nullable Instant since,
    List<EncryptionContext> revokedScopes, @Nullable Instant lastCheck, @Nullable String lastCheckResult) {

  /** Nothing revoked. */
  public static final AccessState ACTIVE = new AccessState(KeyAccessStatus.State.ACTIVE, null, null, List.of(), null, null);

  /** Copies the scopes. */
  public AccessState {
    Objects.requireNonNull(state, "state");
    revokedScopes = List.copyOf(revokedScopes);
  }
}
