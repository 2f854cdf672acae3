package dev.byok.provisioning.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.core.ProvisioningException;
import dev.byok.provisioning.Check;
import dev.byok.provisioning.internal.aws.EventsPort;
import dev.byok.provisioning.internal.aws.EventsPort.TargetInfo;
import dev.byok.provisioning.internal.aws.SnsPort;
import dev.byok.provisioning.internal.aws.SnsPort.SubscriptionInfo;
import dev.byok.provisioning.internal.aws.SqsPort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The vendor's side of key events, second part: one SQS queue per vendor instance, each with its
 * dead-letter queue (messages whose handling failed {@value #MAX_RECEIVE_COUNT} times), a policy
 * that lets only the fan-out (the SNS topic, or the bus's rule) send to it, and its subscription to
 * the topic (raw message delivery) or its place among the rule's targets: add, verify, remove. Not
 * thread-safe: one per operation.
 */
public final class InstanceQueues {
  /** Receives before SQS moves a message to the dead-letter queue. */
  public static final int MAX_RECEIVE_COUNT = 5;
  /** Dead letters are kept 14 days, the SQS maximum. */
  static final String DLQ_RETENTION_SECONDS = "1209600";
  /** A rule has at most five targets. */
  public static final int MAX_RULE_TARGETS = 5;
  /**
   * Input of a rule's SQS target: the standard EventBridge envelope. AWS delivers that envelope by
   * default; moto's default target input leaves {@code account} out, which the listener needs.
   */
  public static final Map<String, String> ENVELOPE_PATHS = envelopePaths();
  /** The template that goes with {@link #ENVELOPE_PATHS}. */
  public static final String ENVELOPE_TEMPLATE = "{\"version\":\"0\",\"id\":\"<id>\",\"detail-type\":\"<detailType>\",\"source\":\"<source>\","
      + "\"account\":\"<account>\",\"time\":\"<time>\",\"region\":\"<region>\",\"resources\":<resources>,\"detail\":<detail>}";

  private static Map<String, String> envelopePaths() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("id", "$.id");
    m.put("detailType", "$.detail-type");
    m.put("source", "$.source");
    m.put("account", "$.account");
    m.put("time", "$.time");
    m.put("region", "$.region");
    m.put("resources", "$.resources");
    m.put("detail", "$.detail");
    return java.util.Collections.unmodifiableMap(m);
  }

  /** One instance's queues: names, URLs and ARNs. */
  public record Queue(String instanceId, String queueName, String queueUrl, String queueArn, String deadLetterQueueUrl) {}

  /**
   * How the instances get the events: {@code topicArn} for SNS fan-out, else the rule's targets
   * ({@code ruleArn}) on {@code busName}.
   */
  public record FanOut(@Nullable String topicArn, String busName, String ruleName, String ruleArn) {
    boolean sns() {
      return topicArn != null;
    }

    String sourceArn() {
      return topicArn != null ? topicArn : ruleArn;
    }
  }

  private final String prefix;
  private final Map<String, String> tags;
  private final SqsPort sqs;
  private final SnsPort sns;
  private final EventsPort events;
  private final Calls calls;

  /** The queues named {@code <prefix><instance>} and {@code <prefix><instance>-dlq}. */
  public InstanceQueues(String prefix, Map<String, String> tags, SqsPort sqs, SnsPort sns, EventsPort events, Calls calls) {
    this.prefix = prefix;
    this.tags = tags;
    this.sqs = sqs;
    this.sns = sns;
    this.events = events;
    this.calls = calls;
  }

  // ---- add ----

  /**
   * Creates or converges the queues of {@code instanceId} and connects them to the fan-out;
   * {@code policy} renders a queue's policy for its ARN.
   */
  public Queue ensure(String instanceId, FanOut fanOut, Function<String, ObjectNode> policy) {
    if (!fanOut.sns()) {
      checkRoomForTarget(fanOut, instanceId); // before any queue is made
    }
    String name = prefix + instanceId;
    String dlqName = name + "-dlq";
    String dlqUrl = queueUrl(dlqName).orElseGet(() -> calls.write("queue", "sqs:CreateQueue", dlqName, () -> sqs.createQueue(dlqName,
        Map.of("MessageRetentionPeriod", DLQ_RETENTION_SECONDS), tags)));
    String dlqArn = attributes(dlqUrl, dlqName).get("QueueArn");
    String redrive = "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":" + MAX_RECEIVE_COUNT + "}";
    Optional<String> existing = queueUrl(name);
    String url = existing.orElseGet(() -> calls.write("queue", "sqs:CreateQueue", name, () -> sqs.createQueue(name,
        Map.of("RedrivePolicy", redrive), tags)));
    Map<String, String> attrs = attributes(url, name);
    String arn = attrs.get("QueueArn");
    ObjectNode wanted = policy.apply(arn);
    Map<String, String> change = new LinkedHashMap<>();
    if (!sameRedrive(attrs.get("RedrivePolicy"), dlqArn)) {
      change.put("RedrivePolicy", redrive);
    }
    if (attrs.get("Policy") == null || !Json.samePolicy(Json.parsePolicy(attrs.get("Policy")), wanted)) {
      change.put("Policy", wanted.toString());
    }
    if (!change.isEmpty()) {
      calls.write("queue", "sqs:SetQueueAttributes", name + " " + change.keySet(), () -> sqs.setAttributes(url, change));
    }
    if (fanOut.sns()) {
      subscribe(fanOut.topicArn(), arn);
    } else {
      target(fanOut, instanceId, arn);
    }
    return new Queue(instanceId, name, url, arn, dlqUrl);
  }

  private void subscribe(String topicArn, String queueArn) {
    List<SubscriptionInfo> subs = calls.read("sns:ListSubscriptionsByTopic", topicArn, () -> sns.listSubscriptions(topicArn));
    Optional<SubscriptionInfo> mine = subs.stream().filter(s -> queueArn.equals(s.endpoint())).findFirst();
    if (mine.isPresent() && mine.get().raw()) {
      return;
    }
    if (mine.isPresent()) {
      calls.write("queue", "sns:Unsubscribe", mine.get().arn() + " (not raw)", () -> sns.unsubscribe(mine.get().arn()));
    }
    calls.write("queue", "sns:Subscribe", queueArn + " (raw message delivery)", () -> sns.subscribeQueue(topicArn, queueArn));
  }

  private void checkRoomForTarget(FanOut f, String instanceId) {
    List<TargetInfo> targets = calls.read("events:ListTargetsByRule", f.ruleName(), () -> events.listTargets(f.busName(), f.ruleName()));
    if (targets.stream().noneMatch(t -> t.id().equals(instanceId)) && targets.size() >= MAX_RULE_TARGETS) {
      throw new ProvisioningException(calls.operation() + ": rule " + f.ruleName() + " already has " + targets.size()
          + " targets, the most EventBridge allows; use SNS fan-out for more instances");
    }
  }

  private void target(FanOut f, String instanceId, String queueArn) {
    List<TargetInfo> targets = calls.read("events:ListTargetsByRule", f.ruleName(), () -> events.listTargets(f.busName(), f.ruleName()));
    TargetInfo wanted = new TargetInfo(instanceId, queueArn, null, ENVELOPE_PATHS, ENVELOPE_TEMPLATE);
    Optional<TargetInfo> mine = targets.stream().filter(t -> t.id().equals(instanceId)).findFirst();
    if (mine.isPresent() && sameTarget(mine.get(), wanted)) {
      return;
    }
    calls.write("queue", "events:PutTargets", f.ruleName() + " -> " + queueArn, () -> events.putTargets(f.busName(), f.ruleName(),
        List.of(wanted)));
  }

  private static boolean sameTarget(TargetInfo a, TargetInfo b) {
    return a.arn().equals(b.arn()) && b.inputTemplate().equals(a.inputTemplate()) && b.inputPaths().equals(a.inputPaths());
  }

  private static boolean sameRedrive(@Nullable String have, String dlqArn) {
    if (have == null) {
      return false;
    }
    com.fasterxml.jackson.databind.JsonNode r = Json.parsePolicy(have);
    return dlqArn.equals(r.path("deadLetterTargetArn").asText()) && r.path("maxReceiveCount").asInt() == MAX_RECEIVE_COUNT;
  }

  // ---- verify ----

  /** The instances whose queues exist, by their queue names. */
  public List<String> instances() {
    List<String> out = new ArrayList<>();
    for (String url : calls.read("sqs:ListQueues", prefix, () -> sqs.listQueues(prefix))) {
      String name = url.substring(url.lastIndexOf('/') + 1);
      if (name.startsWith(prefix) && !name.endsWith("-dlq")) {
        out.add(name.substring(prefix.length()));
      }
    }
    return out;
  }

  /** Adds the checks of one instance: queue, policy, dead-letter queue, and its connection to the fan-out. */
  public void verify(List<Check> checks, String instanceId, FanOut fanOut, Function<String, ObjectNode> policy) {
    String name = prefix + instanceId;
    Optional<String> url = queueUrl(name);
    checks.add(new Check("instance " + instanceId + " queue", url.isPresent(), name));
    if (url.isEmpty()) {
      return;
    }
    Map<String, String> attrs = attributes(url.get(), name);
    String arn = attrs.get("QueueArn");
    boolean samePolicy = attrs.get("Policy") != null && Json.samePolicy(Json.parsePolicy(attrs.get("Policy")), policy.apply(arn));
    checks.add(new Check("instance " + instanceId + " queue policy", samePolicy, samePolicy
        ? "sqs:SendMessage for the fan-out only" : "differs from the plan"));
    Optional<String> dlq = queueUrl(name + "-dlq");
    boolean redrive = dlq.isPresent() && sameRedrive(attrs.get("RedrivePolicy"), attributes(dlq.get(), name + "-dlq").get("QueueArn"));
    checks.add(new Check("instance " + instanceId + " dead-letter queue", redrive, redrive
        ? name + "-dlq after " + MAX_RECEIVE_COUNT + " receives" : "no redrive to " + name + "-dlq"));
    if (fanOut.sns()) {
      Optional<SubscriptionInfo> sub = calls.read("sns:ListSubscriptionsByTopic", fanOut.topicArn(),
          () -> sns.listSubscriptions(fanOut.topicArn())).stream().filter(s -> arn.equals(s.endpoint())).findFirst();
      checks.add(new Check("instance " + instanceId + " subscription", sub.isPresent() && sub.get().raw(),
          sub.map(s -> s.raw() ? "raw message delivery" : "not raw").orElse("not subscribed")));
    } else {
      boolean targeted = calls.read("events:ListTargetsByRule", fanOut.ruleName(), () -> events.listTargets(fanOut.busName(),
          fanOut.ruleName())).stream().anyMatch(t -> t.id().equals(instanceId) && t.arn().equals(arn));
      checks.add(new Check("instance " + instanceId + " rule target", targeted, targeted ? "target of " + fanOut.ruleName() : "not a target"));
    }
  }

  // ---- remove ----

  /** Disconnects the instance from the fan-out and deletes its queue and dead-letter queue. */
  public void remove(String instanceId, @Nullable FanOut fanOut) {
    String name = prefix + instanceId;
    Optional<String> url = queueUrl(name);
    if (url.isPresent() && fanOut != null) {
      String arn = attributes(url.get(), name).get("QueueArn");
      if (fanOut.sns()) {
        for (SubscriptionInfo s : calls.read("sns:ListSubscriptionsByTopic", fanOut.topicArn(), () -> sns.listSubscriptions(fanOut.topicArn()))) {
          if (arn.equals(s.endpoint())) {
            calls.write("queue", "sns:Unsubscribe", s.arn(), () -> sns.unsubscribe(s.arn()));
          }
        }
      } else if (calls.read("events:ListTargetsByRule", fanOut.ruleName(), () -> events.listTargets(fanOut.busName(), fanOut.ruleName()))
          .stream().anyMatch(t -> t.id().equals(instanceId))) {
        calls.write("queue", "events:RemoveTargets", fanOut.ruleName() + " [" + instanceId + "]",
            () -> events.removeTargets(fanOut.busName(), fanOut.ruleName(), List.of(instanceId)));
      }
    }
    if (url.isPresent()) {
      calls.write("queue", "sqs:DeleteQueue", name, () -> sqs.deleteQueue(url.get()));
    }
    queueUrl(name + "-dlq").ifPresent(d -> calls.write("queue", "sqs:DeleteQueue", name + "-dlq", () -> sqs.deleteQueue(d)));
  }

  // ---- reads ----

  private Optional<String> queueUrl(String name) {
    return calls.read("sqs:GetQueueUrl", name, () -> sqs.queueUrl(name));
  }

  private Map<String, String> attributes(String url, String name) {
    return calls.read("sqs:GetQueueAttributes", name, () -> sqs.attributes(url));
  }
}
