package dev.byok.core.keys;

/** The states of a customer key that matter to byok, as AWS KMS names them. */
public enum KeyState {
  /** Usable. */
  ENABLED,
  /** Disabled by its owner: every data-key call fails. */
  DISABLED,
  /** Scheduled for deletion: every data-key call fails; the key is gone at the deletion date. */
  PENDING_DELETION,
  /** Any other KMS state (Creating, PendingImport, Unavailable, Updating, ...). */
  OTHER
}
