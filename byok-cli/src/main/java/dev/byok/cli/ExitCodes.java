package dev.byok.cli;

/**
 * The exit statuses of the {@code byok} command, for scripts. They are listed in
 * {@code byok --help} and in the README.
 *
 * <table>
 *   <caption>exit statuses</caption>
 *   <tr><th>status</th><th>meaning</th></tr>
 *   <tr><td>0</td><td>the command did what was asked</td></tr>
 *   <tr><td>1</td><td>the operation failed (I/O error, a failed check, a demo invariant broken)</td></tr>
 *   <tr><td>2</td><td>usage error: an unknown option, a bad value, a missing file</td></tr>
 *   <tr><td>3</td><td>invalid ciphertext: malformed, truncated, tampered, or made under another key or context</td></tr>
 *   <tr><td>4</td><td>access revoked: the customer disabled the key, scheduled its deletion, or denied the caller or scope</td></tr>
 *   <tr><td>5</td><td>key service unavailable: throttled, unreachable or an internal error; retrying later may work</td></tr>
 * </table>
 *
 * <p>Constants only; thread-safe.
 */
public final class ExitCodes {
  /** The command did what was asked. */
  public static final int OK = 0;
  /** The operation failed. */
  public static final int FAILED = 1;
  /** The command line was wrong. */
  public static final int USAGE = 2;
  /** The message is not a valid ciphertext for the keys and context given. */
  public static final int INVALID_CIPHERTEXT = 3;
  /** The customer cut access to the key. */
  public static final int ACCESS_REVOKED = 4;
  /** The key service could not be reached or answered with a transient error. */
  public static final int KEY_SERVICE_UNAVAILABLE = 5;

  private ExitCodes() {}
}
