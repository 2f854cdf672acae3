package dev.byok.local;

import dev.byok.core.EncryptionContext;
import java.util.Objects;

/**
 * A Deny rule of the {@link LocalKeyService}: calls whose encryption context has {@code key}
 * with exactly {@code value} are refused with {@code AccessDeniedException}, whoever the caller is
 * (the owner account included, as with an explicit Deny in a KMS key policy). It models a key-policy
 * statement {@code "Effect": "Deny", "Condition": {"StringEquals":
 * {"kms:EncryptionContext:KEY": "VALUE"}}} — revocation of one scope, such as one tenant.
 *
 * <p>Immutable and thread-safe. {@code ContextDenyRule.of("tenant", "acme")}
 */
public final class ContextDenyRule {
  private final String key;
  private final String value;

  private ContextDenyRule(String key, String value) {
    this.key = key;
    this.value = value;
  }

  /**
   * A rule denying calls whose context maps {@code key} to {@code value}.
   *
   * @throws IllegalArgumentException if {@code key} is null or empty or {@code value} is null
   */
  public static ContextDenyRule of(String key, String value) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("deny rule: the encryption-context key must be a non-empty string");
    }
    if (value == null) {
      throw new IllegalArgumentException("deny rule: the value for key '" + key + "' must not be null");
    }
    return new ContextDenyRule(key, value);
  }

  public String key() {
    return key;
  }

  public String value() {
    return value;
  }

  /** Whether {@code context} has this rule's key with this rule's value. */
  public boolean matches(EncryptionContext context) {
    return value.equals(context.get(key));
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ContextDenyRule)) {
      return false;
    }
    ContextDenyRule r = (ContextDenyRule) o;
    return key.equals(r.key) && value.equals(r.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, value);
  }

  /** {@code key=value} (not secret: encryption contexts are visible in CloudTrail). */
  @Override
  public String toString() {
    return key + "=" + value;
  }
}
