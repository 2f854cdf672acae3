package dev.byok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byok.crypto.fleet.Fleet;
import dev.byok.crypto.fleet.FleetModel;
import dev.byok.crypto.fleet.Routing;
import org.junit.jupiter.api.Test;

/** {@code byok fleet-model}: the JSON a script reads, the text, and bad input. */
class FleetModelCommandTest {

  @Test
  void json_headlineRow_callsByOperationAndQuotaShareAsTheModel() throws Exception {
    CliRun r = CliRun.run("fleet-model", "--instances", "100", "--tenants", "10000", "--contexts", "3",
        "--routing", "affine:3", "--format", "json");
    assertEquals(ExitCodes.OK, r.status, r.err);
    JsonNode n = new ObjectMapper().readTree(r.out);
    double expected = FleetModel.predict(Fleet.builder().instances(100).tenants(10_000).contextsPerTenant(3)
        .routing(Routing.affine(3)).build()).kmsCallsPerSecond().total();
    JsonNode calls = n.get("kmsCallsPerSecond");
    assertEquals(expected, calls.get("total").asDouble(), 0.01);
    assertEquals(calls.get("total").asDouble(), calls.get("byOperation").get("GenerateDataKey").asDouble()
        + calls.get("byOperation").get("Decrypt").asDouble(), 0.01);
    assertEquals(expected / 10_000, n.get("quotaShare").asDouble(), 1e-5);
    assertEquals(60.0, n.get("worstCaseRevocationSeconds").asDouble());
    assertTrue(n.get("pushedRevocationSeconds").isNull());
    assertTrue(n.get("cacheHitRatio").isNull(), "no request rate given");
    assertEquals("affine:3", n.get("fleet").get("routing").asText());
  }

  @Test
  void json_allOptions() throws Exception {
    CliRun r = CliRun.run("fleet-model", "--instances", "10", "--tenants", "1000", "--contexts", "2",
        "--traffic", "zipf:1.1", "--routing", "random", "--revalidate-after", "5m", "--max-age", "15m", "--push",
        "--quota", "100000", "--requests-per-second", "5000", "--format", "json");
    assertEquals(ExitCodes.OK, r.status, r.err);
    JsonNode n = new ObjectMapper().readTree(r.out);
    assertEquals(300.0, n.get("worstCaseRevocationSeconds").asDouble());
    assertEquals(0.13, n.get("pushedRevocationSeconds").asDouble());
    double hit = n.get("cacheHitRatio").asDouble();
    assertTrue(hit > 0 && hit < 1, "hit ratio " + hit);
    assertTrue(n.get("kmsCallsPerSecond").get("total").asDouble() <= 5000);
    assertEquals(100000, n.get("fleet").get("quota").asLong());
  }

  @Test
  void text_saysCallsQuotaAndRevocation() {
    CliRun r = CliRun.run("fleet-model", "--instances", "100", "--tenants", "10000", "--contexts", "3");
    assertEquals(ExitCodes.OK, r.status, r.err);
    assertTrue(r.out.contains("kms calls/s: "), r.out);
    assertTrue(r.out.contains("over the quota"), "random routing, every scope hot on 100 instances:\n" + r.out);
    assertTrue(r.out.contains("revocation: worst case 1m"), r.out);
  }

  @Test
  void badValues_usageErrorNamingTheValue() {
    CliRun routing = CliRun.run("fleet-model", "--instances", "1", "--tenants", "1", "--contexts", "1",
        "--routing", "sticky");
    assertEquals(ExitCodes.USAGE, routing.status);
    assertTrue(routing.err.contains("'sticky'"), routing.err);
    CliRun tenants = CliRun.run("fleet-model", "--instances", "1", "--tenants", "0", "--contexts", "1");
    assertEquals(ExitCodes.USAGE, tenants.status);
    assertTrue(tenants.err.contains("tenants"), tenants.err);
    CliRun missing = CliRun.run("fleet-model", "--instances", "1");
    assertEquals(ExitCodes.USAGE, missing.status);
  }
}
