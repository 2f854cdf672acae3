package dev.byok.crypto.fleet;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * What {@link FleetModel} predicts for a {@link Fleet}, in steady state. Immutable.
 *
 * @param fleet the fleet predicted
 * @param kmsCallsPerSecond the fleet's KMS calls per second, by operation
 * @param quotaShare the calls as a share of the account's quota (1.0 = all of it; above it KMS
 *     throttles)
 * @param worstCaseRevocation the longest a revoked key or scope is still used: {@code revalidateAfter}
 *     (the bound holds for any revocation, pushed or not: an event may be late or lost)
 * @param pushedRevocation with pushed key events, how soon after the customer's event reaches the
 *     vendor's bus the instances stop (measured on the emulators, p99); {@code null} without push
 * @param cacheHitRatio the share of encrypts and decrypts served from the cache; empty when
 *     {@link Fleet#requestsPerSecond()} is not given
 * @param instancesPerScope the instances that cache each scope (k, or every instance)
 * @param cachedScopesPerInstance the scopes (key and encryption context) each instance caches
 * @param cachedEntriesPerInstance data keys each instance caches (encrypt side: one per scope;
 *     decrypt side: one per writing instance per scope)
 * @param cacheOverflow whether the entries exceed the cache's {@code maxEntries} on a side, which
 *     makes the cache thrash and the prediction too low
 */
public record Prediction(Fleet fleet, CallRates kmsCallsPerSecond, double quotaShare, Duration worstCaseRevocation,
    @Nullable Duration pushedRevocation, OptionalDouble cacheHitRatio, int instancesPerScope,
    double cachedScopesPerInstance, double cachedEntriesPerInstance, boolean cacheOverflow) {

  /** Checks the required parts. */
  public Prediction {
    Objects.requireNonNull(fleet, "fleet");
    Objects.requireNonNull(kmsCallsPerSecond, "kmsCallsPerSecond");
    Objects.requireNonNull(worstCaseRevocation, "worstCaseRevocation");
    Objects.requireNonNull(cacheHitRatio, "cacheHitRatio");
  }

  /**
   * KMS calls per second. All of them count against the account's shared quota of cryptographic
   * operations.
   *
   * @param generateDataKey GenerateDataKey: one per data-key generation per instance and scope
   * @param decrypt Decrypt: {@code decryptLoads} plus {@code reconfirmations}
   * @param decryptLoads Decrypt of a data key not in the cache (another instance's, or any when
   *     the cache is cold)
   * @param reconfirmations Decrypt to re-confirm access to a cached scope (or, not coalesced, to
   *     a cached data key) before {@code revalidateAfter}
   */
  public record CallRates(double generateDataKey, double decrypt, double decryptLoads, double reconfirmations) {
    /** Checks the values are finite and not negative. */
    public CallRates {
      for (double v : new double[] {generateDataKey, decrypt, decryptLoads, reconfirmations}) {
        if (!(v >= 0 && Double.isFinite(v))) {
          throw new IllegalArgumentException("call rates must be finite and not negative, got " + v);
        }
      }
    }

    /** Every call. */
    public double total() {
      return generateDataKey + decrypt;
    }
  }
}
