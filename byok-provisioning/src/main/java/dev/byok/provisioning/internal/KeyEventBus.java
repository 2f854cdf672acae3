package dev.byok.provisioning.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.core.ProvisioningException;
import dev.byok.provisioning.Check;
import dev.byok.provisioning.internal.aws.EventsPort;
import dev.byok.provisioning.internal.aws.EventsPort.BusInfo;
import dev.byok.provisioning.internal.aws.EventsPort.RuleInfo;
import dev.byok.provisioning.internal.aws.EventsPort.TargetInfo;
import dev.byok.provisioning.internal.aws.SnsPort;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The vendor's side of key events, first part: the event bus the customers' rules put events on
 * (with a resource policy naming the customers' accounts), the rule on it that matches KMS
 * CloudTrail records, and, for SNS fan-out, the topic it targets (with a policy that lets only that
 * rule publish): apply, verify and destroy. The queues of the instances are {@link InstanceQueues}.
 * Not thread-safe: one per operation.
 */
public final class KeyEventBus {
  /** The rule's pattern on the vendor's bus: every KMS call CloudTrail records (the customers' rules chose which). */
  public static final String PATTERN = "{\"source\":[\"aws.kms\"],\"detail-type\":[\"AWS API Call via CloudTrail\"],"
      + "\"detail\":{\"eventSource\":[\"kms.amazonaws.com\"]}}";
  /** The ID of the rule's target when it is the SNS topic. */
  public static final String TOPIC_TARGET_ID = "fan-out-topic";

  /** What one operation needs to know of the vendor's set-up. */
  public record Names(String busName, String ruleName, String topicName, Map<String, String> tags) {}

  private final Names names;
  private final EventsPort events;
  private final SnsPort sns;
  private final Calls calls;

  /** The bus of {@code names}. */
  public KeyEventBus(Names names, EventsPort events, SnsPort sns, Calls calls) {
    this.names = names;
    this.events = events;
    this.sns = sns;
    this.calls = calls;
  }

  // ---- apply ----

  /** Creates or converges the bus and its resource policy (rendered for the bus's ARN by {@code policy}); returns the bus's ARN. */
  public String ensureBus(java.util.function.Function<String, ObjectNode> policy) {
    Optional<BusInfo> bus = bus();
    String arn = bus.isPresent() ? bus.get().arn() : calls.write("bus", "events:CreateEventBus", names.busName(),
        () -> events.createEventBus(names.busName(), names.tags()));
    ObjectNode wanted = policy.apply(arn);
    String have = bus.map(BusInfo::policy).orElse(null);
    if (have == null || !Json.samePolicy(Json.parsePolicy(have), wanted)) {
      calls.write("bus", "events:PutPermission", names.busName() + " (busPolicy)", () -> events.putBusPolicy(names.busName(), wanted.toString()));
    }
    return arn;
  }

  /** Creates or converges the rule that matches KMS CloudTrail records on the bus; returns its ARN. */
  public String ensureRule() {
    Optional<RuleInfo> rule = rule();
    if (rule.isPresent() && samePattern(rule.get()) && "ENABLED".equals(rule.get().state())) {
      return rule.get().arn();
    }
    return calls.write("rule", "events:PutRule", names.ruleName() + " on " + names.busName(), () -> events.putRule(names.busName(),
        names.ruleName(), PATTERN, "Fans the customers' key events out to every vendor instance (byok)", names.tags()));
  }

  /** Creates or converges the SNS topic and its policy (rendered for the topic's ARN), and makes it the rule's target; returns its ARN. */
  public String ensureTopic(String topicArn, java.util.function.Function<String, ObjectNode> policy) {
    Optional<String> have = calls.read("sns:GetTopicAttributes", names.topicName(), () -> sns.topicPolicy(topicArn));
    String arn = topicArn;
    if (have.isEmpty()) {
      arn = calls.write("topic", "sns:CreateTopic", names.topicName(), () -> sns.createTopic(names.topicName(), names.tags()));
    }
    ObjectNode wanted = policy.apply(arn);
    if (have.isEmpty() || !Json.samePolicy(Json.parsePolicy(have.get()), wanted)) {
      String a = arn;
      calls.write("topic", "sns:SetTopicAttributes", names.topicName() + " (topicPolicy)", () -> sns.setTopicPolicy(a, wanted.toString()));
    }
    List<TargetInfo> targets = targets();
    boolean targeted = targets.stream().anyMatch(t -> t.id().equals(TOPIC_TARGET_ID) && t.arn().equals(topicArn) && t.inputTemplate() == null);
    if (!targeted) {
      String a = arn;
      calls.write("rule", "events:PutTargets", names.ruleName() + " -> " + arn, () -> events.putTargets(names.busName(), names.ruleName(),
          List.of(new TargetInfo(TOPIC_TARGET_ID, a, null, null, null))));
    }
    return arn;
  }

  // ---- verify ----

  /** Adds the checks of the bus, its policy and the rule; returns the bus's ARN when it exists. */
  public Optional<String> verify(List<Check> checks, java.util.function.Function<String, ObjectNode> policy) {
    Optional<BusInfo> bus = bus();
    checks.add(new Check("bus exists", bus.isPresent(), names.busName()));
    if (bus.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode wanted = policy.apply(bus.get().arn());
    boolean same = bus.get().policy() != null && Json.samePolicy(Json.parsePolicy(bus.get().policy()), wanted);
    checks.add(new Check("bus policy", same, same ? "events:PutEvents for the customers' accounts only"
        : bus.get().policy() == null ? "no policy: no customer can forward events" : "differs from the plan"));
    Optional<RuleInfo> rule = rule();
    checks.add(new Check("fan-out rule", rule.isPresent() && samePattern(rule.get()) && "ENABLED".equals(rule.get().state()),
        rule.map(r -> r.name() + " " + r.state() + (samePattern(r) ? ", KMS CloudTrail records" : ", pattern differs")).orElse("missing")));
    return Optional.of(bus.get().arn());
  }

  /** Adds the checks of the topic: its policy, and that it is the rule's target. */
  public void verifyTopic(List<Check> checks, String topicArn, ObjectNode policy) {
    Optional<String> have = calls.read("sns:GetTopicAttributes", names.topicName(), () -> sns.topicPolicy(topicArn));
    checks.add(new Check("fan-out topic exists", have.isPresent(), topicArn));
    if (have.isPresent()) {
      boolean same = Json.samePolicy(Json.parsePolicy(have.get()), policy);
      checks.add(new Check("fan-out topic policy", same, same ? "sns:Publish for the fan-out rule only" : "differs from the plan"));
    }
    boolean targeted = rule().isPresent() && targets().stream().anyMatch(t -> t.id().equals(TOPIC_TARGET_ID) && t.arn().equals(topicArn));
    checks.add(new Check("fan-out rule target", targeted, targeted ? "the topic" : "the rule does not target the topic"));
  }

  // ---- destroy ----

  /** Removes the rule's targets and the rule, the topic (when {@code topicArn} is given) and the bus. */
  public void destroy(@Nullable String topicArn) {
    if (rule().isPresent()) {
      List<String> ids = targets().stream().map(TargetInfo::id).toList();
      if (!ids.isEmpty()) {
        calls.write("rule", "events:RemoveTargets", names.ruleName() + " " + ids, () -> events.removeTargets(names.busName(), names.ruleName(), ids));
      }
      calls.write("rule", "events:DeleteRule", names.ruleName(), () -> events.deleteRule(names.busName(), names.ruleName()));
    }
    if (topicArn != null && calls.read("sns:GetTopicAttributes", names.topicName(), () -> sns.topicPolicy(topicArn)).isPresent()) {
      calls.write("topic", "sns:DeleteTopic", names.topicName(), () -> sns.deleteTopic(topicArn));
    }
    if (bus().isPresent()) {
      calls.write("bus", "events:DeleteEventBus", names.busName(), () -> events.deleteEventBus(names.busName()));
    }
  }

  // ---- reads ----

  /** The rule's targets (empty without the rule). */
  public List<TargetInfo> targets() {
    return calls.read("events:ListTargetsByRule", names.ruleName(), () -> events.listTargets(names.busName(), names.ruleName()));
  }

  /** The bus, if it exists. */
  public Optional<BusInfo> bus() {
    return calls.read("events:DescribeEventBus", names.busName(), () -> events.describeEventBus(names.busName()));
  }

  /** The rule, if it exists. */
  public Optional<RuleInfo> rule() {
    return calls.read("events:DescribeRule", names.ruleName(), () -> events.describeRule(names.busName(), names.ruleName()));
  }

  /** The rule's ARN, or a {@link ProvisioningException} saying to apply first. */
  public String requireRule() {
    return rule().map(RuleInfo::arn).orElseThrow(() -> new ProvisioningException(calls.operation() + ": no rule " + names.ruleName()
        + " on bus " + names.busName() + "; apply the vendor's bus first"));
  }

  private static boolean samePattern(RuleInfo r) {
    if (r.eventPattern() == null) {
      return false;
    }
    try {
      JsonNode have = Json.MAPPER.readTree(r.eventPattern());
      return have.equals(Json.MAPPER.readTree(PATTERN));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return false;
    }
  }
}
