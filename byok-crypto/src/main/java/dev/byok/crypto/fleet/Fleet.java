package dev.byok.crypto.fleet;

import dev.byok.crypto.CachePolicy;
import java.util.HashSet;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * A vendor fleet as {@link FleetModel} sees it. Immutable and validated; build one with
 * {@link #builder()}:
 *
 * <pre>{@code
 * Fleet f = Fleet.builder().instances(100).tenants(10_000).contextsPerTenant(3)
 *     .routing(Routing.affine(3)).build();
 * }</pre>
 *
 * @param instances the instances of the service, each with its own {@code TenantCrypto}
 * @param tenants the tenants, each with its own customer key
 * @param contextsPerTenant the encryption contexts (scopes, e.g. data classes) each tenant uses
 * @param traffic how requests spread over tenants
 * @param routing how a tenant's requests spread over instances
 * @param cachePolicy the data-key cache policy of every instance ({@code revalidateAfter},
 *     {@code maxAge}, {@code maxEntries})
 * @param coalesced whether confirmations are coalesced per key and context (byok since issue 18);
 *     {@code false} models one confirmation per cached data key, at 80% of revalidateAfter
 * @param push whether the customers' key events are pushed to every instance
 *     ({@code KeyEventListener})
 * @param quota the account's KMS request quota for the cryptographic operations in the region, per
 *     second (10,000 by default; 20,000 in some regions; 100,000 in us-east-1, us-west-2 and eu-west-1)
 * @param requestsPerSecond the fleet's encrypts and decrypts per second; empty for "every scope hot
 *     on every instance that serves it" (the upper bound, with no hit ratio)
 * @param encryptShare the share of requests that encrypt (the rest decrypt recent messages written
 *     by any instance serving the tenant), above 0 and at most 1
 */
public record Fleet(int instances, long tenants, int contextsPerTenant, Traffic traffic, Routing routing,
    CachePolicy cachePolicy, boolean coalesced, boolean push, long quota, OptionalDouble requestsPerSecond,
    double encryptShare) {

  /** The default quota of the cryptographic operations, per account and region, per second. */
  public static final long DEFAULT_QUOTA = 10_000;
  private static final int MAX_INSTANCES = 1_000_000;
  private static final long MAX_TENANTS = 100_000_000;
  private static final int MAX_CONTEXTS = 10_000;

  /** Checks every value. */
  public Fleet {
    if (instances < 1 || instances > MAX_INSTANCES) {
      throw new IllegalArgumentException("instances: must be 1 to 1,000,000, got " + instances);
    }
    if (tenants < 1 || tenants > MAX_TENANTS) {
      throw new IllegalArgumentException("tenants: must be 1 to 100,000,000, got " + tenants);
    }
    if (contextsPerTenant < 1 || contextsPerTenant > MAX_CONTEXTS) {
      throw new IllegalArgumentException("contexts: must be 1 to 10,000 per tenant, got " + contextsPerTenant);
    }
    Objects.requireNonNull(traffic, "traffic");
    Objects.requireNonNull(routing, "routing");
    Objects.requireNonNull(cachePolicy, "cachePolicy");
    Objects.requireNonNull(requestsPerSecond, "requestsPerSecond");
    if (quota < 1) {
      throw new IllegalArgumentException("quota: must be at least 1 request per second, got " + quota);
    }
    if (requestsPerSecond.isPresent() && !(requestsPerSecond.getAsDouble() > 0
        && Double.isFinite(requestsPerSecond.getAsDouble()))) {
      throw new IllegalArgumentException("requestsPerSecond: must be positive, got " + requestsPerSecond.getAsDouble());
    }
    if (!(encryptShare > 0 && encryptShare <= 1)) {
      throw new IllegalArgumentException("encryptShare: must be above 0 and at most 1, got " + encryptShare);
    }
  }

  /** A builder: uniform traffic, random routing, the default cache policy, coalesced, no push, quota 10,000. */
  public static Builder builder() {
    return new Builder();
  }

  /** The instances that serve one tenant (k, or every instance under random routing). */
  public int instancesPerTenant() {
    return routing.instancesPerTenant(instances);
  }

  /**
   * Builds a {@link Fleet}; each setter rejects a second call at once, {@link #build()} checks the
   * values. {@code instances}, {@code tenants} and {@code contextsPerTenant} are required. Not
   * thread-safe.
   */
  public static final class Builder {
    private int instances;
    private long tenants;
    private int contextsPerTenant;
    private Traffic traffic = Traffic.uniform();
    private Routing routing = Routing.random();
    private CachePolicy cachePolicy = CachePolicy.defaults();
    private boolean coalesced = true;
    private boolean push;
    private long quota = DEFAULT_QUOTA;
    private OptionalDouble requestsPerSecond = OptionalDouble.empty();
    private double encryptShare = 0.5;
    private final Set<String> set = new HashSet<>();

    private Builder() {}

    private void once(String name) {
      if (!set.add(name)) {
        throw new IllegalStateException("Fleet.Builder: " + name + " was already set");
      }
    }

    public Builder instances(int v) {
      once("instances");
      instances = v;
      return this;
    }

    public Builder tenants(long v) {
      once("tenants");
      tenants = v;
      return this;
    }

    public Builder contextsPerTenant(int v) {
      once("contextsPerTenant");
      contextsPerTenant = v;
      return this;
    }

    public Builder traffic(Traffic v) {
      once("traffic");
      traffic = Objects.requireNonNull(v, "traffic");
      return this;
    }

    public Builder routing(Routing v) {
      once("routing");
      routing = Objects.requireNonNull(v, "routing");
      return this;
    }

    public Builder cachePolicy(CachePolicy v) {
      once("cachePolicy");
      cachePolicy = Objects.requireNonNull(v, "cachePolicy");
      return this;
    }

    public Builder coalesced(boolean v) {
      once("coalesced");
      coalesced = v;
      return this;
    }

    public Builder push(boolean v) {
      once("push");
      push = v;
      return this;
    }

    public Builder quota(long v) {
      once("quota");
      quota = v;
      return this;
    }

    public Builder requestsPerSecond(double v) {
      once("requestsPerSecond");
      requestsPerSecond = OptionalDouble.of(v);
      return this;
    }

    public Builder encryptShare(double v) {
      once("encryptShare");
      encryptShare = v;
      return this;
    }

    /**
     * The fleet.
     *
     * @throws IllegalStateException naming a required value that was not set
     * @throws IllegalArgumentException naming a value out of range
     */
    public Fleet build() {
      for (String required : new String[] {"instances", "tenants", "contextsPerTenant"}) {
        if (!set.contains(required)) {
          throw new IllegalStateException("Fleet: " + required + " is required");
        }
      }
      return new Fleet(instances, tenants, contextsPerTenant, traffic, routing, cachePolicy, coalesced, push, quota,
          requestsPerSecond, encryptShare);
    }
  }
}
