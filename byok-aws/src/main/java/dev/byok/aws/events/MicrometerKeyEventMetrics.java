package dev.byok.aws.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Publishes a {@link KeyEventListener}'s measurements to a Micrometer {@link MeterRegistry}, each
 * meter tagged {@code listener=<name>}:
 * <ul>
 *   <li>{@code byok.keyevents.received} (counter)
 *   <li>{@code byok.keyevents.acted} (counter, tag {@code action=revoke|check})
 *   <li>{@code byok.keyevents.ignored} (counter, tag {@code reason=}{@link IgnoredReason#id()})
 *   <li>{@code byok.keyevents.failed} (counter)
 *   <li>{@code byok.keyevents.lag} (timer: the event's {@code eventTime} to its handling)
 * </ul>
 * The only class of this package that needs Micrometer on the class path. Thread-safe.
 */
public final class MicrometerKeyEventMetrics implements KeyEventMetrics {
  private final Counter received;
  private final Counter revoke;
  private final Counter check;
  private final Map<IgnoredReason, Counter> ignored = new EnumMap<>(IgnoredReason.class);
  private final Counter failed;
  private final Timer lag;

  private MicrometerKeyEventMetrics(MeterRegistry r, String listener) {
    received = Counter.builder("byok.keyevents.received").tag("listener", listener)
        .description("messages taken from the key-event queue").register(r);
    revoke = acted(r, listener, "revoke");
    check = acted(r, listener, "check");
    for (IgnoredReason reason : IgnoredReason.values()) {
      ignored.put(reason, Counter.builder("byok.keyevents.ignored").tag("listener", listener).tag("reason", reason.id())
          .description("key-event messages ignored and deleted").register(r));
    }
    failed = Counter.builder("byok.keyevents.failed").tag("listener", listener)
        .description("key-event messages whose handling failed (left for redelivery)").register(r);
    lag = Timer.builder("byok.keyevents.lag").tag("listener", listener)
        .description("from the customer's call (eventTime) to the vendor acting on it").register(r);
  }

  private static Counter acted(MeterRegistry r, String listener, String action) {
    return Counter.builder("byok.keyevents.acted").tag("listener", listener).tag("action", action)
        .description("key events acted on").register(r);
  }

  /** Meters in {@code registry} tagged {@code listener=<listener>}; use one instance per listener. */
  public static MicrometerKeyEventMetrics create(MeterRegistry registry, String listener) {
    return new MicrometerKeyEventMetrics(Objects.requireNonNull(registry, "registry"), Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void received() {
    received.increment();
  }

  @Override
  public void actedOn(String action) {
    ("revoke".equals(action) ? revoke : check).increment();
  }

  @Override
  public void ignored(IgnoredReason reason) {
    ignored.get(reason).increment();
  }

  @Override
  public void failed() {
    failed.increment();
  }

  @Override
  public void lag(Duration d) {
    lag.record(d);
  }
}
