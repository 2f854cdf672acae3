package dev.byok.aws.logs.internal;

import dev.byok.core.HandoffBundle;
import dev.byok.core.TenantDirectory;
import dev.byok.core.TenantKey;
import dev.byok.core.internal.EventJson;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The sink's {@link Destinations}: each tenant's hand-off bundle, from the {@link TenantDirectory},
 * gives its log group, and its role and region for the client; the stream is
 * {@link #streamName this sink's own}. Thread-safe if the directory and the factory are.
 */
public final class BundleDestinations implements Destinations {
  static final int MAX_STREAM_NAME_CHARS = 512;

  private final TenantDirectory tenants;
  private final BiFunction<String, HandoffBundle, LogsApi> clients;
  private final String instanceId;

  /**
   * @param tenants where each tenant's bundle is looked up
   * @param clients makes a tenant's client from its bundle
   * @param instanceId this sink's part of the stream name
   */
  public BundleDestinations(TenantDirectory tenants, BiFunction<String, HandoffBundle, LogsApi> clients, String instanceId) {
    this.tenants = Objects.requireNonNull(tenants, "tenants");
    this.clients = Objects.requireNonNull(clients, "clients");
    this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
  }

  @Override
  public Destination open(String tenant) throws DeliveryFailure {
    Optional<HandoffBundle> bundle;
    try {
      bundle = tenants.find(tenant).flatMap(TenantKey::bundle);
    } catch (RuntimeException e) {
      throw new DeliveryFailure(DeliveryFailure.Kind.UNKNOWN_TENANT, "the hand-off bundle lookup failed for tenant '"
          + tenant + "': " + e + "; events are kept and retried", e);
    }
    if (bundle == null || bundle.isEmpty()) {
      throw new DeliveryFailure(DeliveryFailure.Kind.UNKNOWN_TENANT, "no hand-off bundle for tenant '" + tenant
          + "' (the sink's TenantDirectory does not know it or has no bundle for it); events are kept and retried", null);
    }
    HandoffBundle h = bundle.get();
    return new Destination(clients.apply(tenant, h), h.logGroupName(), streamName(h.vendor(), instanceId, tenant));
  }

  /** {@code byok/<vendor>/<instance>/<tenant>}, with ':' and '*' (not allowed) as '_', at most 512 characters. */
  public static String streamName(String vendor, String instanceId, String tenant) {
    String name = ("byok/" + vendor + "/" + instanceId + "/" + EventJson.wellFormed(tenant)).replace(':', '_').replace('*', '_');
    if (name.length() > MAX_STREAM_NAME_CHARS) {
      String hash = Integer.toHexString(tenant.hashCode());
      name = name.substring(0, MAX_STREAM_NAME_CHARS - hash.length() - 1) + "~" + hash;
    }
    return name;
  }
}
