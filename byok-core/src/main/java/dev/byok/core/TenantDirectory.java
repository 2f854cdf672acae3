package dev.byok.core;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The vendor's registry of tenants: where {@code TenantCrypto} finds each tenant's customer key and
 * {@code CloudWatchLogsAuditSink} each tenant's hand-off bundle (log group, role, external ID). {@link #builder()} and
 * {@link #fromBundleDirectory(Path)} make an immutable directory; a vendor whose tenants come and
 * go may implement this interface on its own tenant store.
 *
 * <p>Implementations must be thread-safe and fast: {@link #find} is called on every encrypt and
 * decrypt.
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

    private Builder() {}

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

    /** The immutable directory of the tenants added so far (possibly none). */
    public TenantDirectory build() {
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
  }
}
