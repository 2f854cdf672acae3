package dev.byok.crypto;

import dev.byok.core.KeyAccessActions;
import dev.byok.core.KeyArn;
import org.jspecify.annotations.Nullable;

/**
 * The operator's view of revocation in a {@link TenantCrypto}: push a revocation the moment the
 * customer's event arrives, read the state of a tenant's key, and probe revoked keys now.
 *
 * <p>A revocation purges the key's cached data keys at once and makes every later call for it fail
 * with {@code KeyAccessRevokedException} without calling KMS, until a probe (every
 * {@link RevocationPolicy#checkInterval()}, or {@link #checkNow()}) finds access restored. Every
 * revocation, probe and restoration is an audit event. Thread-safe.
 *
 * <p>It is the {@link KeyAccessActions} a listener of the customer's key events acts through, e.g.
 * {@code KeyEventListener.builder().actions(crypto.keyAccess())} in {@code byok-aws}.
 */
public interface KeyAccessControl extends KeyAccessActions {

  /**
   * Revokes access to {@code keyArn} now, e.g. on an EventBridge event of the customer's DisableKey
   * or ScheduleKeyDeletion. It is lifted by the first probe that finds the key enabled and usable.
   *
   * @param reason why, for the audit event and the status ({@code null}: "revoked by the application")
   */
  @Override
  void revoke(KeyArn keyArn, @Nullable String reason);

  /**
   * What is currently known about access to the key of {@code tenant}.
   *
   * @throws IllegalArgumentException for an unknown tenant
   */
  KeyAccessStatus status(String tenant);

  /** Probes every revoked key and scope now, on the calling thread; returns how many were restored. */
  int checkNow();

  /**
   * Probes the revocations of {@code keyArn} only (the whole key and its revoked scopes), now, on
   * the calling thread, e.g. on the customer's EnableKey event; returns how many were lifted. A key
   * that is not revoked is not probed.
   */
  @Override
  int checkNow(KeyArn keyArn);
}
