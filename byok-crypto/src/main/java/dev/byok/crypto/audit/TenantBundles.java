package dev.byok.crypto.audit;

import dev.byok.core.HandoffBundle;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where each tenant's audit events go: the tenant's {@link HandoffBundle} (log role ARN, external
 * ID, log group, region). Asked again after a delivery failure, so a bundle added or corrected at
 * run time is picked up. Implementations must be thread-safe and fast (called off the hot path).
 *
 * <p>{@code TenantBundles bundles = tenant -> Optional.ofNullable(registry.bundleOf(tenant));}
 */
@FunctionalInterface
public interface TenantBundles {

  /** The tenant's bundle, or empty when the tenant is unknown (its events are kept and retried). */
  Optional<HandoffBundle> bundleFor(String tenant);

  /** A fixed map of tenant to bundle (copied). */
  static TenantBundles of(Map<String, HandoffBundle> bundles) {
    Map<String, HandoffBundle> copy = Map.copyOf(Objects.requireNonNull(bundles, "bundles"));
    return tenant -> Optional.ofNullable(copy.get(tenant));
  }
}
