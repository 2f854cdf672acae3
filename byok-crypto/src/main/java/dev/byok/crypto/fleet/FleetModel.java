package dev.byok.crypto.fleet;

import java.time.Duration;
import java.util.OptionalDouble;

/**
 * Predicts what a vendor fleet costs in AWS KMS calls, in steady state, from how byok's data-key
 * cache behaves. Every instance caches, per scope (a tenant's customer key and one encryption
 * context) it serves: its own data key (one GenerateDataKey per {@code maxAge}) and, for decrypts of
 * recent messages, the data key of every other instance that writes the scope (one Decrypt load
 * each per {@code maxAge}); the scope is re-confirmed with a Decrypt whenever no KMS call confirmed
 * it for a refresh-ahead interval. All of these count against the account's quota.
 *
 * <p><b>The model</b>, per instance and scope in steady use, with w the instances writing the scope
 * (k under tenant-affine routing, every instance under random routing), A = maxAge, R =
 * revalidateAfter and p = 0.775 R (the mean refresh-ahead point):
 * <ul>
 *   <li>coalesced, w = 1: each generation of a data key is re-confirmed n = floor((A - 1.25 R) / p) + 1
 *       times (a re-confirmation that would buy less than R / 4 of life is skipped) and lasts L =
 *       min(A, n p + R): (1 GenerateDataKey + n Decrypt) / L;
 *   <li>coalesced, w &ge; 2: per A, 1 GenerateDataKey and w - 1 Decrypt loads, which, at independent
 *       phases, split A into w gaps (uniform spacings); a gap G needs ceil(G / p) - 1
 *       re-confirmations, so w &middot; sum over j &ge; 1 of (1 - j p / A)^(w-1) of them per A;
 *   <li>not coalesced (every cached data key confirmed on its own, at 0.8 R): each of the w cached
 *       data keys costs (1 + n0) calls per life L0, n0 = ceil((A - R) / 0.8 R), L0 = min(A, n0 0.8 R + R).
 * </ul>
 * Given a request rate, an instance-scope pair that sees fewer requests than that steady cost
 * pays one call per request (every request a miss). Without one, every scope is in steady use on
 * every instance that serves it: the upper bound. The model does not count DescribeKey (only after a
 * refused call) nor probes of revoked keys, and assumes the cache holds every entry
 * ({@link Prediction#cacheOverflow()} says when it cannot). {@code docs/fleet.md} compares it with
 * a measured fleet.
 *
 * <p>Stateless and thread-safe.
 */
public final class FleetModel {
  /** The mean refresh-ahead point, as a fraction of revalidateAfter, with jitter ([75%, 80%)). */
  static final double JITTERED_REFRESH_AHEAD = 0.775;
  /** The refresh-ahead point without coalescing (one fixed point per cached data key). */
  static final double FIXED_REFRESH_AHEAD = 0.8;
  /** A re-confirmation that would keep a data key alive less than this fraction of R longer is skipped. */
  static final double MIN_REFRESH_GAIN = 0.25;
  /**
   * With pushed key events: from the event on the vendor's bus to the last instance's first refusal,
   * p99 measured on the emulators ({@code KeyEventListenerIT}, docs/revocation.md).
   */
  public static final Duration PUSHED_REVOCATION_P99 = Duration.ofMillis(130);
  private static final int MAX_GAP_TERMS = 1_000_000;

  private FleetModel() {}

  /** The steady-state prediction for {@code fleet}. */
  public static Prediction predict(Fleet fleet) {
    double r = seconds(fleet.cachePolicy().revalidateAfter());
    double a = seconds(fleet.cachePolicy().maxAge());
    int k = fleet.instancesPerTenant();
    double e = fleet.encryptShare();
    // The data keys an instance caches per scope: its own, and the other writers' when it decrypts.
    int w = e < 1 ? k : 1;
    Pair hot = fleet.coalesced() ? coalesced(w, r, a) : perEntry(w, r, a);
    long pairs = fleet.tenants() * fleet.contextsPerTenant() * (long) k;
    double gdk;
    double loads;
    double refreshes;
    OptionalDouble hitRatio = OptionalDouble.empty();
    if (fleet.requestsPerSecond().isEmpty()) {
      gdk = hot.generate * pairs;
      loads = hot.loads * pairs;
      refreshes = hot.refreshes * pairs;
    } else {
      double rps = fleet.requestsPerSecond().getAsDouble();
      double[] sum = new double[4]; // generate, loads, refreshes, misses
      double perPair = 1.0 / ((double) fleet.contextsPerTenant() * k);
      if (fleet.traffic().isUniform()) {
        addTenant(sum, hot, rps / fleet.tenants() * perPair, e, (double) fleet.contextsPerTenant() * k * fleet.tenants());
      } else {
        double s = fleet.traffic().zipfExponent();
        double norm = 0;
        for (long t = 1; t <= fleet.tenants(); t++) {
          norm += Math.pow(t, -s);
        }
        for (long t = 1; t <= fleet.tenants(); t++) {
          addTenant(sum, hot, rps * Math.pow(t, -s) / norm * perPair, e, (double) fleet.contextsPerTenant() * k);
        }
      }
      gdk = sum[0];
      loads = sum[1];
      refreshes = sum[2];
      hitRatio = OptionalDouble.of(Math.max(0, 1 - sum[3] / rps));
    }
    Prediction.CallRates calls = new Prediction.CallRates(gdk, loads + refreshes, loads, refreshes);
    double scopesPerInstance = (double) pairs / fleet.instances();
    double entriesPerInstance = scopesPerInstance * (1 + w); // encrypt side + decrypt side (own twin and others')
    boolean overflow = scopesPerInstance > fleet.cachePolicy().maxEntries()
        || scopesPerInstance * w > fleet.cachePolicy().maxEntries();
    return new Prediction(fleet, calls, calls.total() / fleet.quota(), fleet.cachePolicy().revalidateAfter(),
        fleet.push() ? PUSHED_REVOCATION_P99 : null, hitRatio, k, scopesPerInstance, entriesPerInstance, overflow);
  }

  /** Adds {@code pairs} instance-scope pairs, each seeing {@code lambda} requests per second. */
  private static void addTenant(double[] sum, Pair hot, double lambda, double e, double pairs) {
    if (lambda <= hot.total()) {
      // Fewer requests than the steady cost: at most one call per request, each a miss.
      sum[0] += lambda * e * pairs;
      sum[1] += lambda * (1 - e) * pairs;
      sum[3] += lambda * pairs;
    } else {
      sum[0] += hot.generate * pairs;
      sum[1] += hot.loads * pairs;
      sum[2] += hot.refreshes * pairs;
      sum[3] += (hot.generate + hot.loads) * pairs;
    }
  }

  /** Calls per second of one instance-scope pair in steady use. */
  record Pair(double generate, double loads, double refreshes) {
    double total() {
      return generate + loads + refreshes;
    }
  }

  /** Coalesced confirmations, jittered refresh-ahead, {@code w} writers per scope. */
  static Pair coalesced(int w, double r, double a) {
    double p = JITTERED_REFRESH_AHEAD * r;
    if (w == 1) {
      double n = a >= (1 + MIN_REFRESH_GAIN) * r ? Math.floor((a - (1 + MIN_REFRESH_GAIN) * r) / p) + 1 : 0;
      double life = Math.min(a, n * p + r);
      return new Pair(1 / life, 0, n / life);
    }
    double gaps;
    if (a / p > MAX_GAP_TERMS) {
      gaps = a / p / w; // the sum's integral: each of the w gaps averages a / w
    } else {
      gaps = 0;
      for (int j = 1; j * p < a; j++) {
        gaps += Math.pow(1 - j * p / a, w - 1);
      }
    }
    return new Pair(1 / a, (w - 1) / a, w * gaps / a);
  }

  /** One confirmation per cached data key, at a fixed 80% (byok before issue 18). */
  static Pair perEntry(int w, double r, double a) {
    double p = FIXED_REFRESH_AHEAD * r;
    double n = a > r ? Math.ceil((a - r) / p) : 0;
    double life = Math.min(a, n * p + r);
    return new Pair(1 / life, (w - 1) / life, w * n / life);
  }

  private static double seconds(Duration d) {
    try {
      return d.toNanos() / 1e9;
    } catch (ArithmeticException ex) {
      return d.getSeconds();
    }
  }
}
