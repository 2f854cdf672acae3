package dev.byok.core.keys;

import dev.byok.core.KeyArn;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The result of {@link KeyService#decryptDataKey}: the plaintext data key, the key that unwrapped
 * it and the key service's request ID. {@code toString} never shows the plaintext.
 *
 * @param plaintext the plaintext data key (secret)
 * @param keyArn the key that unwrapped it, as the key service reports it
 * @param requestId the key service's request ID, or {@code null} if it gave none
 */
public record DecryptedDataKey(PlaintextDataKey plaintext, KeyArn keyArn, @Nullable String requestId) {

  /** Checks that every part but the request ID is present. */
  public DecryptedDataKey {
    Objects.requireNonNull(plaintext, "plaintext");
    Objects.requireNonNull(keyArn, "keyArn");
  }

  /** The key ARN and request ID; the plaintext is redacted. */
  @Override
  public String toString() {
    return "DecryptedDataKey{keyArn=" + keyArn + ", requestId=" + requestId + ", plaintext=redacted}";
  }
}
