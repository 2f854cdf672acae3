package dev.byok.core.keys;

import java.util.Objects;

/** The result of {@link KeyService#describeKey}: key ARN, state and request ID. */
public final class KeyDescription {
  private final String keyArn;
  private final KeyState state;
  private final String requestId;

  public KeyDescription(String keyArn, KeyState state, String requestId) {
    this.keyArn = Objects.requireNonNull(keyArn, "keyArn");
    this.state = Objects.requireNonNull(state, "state");
    this.requestId = requestId;
  }

  public String keyArn() {
    return keyArn;
  }

  public KeyState state() {
    return state;
  }

  public String requestId() {
    return requestId;
  }

  @Override
  public String toString() {
    return "KeyDescription{keyArn=" + keyArn + ", state=" + state + ", requestId=" + requestId + "}";
  }
}
