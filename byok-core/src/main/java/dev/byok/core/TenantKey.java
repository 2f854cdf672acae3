package dev.byok.core;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One tenant's customer key: the tenant ID, the key ARN (in the customer's AWS account), its
 * region, and the hand-off bundle it came from when there is one (which also names the customer's
 * audit log group and role). Immutable and thread-safe.
 *
 * <p>{@code TenantKey.of("acme", KeyArn.parse("arn:aws:kms:us-east-1:111122223333:key/..."))}
 */
public final class TenantKey {
  /** The longest tenant ID accepted. */
  public static final int MAX_TENANT_LENGTH = 256;

  private final String tenant;
  private final KeyArn keyArn;
  private final @Nullable HandoffBundle bundle;

  private TenantKey(String tenant, KeyArn keyArn, @Nullable HandoffBundle bundle) {
    this.tenant = checkTenant(tenant);
    this.keyArn = Objects.requireNonNull(keyArn, "keyArn");
    if (keyArn.resourceType() == KeyArn.ResourceType.ALIAS) {
      // KMS names the key itself in every data key it wraps, so an alias would encrypt but never decrypt.
      throw new IllegalArgumentException("tenant '" + tenant + "': " + keyArn + " is an alias ARN; give the key ARN "
          + "(arn:" + keyArn.partition() + ":kms:" + keyArn.region() + ":" + keyArn.account() + ":key/ID, e.g. from "
          + "'aws kms describe-key --key-id " + keyArn + "'): data keys name the key, so under an alias every decrypt would fail");
    }
    this.bundle = bundle;
  }

  /**
   * A tenant whose key is {@code keyArn}, without a hand-off bundle.
   *
   * @throws IllegalArgumentException if the tenant ID is malformed or {@code keyArn} is an alias ARN
   */
  public static TenantKey of(String tenant, KeyArn keyArn) {
    return new TenantKey(tenant, keyArn, null);
  }

  /**
   * A tenant described by a hand-off bundle (key ARN and region from the bundle).
   *
   * @throws IllegalArgumentException if the tenant ID is malformed or the bundle's key ARN is an alias ARN
   */
  public static TenantKey of(String tenant, HandoffBundle bundle) {
    Objects.requireNonNull(bundle, "bundle");
    return new TenantKey(tenant, bundle.keyArn(), bundle);
  }

  /**
   * Why this tenant's key and log role are in different AWS accounts, or empty when they are in one
   * (or there is no bundle). The log group is written through the role, so it is in the role's account.
   */
  public Optional<String> accountMismatch() {
    if (bundle == null) {
      return Optional.empty();
    }
    String roleAccount = roleAccount(bundle.roleArn());
    if (roleAccount.equals(keyArn.account().toString())) {
      return Optional.empty();
    }
    return Optional.of("tenant '" + tenant + "': the bundle's key " + keyArn + " is in account " + keyArn.account()
        + " but its log role " + bundle.roleArn() + " (and so its log group) is in account " + roleAccount);
  }

  /** The account of an IAM role ARN {@code arn:PARTITION:iam::ACCOUNT:role/NAME} (validated by the bundle). */
  private static String roleAccount(String roleArn) {
    String[] parts = roleArn.split(":", 6);
    return parts.length == 6 ? parts[4] : "";
  }

  /**
   * Checks a tenant ID: 1 to {@value #MAX_TENANT_LENGTH} characters, no control characters.
   *
   * @throws IllegalArgumentException naming the rule
   */
  public static String checkTenant(@Nullable String tenant) {
    if (tenant == null || tenant.isEmpty() || tenant.length() > MAX_TENANT_LENGTH) {
      throw new IllegalArgumentException("tenant: must be 1 to " + MAX_TENANT_LENGTH + " characters, got "
          + (tenant == null ? "null" : tenant.length() + " characters"));
    }
    for (int i = 0; i < tenant.length(); i++) {
      if (Character.isISOControl(tenant.charAt(i))) {
        throw new IllegalArgumentException("tenant: must not contain control characters (at index " + i + ")");
      }
    }
    return tenant;
  }

  /** The tenant ID. */
  public String tenant() {
    return tenant;
  }

  /** The tenant's customer key. */
  public KeyArn keyArn() {
    return keyArn;
  }

  /** The region of the customer key. */
  public String region() {
    return keyArn.region();
  }

  /** The hand-off bundle this tenant was described by, if any. */
  public Optional<HandoffBundle> bundle() {
    return Optional.ofNullable(bundle);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof TenantKey)) {
      return false;
    }
    TenantKey t = (TenantKey) o;
    return tenant.equals(t.tenant) && keyArn.equals(t.keyArn) && Objects.equals(bundle, t.bundle);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tenant, keyArn, bundle);
  }

  @Override
  public String toString() {
    return "TenantKey{tenant=" + tenant + ", keyArn=" + keyArn + (bundle == null ? "" : ", vendor=" + bundle.vendor()) + "}";
  }
}
