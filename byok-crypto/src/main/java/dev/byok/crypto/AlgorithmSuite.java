package dev.byok.crypto;

/**
 * The AWS Encryption SDK algorithm suites byok writes and reads: message format version 2 with key
 * commitment. Both derive a per-message AES-256-GCM key and a 256-bit commitment key from the data
 * key with HKDF-SHA512 (salt = the 32-byte message ID); every decrypt verifies the commitment.
 *
 * <ul>
 *   <li>{@link #AES_256_GCM_HKDF_SHA512_COMMIT_KEY} ({@code 0x0478}): the default.
 *   <li>{@link #AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384} ({@code 0x0578}): the same plus an
 *       ECDSA P-384 signature over the whole message, for readers who must know that no holder of
 *       the data key (only the writer's private key) produced it. Opt-in: signing costs about a
 *       millisecond per message and the signing key is not cached by KMS.
 * </ul>
 *
 * <p>Legacy non-committing suites (format version 1, e.g. {@code 0x0178}) are deliberately absent:
 * they are neither written nor read.
 *
 * <p>Immutable and thread-safe.
 */
public enum AlgorithmSuite {
  /** AES-256-GCM, HKDF-SHA512, key commitment; no signature. The default. */
  AES_256_GCM_HKDF_SHA512_COMMIT_KEY(0x0478, false),
  /** AES-256-GCM, HKDF-SHA512, key commitment, ECDSA P-384 with SHA-384 signature. Opt-in. */
  AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384(0x0578, true);

  private final int id;
  private final boolean signed;

  AlgorithmSuite(int id, boolean signed) {
    this.id = id;
    this.signed = signed;
  }

  /** The two-byte suite ID as written in the message header, e.g. {@code 0x0478}. */
  public int id() {
    return id;
  }

  /** Whether messages of this suite end with an ECDSA P-384 signature. */
  public boolean isSigned() {
    return signed;
  }

  /** The default suite, {@link #AES_256_GCM_HKDF_SHA512_COMMIT_KEY}. */
  public static AlgorithmSuite defaultSuite() {
    return AES_256_GCM_HKDF_SHA512_COMMIT_KEY;
  }

  /**
   * The suite with the given ID.
   *
   * @throws IllegalArgumentException naming the ID when byok does not support it (including the
   *     legacy non-committing suites)
   */
  public static AlgorithmSuite fromId(int id) {
    for (AlgorithmSuite s : values()) {
      if (s.id == id) {
        return s;
      }
    }
    throw new IllegalArgumentException(String.format(
        "algorithm suite 0x%04X is not supported (byok reads and writes only 0x0478 and 0x0578)", id));
  }
}
