/**
 * What a vendor fleet costs in AWS KMS calls: {@link dev.byok.crypto.fleet.FleetModel} predicts,
 * from a {@link dev.byok.crypto.fleet.Fleet} (instances, tenants, contexts, traffic, routing, cache
 * policy, pushed revocation, the region's quota), the calls per second by operation, the share of
 * the account's quota, the revocation latency and the cache hit ratio. The {@code byok fleet-model}
 * command is its front end; {@code docs/fleet.md} explains the model and its figures.
 */
@NullMarked
package dev.byok.crypto.fleet;

import org.jspecify.annotations.NullMarked;
