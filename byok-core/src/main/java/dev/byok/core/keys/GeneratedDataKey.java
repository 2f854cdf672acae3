package dev.byok.core.keys;

import dev.byok.core.KeyArn;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The result of {@link KeyService#generateDataKey}: the plaintext data key, the same key wrapped,
 * the key that wrapped it, and the key service's request ID (for joining with the customer's
 * CloudTrail). {@code toString} never shows the plaintext.
 *
 * @param plaintext the plaintext data key (secret)
 * @param encrypted the data key wrapped by the customer key
 * @param keyArn the key that wrapped it, as the key service reports it
 * @param requestId the key service's request ID, or {@code null} if it gave none
 */
public record GeneratedDataKey(PlaintextDataKey plaintext, EncryptedDataKey encrypted, KeyArn keyArn,
    @Nullable String requestId) {

  /** Checks that every part but the request ID is present. */
  public GeneratedDataKey {
    Objects.requireNonNull(plaintext, "plaintext");
    Objects.requireNonNull(encrypted, "encrypted");
    Objects.requireNonNull(keyArn, "keyArn");
  }

  /** The key ARN and request ID; the plaintext is redacted. */
  @Override
  public String toString() {
    return "GeneratedDataKey{keyArn=" + keyArn + ", requestId=" + requestId + ", plaintext=redacted}";
  }
}
