package dev.byok.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ToxiproxyToxicTest {

  @Test
  void latency_toJson_isTheApisShape() {
    assertEquals("{\"name\":\"slow\",\"type\":\"latency\",\"stream\":\"downstream\",\"toxicity\":1.000,"
        + "\"attributes\":{\"jitter\":100,\"latency\":500}}", Toxiproxy.Toxic.latency("slow", 500, 100).toJson());
    String json = Toxiproxy.Toxic.resetPeer("reset", 0, 0.25).toJson();
    assertEquals("{\"name\":\"reset\",\"type\":\"reset_peer\",\"stream\":\"upstream\",\"toxicity\":0.250,"
        + "\"attributes\":{\"timeout\":0}}", json);
  }

  @Test
  void toxic_badStreamOrToxicity_fails() {
    assertThrows(IllegalArgumentException.class, () -> new Toxiproxy.Toxic("x", "latency", "sideways", 1, Map.of()));
    assertThrows(IllegalArgumentException.class, () -> new Toxiproxy.Toxic("x", "latency", "upstream", 1.5, Map.of()));
    assertThrows(IllegalArgumentException.class, () -> new Toxiproxy.Toxic("x", "latency", "upstream", Double.NaN, Map.of()));
  }
}
