package dev.byok.crypto.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.crypto.CachePolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The fleet model against closed-form figures worked out by hand, and its input checks. */
class FleetModelTest {
  private static final double EPS = 1e-9;

  private static Fleet.Builder fleet(int instances, long tenants, int contexts) {
    return Fleet.builder().instances(instances).tenants(tenants).contextsPerTenant(contexts);
  }

  @Test
  void notCoalesced_oneDataKeyPerScope_isTheIssuesBackOfEnvelopeAtEightyPercent() {
    // 100 instances x 10,000 tenants x 3 contexts hot, one cached data key each (encrypt only):
    // per key and maxAge (300 s) 1 GenerateDataKey and ceil((300 - 60) / 48) = 5 re-confirmations.
    Prediction p = FleetModel.predict(fleet(100, 10_000, 3).coalesced(false).encryptShare(1).build());
    assertEquals(100 * 30_000 * 6 / 300.0, p.kmsCallsPerSecond().total(), EPS);
    assertEquals(100 * 30_000 / 300.0, p.kmsCallsPerSecond().generateDataKey(), EPS);
    assertEquals(0, p.kmsCallsPerSecond().decryptLoads(), EPS);
    assertEquals(6.0, p.quotaShare(), EPS, "60,000 calls/s: six times the default quota");
  }

  @Test
  void coalesced_oneWriter_fiveReconfirmationsPerGenerationOf292Point5Seconds() {
    // n = floor((300 - 75) / 46.5) + 1 = 5; the generation ends at 5 x 46.5 + 60 = 292.5 s.
    Prediction p = FleetModel.predict(fleet(1, 100, 1).encryptShare(1).build());
    assertEquals(100 / 292.5, p.kmsCallsPerSecond().generateDataKey(), EPS);
    assertEquals(100 * 5 / 292.5, p.kmsCallsPerSecond().reconfirmations(), EPS);
  }

  @Test
  void headline_100Instances10kTenants3ContextsAffine3_defaults() {
    // w = 3 writers per scope: per 300 s, 1 GenerateDataKey, 2 Decrypt loads, and
    // 3 x sum_j (1 - 46.5 j / 300)^2 re-confirmations, j = 1..6.
    double gaps = 0;
    for (int j = 1; j <= 6; j++) {
      gaps += Math.pow(1 - 46.5 * j / 300, 2);
    }
    double perPair = (1 + 2 + 3 * gaps) / 300;
    Prediction p = FleetModel.predict(fleet(100, 10_000, 3).routing(Routing.affine(3)).build());
    assertEquals(90_000 * perPair, p.kmsCallsPerSecond().total(), 1e-6);
    assertEquals(90_000 / 300.0, p.kmsCallsPerSecond().generateDataKey(), 1e-6);
    assertEquals(90_000 * 2 / 300.0, p.kmsCallsPerSecond().decryptLoads(), 1e-6);
    assertEquals(p.kmsCallsPerSecond().total() / 10_000, p.quotaShare(), EPS);
    assertEquals(3, p.instancesPerScope());
    assertEquals(900, p.cachedScopesPerInstance(), EPS, "30,000 scopes on 3 of 100 instances each");
    assertTrue(p.quotaShare() > 0.2 && p.quotaShare() < 0.3, "about a quarter of the default quota: " + p.quotaShare());
  }

  @Test
  void notCoalesced_fourWriters_eachCachedDataKeyConfirmedOnItsOwn() {
    // FleetKmsEconomyTest's fleet before coalescing: 4 x (1 + 5) calls per 300 s per pair; measured 57,900.
    Prediction p = FleetModel.predict(fleet(4, 100, 3).coalesced(false).build());
    assertEquals(1_200 * 24 / 300.0 * 600, p.kmsCallsPerSecond().total() * 600, 1e-6);
  }

  @Test
  void coalescing_andAffinity_neverCostMore() {
    for (int n : new int[] {10, 100, 1000}) {
      Fleet.Builder base = fleet(n, 1_000, 3);
      double random = FleetModel.predict(fleet(n, 1_000, 3).build()).kmsCallsPerSecond().total();
      double randomOld = FleetModel.predict(fleet(n, 1_000, 3).coalesced(false).build()).kmsCallsPerSecond().total();
      double affine = FleetModel.predict(base.routing(Routing.affine(3)).build()).kmsCallsPerSecond().total();
      assertTrue(random < randomOld, n + ": coalesced " + random + " < per entry " + randomOld);
      assertTrue(affine < random, n + ": affine " + affine + " < random " + random);
    }
  }

  @Test
  void requestRate_belowSteadyCost_oneCallPerRequest_andHitRatio() {
    // 10 requests/s over 30,000 scopes on 100 instances: every request a miss.
    Prediction cold = FleetModel.predict(fleet(100, 10_000, 3).requestsPerSecond(10).build());
    assertEquals(10, cold.kmsCallsPerSecond().total(), 1e-9);
    assertEquals(0, cold.cacheHitRatio().orElseThrow(), 1e-9);
    // A rate far above the steady cost of every pair: the hot figures, and a hit ratio near 1.
    Prediction hot = FleetModel.predict(fleet(10, 100, 3).routing(Routing.affine(2)).requestsPerSecond(1e6).build());
    Prediction bound = FleetModel.predict(fleet(10, 100, 3).routing(Routing.affine(2)).build());
    assertEquals(bound.kmsCallsPerSecond().total(), hot.kmsCallsPerSecond().total(), 1e-6);
    double misses = hot.kmsCallsPerSecond().generateDataKey() + hot.kmsCallsPerSecond().decryptLoads();
    assertEquals(1 - misses / 1e6, hot.cacheHitRatio().orElseThrow(), 1e-12);
    assertTrue(bound.cacheHitRatio().isEmpty(), "no rate, no hit ratio");
  }

  @Test
  void zipf_concentratesTraffic_fewerCallsThanUniformAtTheSameRate() {
    // Uniform: 0.05 requests/s per instance and scope, above the steady cost (0.025): every pair busy.
    Fleet.Builder u = fleet(20, 10_000, 2).routing(Routing.affine(2)).requestsPerSecond(2_000);
    Fleet.Builder z = fleet(20, 10_000, 2).routing(Routing.affine(2)).requestsPerSecond(2_000).traffic(Traffic.zipf(1.1));
    Prediction uniform = FleetModel.predict(u.build());
    Prediction zipf = FleetModel.predict(z.build());
    assertTrue(zipf.kmsCallsPerSecond().total() < uniform.kmsCallsPerSecond().total(),
        zipf.kmsCallsPerSecond() + " vs " + uniform.kmsCallsPerSecond());
    // The tail's tenants see too few requests to keep their keys: their requests miss.
    assertTrue(zipf.cacheHitRatio().orElseThrow() > 0 && zipf.cacheHitRatio().orElseThrow() < 1);
    assertTrue(zipf.kmsCallsPerSecond().total() <= 2_000 + 1e-9);
  }

  @Test
  void revocation_worstCaseIsRevalidateAfter_pushAddsTheMeasuredEventLatency() {
    CachePolicy policy = CachePolicy.builder().revalidateAfter(Duration.ofMinutes(5)).build();
    Prediction polled = FleetModel.predict(fleet(10, 10, 1).cachePolicy(policy).build());
    Prediction pushed = FleetModel.predict(fleet(10, 10, 1).cachePolicy(policy).push(true).build());
    assertEquals(Duration.ofMinutes(5), polled.worstCaseRevocation());
    assertNull(polled.pushedRevocation());
    assertEquals(Duration.ofMinutes(5), pushed.worstCaseRevocation(), "an event may be late or lost");
    assertEquals(FleetModel.PUSHED_REVOCATION_P99, pushed.pushedRevocation());
    assertEquals(polled.kmsCallsPerSecond(), pushed.kmsCallsPerSecond(), "listening costs no KMS call");
  }

  @Test
  void longerRevalidateAfter_fewerReconfirmations() {
    double at60 = FleetModel.predict(fleet(100, 10_000, 3).routing(Routing.affine(3)).build()).kmsCallsPerSecond().total();
    CachePolicy five = CachePolicy.builder().revalidateAfter(Duration.ofMinutes(5)).maxAge(Duration.ofMinutes(15)).build();
    double at300 = FleetModel.predict(fleet(100, 10_000, 3).routing(Routing.affine(3)).cachePolicy(five).build())
        .kmsCallsPerSecond().total();
    assertTrue(at300 < at60 / 3, at300 + " vs " + at60);
  }

  @Test
  void cacheOverflow_whenScopesPerInstanceExceedMaxEntries() {
    assertTrue(FleetModel.predict(fleet(10, 100_000, 3).build()).cacheOverflow());
    assertTrue(!FleetModel.predict(fleet(100, 10_000, 3).routing(Routing.affine(3)).build()).cacheOverflow());
  }

  @Test
  void badInput_oneClearError() {
    assertEquals("tenants: must be 1 to 100,000,000, got 0",
        assertThrows(IllegalArgumentException.class, () -> fleet(1, 0, 1).build()).getMessage());
    assertEquals("Fleet: contextsPerTenant is required",
        assertThrows(IllegalStateException.class, () -> Fleet.builder().instances(1).tenants(1).build()).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Routing.parse("affine:0")).getMessage()
        .contains("affine:0"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Traffic.parse("zipf:x")).getMessage()
        .contains("zipf:x"));
    assertThrows(IllegalArgumentException.class, () -> fleet(1, 1, 1).encryptShare(0).build());
    assertThrows(IllegalStateException.class, () -> fleet(1, 1, 1).instances(2));
    assertEquals(Routing.affine(3), Routing.parse("affine:3"));
    assertEquals(Traffic.zipf(1.2), Traffic.parse("zipf:1.2"));
    assertEquals("random", Routing.parse("random").toString());
  }
}
