package dev.byok.core;

/**
 * What a pushed key event may make a vendor do to its own access to a customer key: revoke it at
 * once, or check it now. There is deliberately no way to restore access: only a probe of the key
 * service (the library's revocation monitor) decides that access is back, so an event can never
 * give access by itself.
 *
 * <p>{@code byok-crypto}'s {@code KeyAccessControl} ({@code tenantCrypto.keyAccess()}) is one, so
 * a listener of the customer's key events (such as {@code byok-aws}'s {@code KeyEventListener})
 * acts through it without depending on the crypto module. Implementations must be thread-safe.
 */
public interface KeyAccessActions {

  /**
   * Revokes access to {@code keyArn} now: cached data keys of the key are dropped and every later
   * call for it fails without calling the key service, until a probe finds access restored.
   * Revoking a key that is already revoked changes nothing.
   *
   * @param reason why, for the audit trail and logs; {@code null} for a generic reason
   */
  void revoke(KeyArn keyArn, String reason);

  /**
   * Probes {@code keyArn} now if access to it (or to a scope of it) is revoked, on the calling
   * thread, and lifts each revocation the probe finds gone. Does nothing for a key that is not
   * revoked.
   *
   * @return how many revocations of the key were lifted
   */
  int checkNow(KeyArn keyArn);
}
