package dev.byok.core.keys;

import dev.byok.core.KeyArn;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The result of {@link KeyService#describeKey}: the key, its state and the request ID.
 *
 * @param keyArn the key ARN, as the key service reports it
 * @param state the key's state
 * @param requestId the key service's request ID, or {@code null} if it gave none
 */
public record KeyDescription(KeyArn keyArn, KeyState state, @Nullable String requestId) {

  /** Checks that the key ARN and state are present. */
  public KeyDescription {
    Objects.requireNonNull(keyArn, "keyArn");
    Objects.requireNonNull(state, "state");
  }

  @Override
  public String toString() {
    return "KeyDescription{keyArn=" + keyArn + ", state=" + state + ", requestId=" + requestId + "}";
  }
}
