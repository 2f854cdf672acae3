package dev.byok.core.keys;

import java.util.Objects;

/** The result of {@link KeyService#decryptDataKey}: the plaintext data key, the key ARN, the request ID. */
public final class DecryptedDataKey {
  private final PlaintextDataKey plaintext;
  private final String keyArn;
  private final String requestId;

  public DecryptedDataKey(PlaintextDataKey plaintext, String keyArn, String requestId) {
    this.plaintext = Objects.requireNonNull(plaintext, "plaintext");
    this.keyArn = Objects.requireNonNull(keyArn, "keyArn");
    this.requestId = requestId;
  }

  public PlaintextDataKey plaintext() {
    return plaintext;
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
    return "DecryptedDataKey{keyArn=" + keyArn + ", requestId=" + requestId + ", plaintext=redacted}";
  }
}
