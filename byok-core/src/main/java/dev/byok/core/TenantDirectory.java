package dev.byok.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * The vendor's registry of tenants: where {@code TenantCrypto} finds each tenant's customer key and
 * {@code CloudWatchLogsAuditSink} each tenant's hand-off bundle (log group, role, external ID). {@link #builder()} and
 * {@link #fromBundleDirectory(Path)} make an immutable directory; a vendor whose tenants come and
 * go may implement this interface on its own tenant store.
 *
 * <p>Implementations must be thread-safe and fast: {@link #find} is called on every encrypt and
 * decrypt.
 *
 * <p><b>Isolation checks</b> of the directories made here (at build time, each failure naming both
 * tenants): no two tenants share a customer key unless they were handed the very same bundle or
 * {@link Builder#allowSharedKeys()} says they are one customer's (a revocation of that key then stops
 * all of them); no two hand-off bundles of
 * different keys name the same log role and external ID (one customer's audit events would land in
 * another's log group); an alias ARN is refused. A bundle whose key and log role are in different
 * accounts ({@link TenantKey#accountMismatch()}) is logged at WARN: a customer may keep its logs in
 * a separate log-archive account. With {@link Builder#vendorExternalIds(Map)} the vendor
 * assigns each customer's external ID (AWS's confused-deputy guidance) and a bundle with another one
 * is refused.
 */
public interface TenantDirectory {

  /** The key of {@code tenant}, or empty when the tenant is unknown. */
  Optional<TenantKey> find(String tenant);

  /**
   * The tenants whose customer key is {@code keyArn} (empty when none is), for events about a key
   * such as the customer's pushed DisableKey: a listener acts only on keys a known tenant uses. The
   * directories of {@link #builder()}, {@link #of} and {@link #fromBundleDirectory} answer from an
   * index made once. A vendor's own implementation must override this to take pushed key events;
   * the default refuses.
   *
   * @throws UnsupportedOperationException when this directory cannot look tenants up by key
   */
  default Set<String> tenantsOf(KeyArn keyArn) {
    throw new UnsupportedOperationException("this TenantDirectory (" + getClass().getName()
        + ") cannot look tenants up by key; implement tenantsOf(KeyArn) to take pushed key events");
  }

  /** An immutable directory of the tenants named by {@code bundles}' keys, each with its hand-off bundle. */
  static TenantDirectory of(Map<String, HandoffBundle> bundles) {
    Builder b = builder();
    bundles.forEach(b::put);
    return b.build();
  }

  /** A builder of an immutable directory. */
  static Builder builder() {
    return new Builder();
  }

  /**
   * An immutable directory of every {@code *.json} hand-off bundle in {@code dir}, each file
   * {@code TENANT.json} naming its tenant.
   *
   * @throws IOException if the folder or a file cannot be read
   * @throws IllegalArgumentException naming the file when a bundle is malformed
   */
  static TenantDirectory fromBundleDirectory(Path dir) throws IOException {
    Builder b = builder();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        b.put(name.substring(0, name.length() - ".json".length()), HandoffBundle.read(f));
      }
    }
    return b.build();
  }

  /** Builds an immutable {@link TenantDirectory}. Not thread-safe. */
  final class Builder {
    private final Map<String, TenantKey> tenants = new LinkedHashMap<>();
    private boolean allowSharedKeys;
    private @Nullable Map<String, String> vendorExternalIds;

    private Builder() {}

    /**
     * Lets several tenants use one customer key: for tenants that are one customer's (its teams,
     * say), told apart by encryption context. Without it two tenants on one key are refused, since a
     * revocation or a policy change of that key would reach both.
     *
     * @throws IllegalStateException if called twice
     */
    public Builder allowSharedKeys() {
      if (allowSharedKeys) {
        throw new IllegalStateException("tenant directory: allowSharedKeys() was already called");
      }
      allowSharedKeys = true;
      return this;
    }

    /**
     * The external IDs the vendor assigned, per tenant, as AWS's confused-deputy guidance has it: the
     * vendor makes a unique ID for each customer and hands it over; the customer puts it in the log
     * role's trust policy (provisioning's {@code --external-id}); every tenant with a hand-off bundle
     * must then be listed here, and its bundle must carry this ID. Without it the external ID the
     * customer's provisioning chose is taken from the bundle.
     *
     * @throws IllegalStateException if called twice
     */
    public Builder vendorExternalIds(Map<String, String> byTenant) {
      if (vendorExternalIds != null) {
        throw new IllegalStateException("tenant directory: vendorExternalIds was already set");
      }
      vendorExternalIds = Map.copyOf(byTenant);
      return this;
    }

    /**
     * Adds a tenant whose key is {@code keyArn}.
     *
     * @throws IllegalArgumentException if the tenant ID is malformed
     * @throws IllegalStateException if the tenant was already added
     */
    public Builder put(String tenant, KeyArn keyArn) {
      return add(TenantKey.of(tenant, keyArn));
    }

    /**
     * Adds a tenant described by a hand-off bundle.
     *
     * @throws IllegalArgumentException if the tenant ID is malformed
     * @throws IllegalStateException if the tenant was already added
     */
    public Builder put(String tenant, HandoffBundle bundle) {
      return add(TenantKey.of(tenant, bundle));
    }

    /**
     * Adds a tenant from a hand-off bundle file.
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the file when the bundle is malformed
     * @throws IllegalStateException if the tenant was already added
     */
    public Builder putBundleFile(String tenant, Path bundleFile) throws IOException {
      return add(TenantKey.of(tenant, HandoffBundle.read(bundleFile)));
    }

    private Builder add(TenantKey k) {
      if (tenants.putIfAbsent(k.tenant(), k) != null) {
        throw new IllegalStateException("tenant directory: tenant '" + k.tenant() + "' added twice");
      }
      return this;
    }

    /**
     * The immutable directory of the tenants added so far (possibly none).
     *
     * @throws IllegalStateException naming the tenants when two share a key (without
     *     {@link #allowSharedKeys()}, and not through one identical bundle), two bundles of different keys share a log role and external ID,
     *     or a bundle's external ID is not the vendor-assigned one
     */
    public TenantDirectory build() {
      checkIsolation();
      // The Optionals are made once here, so that find allocates nothing on the hot path.
      Map<String, Optional<TenantKey>> copy = new HashMap<>();
      Map<KeyArn, Set<String>> byKey = new HashMap<>();
      tenants.forEach((t, k) -> {
        copy.put(t, Optional.of(k));
        byKey.computeIfAbsent(k.keyArn(), a -> new LinkedHashSet<>()).add(t);
      });
      Map<KeyArn, Set<String>> index = new HashMap<>();
      byKey.forEach((k, ts) -> index.put(k, java.util.Collections.unmodifiableSet(ts)));
      return new TenantDirectory() {
        @Override
        public Optional<TenantKey> find(String tenant) {
          return copy.getOrDefault(Objects.requireNonNull(tenant, "tenant"), Optional.empty());
        }

        @Override
        public Set<String> tenantsOf(KeyArn keyArn) {
          return index.getOrDefault(Objects.requireNonNull(keyArn, "keyArn"), Set.of());
        }

        @Override
        public String toString() {
          return "TenantDirectory{" + copy.size() + " tenants}";
        }
      };
    }

    /** Tenants handed the very same bundle are one customer's set-up (its teams, say). */
    private static boolean sameBundle(TenantKey a, TenantKey b) {
      return a.bundle().isPresent() && a.bundle().equals(b.bundle());
    }

    private void checkIsolation() {
      Map<KeyArn, String> byKey = new HashMap<>();
      Map<String, TenantKey> byRole = new HashMap<>();
      for (TenantKey k : tenants.values()) {
        String other = byKey.putIfAbsent(k.keyArn(), k.tenant());
        if (other != null && !allowSharedKeys && !sameBundle(tenants.get(other), k)) {
          throw new IllegalStateException("tenant directory: tenants '" + other + "' and '" + k.tenant() + "' both use key "
              + k.keyArn() + "; one key per customer keeps one customer's revocation from stopping another. If they are "
              + "one customer's tenants, say so with allowSharedKeys()");
        }
        if (k.bundle().isEmpty()) {
          continue;
        }
        // Warned, not refused: a customer may keep its audit logs in a separate log-archive account
        // (and the test emulators run KMS and IAM in two accounts).
        k.accountMismatch().ifPresent(why -> LoggerFactory.getLogger(TenantDirectory.class).warn(
            "{}: check that this is the customer's own logging account, not another customer's", why));
        HandoffBundle b = k.bundle().get();
        TenantKey sameRole = byRole.putIfAbsent(b.roleArn() + "\n" + b.externalId(), k);
        if (sameRole != null && !sameRole.keyArn().equals(k.keyArn())) {
          throw new IllegalStateException("tenant directory: the bundles of tenants '" + sameRole.tenant() + "' and '"
              + k.tenant() + "' name the same log role " + b.roleArn() + " and external ID but different keys: one "
              + "customer's audit events would go to the other's log group");
        }
        if (vendorExternalIds != null) {
          String assigned = vendorExternalIds.get(k.tenant());
          if (assigned == null) {
            throw new IllegalStateException("tenant directory: tenant '" + k.tenant() + "' has a hand-off bundle but no "
                + "vendor-assigned external ID in vendorExternalIds");
          }
          if (!MessageDigest.isEqual(assigned.getBytes(StandardCharsets.UTF_8), b.externalId().getBytes(StandardCharsets.UTF_8))) {
            throw new IllegalStateException("tenant directory: the bundle of tenant '" + k.tenant() + "' carries an external "
                + "ID other than the one the vendor assigned to it: the customer's log role trusts another ID");
          }
        }
      }
    }
  }
}
