package dev.byok.core;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The customer has cut access to its key (disabled it, scheduled it for deletion, removed the
 * vendor from its policy, or denied one encryption-context scope). Definitive: retrying without a
 * change on the customer's side will not help, so {@link #retryable()} is {@code false}.
 */
public final class KeyAccessRevokedException extends ByokException {
  private static final long serialVersionUID = 1L;

  /** The customer key. */
  private final String keyArn;
  /** The revoked scope in {@code k=v} form, or {@code null} for the whole key. */
  private final @Nullable String scope;

  /**
   * An exception naming the key, the scope and the reason.
   *
   * @param keyArn the customer key
   * @param scope the revoked encryption-context scope in {@code k=v} form, or {@code null} when the
   *     whole key is revoked
   * @param reason why, e.g. the key service's error code
   */
  public KeyAccessRevokedException(String keyArn, @Nullable String scope, String reason) {
    super("access to customer key " + Objects.requireNonNull(keyArn, "keyArn")
        + (scope == null ? "" : " for scope " + scope) + " is revoked: " + reason);
    this.keyArn = keyArn;
    this.scope = scope;
  }

  /** The customer key's ARN. */
  public String keyArn() {
    return keyArn;
  }

  /** The revoked encryption-context scope, or empty when the whole key is revoked. */
  public Optional<String> scope() {
    return Optional.ofNullable(scope);
  }
}
