package dev.byok.core.keys;

/** The states of a customer key that matter to byok, as AWS KMS names them. */
public enum KeyState {
  ENABLED,
  DISABLED,
  PENDING_DELETION,
  /** Any other KMS state (Creating, PendingImport, Unavailable, Updating, ...). */
  OTHER
}
