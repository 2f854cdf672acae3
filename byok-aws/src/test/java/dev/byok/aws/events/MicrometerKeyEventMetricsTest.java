package dev.byok.aws.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Micrometer meters of a listener. */
class MicrometerKeyEventMetricsTest {
  @Test
  void meters_countByActionAndReason_timeLag() {
    SimpleMeterRegistry r = new SimpleMeterRegistry();
    MicrometerKeyEventMetrics m = MicrometerKeyEventMetrics.create(r, "fleet-1");
    m.received();
    m.received();
    m.actedOn("revoke");
    m.actedOn("check");
    m.actedOn("check");
    m.ignored(IgnoredReason.WRONG_ACCOUNT);
    m.failed();
    m.lag(Duration.ofMillis(800));
    assertEquals(2, r.get("byok.keyevents.received").tag("listener", "fleet-1").counter().count());
    assertEquals(1, r.get("byok.keyevents.acted").tag("action", "revoke").counter().count());
    assertEquals(2, r.get("byok.keyevents.acted").tag("action", "check").counter().count());
    assertEquals(1, r.get("byok.keyevents.ignored").tag("reason", "wrong-account").counter().count());
    assertEquals(0, r.get("byok.keyevents.ignored").tag("reason", "malformed").counter().count());
    assertEquals(1, r.get("byok.keyevents.failed").counter().count());
    assertEquals(800, r.get("byok.keyevents.lag").timer().totalTime(TimeUnit.MILLISECONDS), 0.001);
  }
}
