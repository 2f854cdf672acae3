package dev.byok.local;

import dev.byok.core.EncryptionContext;
import org.jspecify.annotations.Nullable;

/**
 * A Deny rule of the {@link LocalKeyService}: calls whose encryption context has {@code key}
 * with exactly {@code value} are refused with {@code AccessDeniedException}, whoever the caller is
 * (the owner account included, as with an explicit Deny in a KMS key policy). It models a key-policy
 * statement {@code "Effect": "Deny", "Condition": {"StringEquals":
 * {"kms:EncryptionContext:KEY": "VALUE"}}} — revocation of one scope, such as one tenant.
 *
 * <p>Immutable and thread-safe. {@code ContextDenyRule.of("tenant", "acme")}
 *
 * @param key the encryption-context key, non-empty
 * @param value the value denied
 */
public record ContextDenyRule(String key, String value) {

  /**
   * Validates the rule.
   *
   * @throws IllegalArgumentException if {@code key} is null or empty or {@code value} is null
   */
  public ContextDenyRule {
    check(key, value);
  }

  /**
   * A rule denying calls whose context maps {@code key} to {@code value}.
   *
   * @throws IllegalArgumentException if {@code key} is null or empty or {@code value} is null
   */
  public static ContextDenyRule of(@Nullable String key, @Nullable String value) {
    check(key, value);
    return new ContextDenyRule(key, value);
  }

  private static void check(@Nullable String key, @Nullable String value) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("deny rule: the encryption-context key must be a non-empty string");
    }
    if (value == null) {
      throw new IllegalArgumentException("deny rule: the value for key '" + key + "' must not be null");
    }
  }

  /** Whether {@code context} has this rule's key with this rule's value. */
  public boolean matches(EncryptionContext context) {
    return value.equals(context.get(key));
  }

  /** {@code key=value} (not secret: encryption contexts are visible in CloudTrail). */
  @Override
  public String toString() {
    return key + "=" + value;
  }
}
