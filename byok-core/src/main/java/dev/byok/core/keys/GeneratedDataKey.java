package dev.byok.core.keys;

import java.util.Objects;

/**
 * The result of {@link KeyService#generateDataKey}: the plaintext data key, the same key wrapped,
 * the ARN of the key that wrapped it, and the key service's request ID (for joining with the
 * customer's CloudTrail).
 */
public final class GeneratedDataKey {
  private final PlaintextDataKey plaintext;
  private final EncryptedDataKey encrypted;
  private final String keyArn;
  private final String requestId;

  public GeneratedDataKey(PlaintextDataKey plaintext, EncryptedDataKey encrypted, String keyArn, String requestId) {
    this.plaintext = Objects.requireNonNull(plaintext, "plaintext");
    this.encrypted = Objects.requireNonNull(encrypted, "encrypted");
    this.keyArn = Objects.requireNonNull(keyArn, "keyArn");
    this.requestId = requestId;
  }

  public PlaintextDataKey plaintext() {
    return plaintext;
  }

  public EncryptedDataKey encrypted() {
    return encrypted;
  }

  public String keyArn() {
    return keyArn;
  }

  /** The key service's request ID, or {@code null} if it gave none. */
  public String requestId() {
    return requestId;
  }

  @Override
  public String toString() {
    return "GeneratedDataKey{keyArn=" + keyArn + ", requestId=" + requestId + ", plaintext=redacted}";
  }
}
