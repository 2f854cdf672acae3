package dev.byok.provisioning.internal.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** EventBridge in memory: buses (the default one always exists) with policies, rules and targets; no event routing. */
public final class FakeEvents extends FakeService implements EventsPort {
  /** One bus, open to tests. */
  public static final class Bus {
    public final String arn;
    public @Nullable String policy;
    public final Map<String, Rule> rules = new TreeMap<>();

    Bus(String arn) {
      this.arn = arn;
    }
  }

  /** One rule, open to tests. */
  public static final class Rule {
    public final String arn;
    public String pattern;
    public String state = "ENABLED";
    public final Map<String, TargetInfo> targets = new LinkedHashMap<>();

    Rule(String arn, String pattern) {
      this.arn = arn;
      this.pattern = pattern;
    }
  }

  private final String region;
  private final String account;
  public final Map<String, Bus> buses = new TreeMap<>();

  FakeEvents(String region, String account, Shared shared) {
    super("events", shared);
    this.region = region;
    this.account = account;
    buses.put(DEFAULT_BUS, new Bus("arn:aws:events:" + region + ":" + account + ":event-bus/default"));
  }

  private Bus bus(String name) {
    Bus b = buses.get(name);
    if (b == null) {
      throw error("ResourceNotFoundException", "Event bus " + name + " does not exist.");
    }
    return b;
  }

  private Rule rule(String bus, String name) {
    Rule r = bus(bus).rules.get(name);
    if (r == null) {
      throw error("ResourceNotFoundException", "Rule " + name + " does not exist on EventBus " + bus + ".");
    }
    return r;
  }

  @Override
  public Optional<RuleInfo> describeRule(String bus, String name) {
    call("DescribeRule");
    Bus b = buses.get(bus);
    return Optional.ofNullable(b == null ? null : b.rules.get(name)).map(r -> new RuleInfo(name, r.arn, r.pattern, r.state));
  }

  @Override
  public String putRule(String bus, String name, String eventPattern, String description, Map<String, String> tags) {
    call("PutRule");
    Bus b = bus(bus);
    String arn = "arn:aws:events:" + region + ":" + account + ":rule/" + (bus.equals(DEFAULT_BUS) ? "" : bus + "/") + name;
    Rule r = b.rules.computeIfAbsent(name, n -> new Rule(arn, eventPattern));
    r.pattern = eventPattern;
    r.state = "ENABLED";
    return arn;
  }

  @Override
  public List<TargetInfo> listTargets(String bus, String rule) {
    call("ListTargetsByRule");
    return List.copyOf(rule(bus, rule).targets.values());
  }

  @Override
  public void putTargets(String bus, String rule, List<TargetInfo> targets) {
    call("PutTargets");
    Rule r = rule(bus, rule);
    for (TargetInfo t : targets) {
      if (!r.targets.containsKey(t.id()) && r.targets.size() >= 5) {
        throw error("LimitExceededException", "The requested resource exceeds the maximum number allowed.");
      }
      r.targets.put(t.id(), t);
    }
  }

  @Override
  public void removeTargets(String bus, String rule, List<String> ids) {
    call("RemoveTargets");
    ids.forEach(rule(bus, rule).targets::remove);
  }

  @Override
  public void deleteRule(String bus, String name) {
    call("DeleteRule");
    if (!rule(bus, name).targets.isEmpty()) {
      throw error("ValidationException", "Rule can't be deleted since it has targets.");
    }
    bus(bus).rules.remove(name);
  }

  @Override
  public Optional<BusInfo> describeEventBus(String name) {
    call("DescribeEventBus");
    return Optional.ofNullable(buses.get(name)).map(b -> new BusInfo(name, b.arn, b.policy));
  }

  @Override
  public String createEventBus(String name, Map<String, String> tags) {
    call("CreateEventBus");
    if (buses.containsKey(name)) {
      throw error("ResourceAlreadyExistsException", "Event bus " + name + " already exists.");
    }
    Bus b = new Bus("arn:aws:events:" + region + ":" + account + ":event-bus/" + name);
    buses.put(name, b);
    return b.arn;
  }

  @Override
  public void putBusPolicy(String name, String policy) {
    call("PutPermission");
    bus(name).policy = policy;
  }

  @Override
  public void deleteEventBus(String name) {
    call("DeleteEventBus");
    if (!bus(name).rules.isEmpty()) {
      throw error("ValidationException", "Cannot delete event bus with existing rules.");
    }
    buses.remove(name);
  }

  /** Every rule's targets on {@code bus}, for tests. */
  public List<TargetInfo> targets(String bus, String rule) {
    return new ArrayList<>(buses.get(bus).rules.get(rule).targets.values());
  }
}
