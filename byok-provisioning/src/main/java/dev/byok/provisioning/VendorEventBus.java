package dev.byok.provisioning;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.core.AwsAccountId;
import dev.byok.core.ProvisioningException;
import dev.byok.provisioning.internal.Calls;
import dev.byok.provisioning.internal.InstanceQueues;
import dev.byok.provisioning.internal.Json;
import dev.byok.provisioning.internal.KeyEventBus;
import dev.byok.provisioning.internal.aws.AwsPorts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The vendor's side of pushed key events, in the vendor's own account: the event bus the customers'
 * rules forward their keys' KMS events to (its resource policy lets exactly the given customer
 * accounts put events), a rule on it that matches KMS CloudTrail records, and a fan-out to one SQS
 * queue per vendor instance, each with a dead-letter queue, where a {@code KeyEventListener}
 * (byok-aws) takes them.
 *
 * <pre>{@code
 * try (AwsClients aws = AwsClients.builder().region("us-east-1").build()) {
 *   VendorEventBus bus = VendorEventBus.builder().clients(aws)
 *       .addCustomerAccount(AwsAccountId.of("123456789012")).build();
 *   bus.apply();                                            // bus, policy, rule, topic
 *   String busArn = bus.busArn();                           // give it to customers: --vendor-event-bus
 *   VendorEventBus.InstanceQueue q = bus.addInstance("i-0abc"); // at instance start-up
 *   // KeyEventListener.builder().queueUrl(q.queueUrl())...
 *   bus.removeInstance("i-0abc");                           // at shut-down
 * }
 * }</pre>
 *
 * <p><b>Fan-out.</b> {@link FanOut#SNS} (the default): the rule targets one SNS topic, and each
 * instance's queue subscribes to it with raw message delivery, so every instance gets every event
 * and instances come and go without touching the rule. {@link FanOut#RULE_TARGETS}: the rule
 * targets each queue itself, without SNS, for at most five instances (EventBridge's limit of
 * targets per rule). Each queue's policy lets only the topic, or the rule, send to it. See
 * {@code docs/revocation.md} for the cost.
 *
 * <p>Operations read first and change only what differs, like {@link Provisioner}; every policy is
 * linted before it is written. Does not own the {@link AwsClients}. Not meant to run concurrently
 * on one instance. Immutable configuration; thread-safe as far as the SDK clients are.
 */
public final class VendorEventBus {
  /** How the rule on the bus reaches the instances' queues. */
  public enum FanOut {
    /** Rule to an SNS topic, each instance's queue subscribed with raw message delivery: any number of instances. */
    SNS,
    /** Rule to each instance's queue directly (at most five): no SNS. */
    RULE_TARGETS
  }

  /**
   * One vendor instance's queue.
   *
   * @param instanceId the instance
   * @param queueUrl where its {@code KeyEventListener} polls
   * @param queueArn the queue's ARN
   * @param deadLetterQueueUrl where messages go whose handling failed {@value InstanceQueues#MAX_RECEIVE_COUNT} times
   */
  public record InstanceQueue(String instanceId, String queueUrl, String queueArn, String deadLetterQueueUrl) {
    /** Checks that no part is null. */
    public InstanceQueue {
      Objects.requireNonNull(instanceId, "instanceId");
      Objects.requireNonNull(queueUrl, "queueUrl");
      Objects.requireNonNull(queueArn, "queueArn");
      Objects.requireNonNull(deadLetterQueueUrl, "deadLetterQueueUrl");
    }
  }

  /**
   * What an operation changed.
   *
   * @param operation {@code apply}, {@code add-instance}, {@code remove-instance} or {@code destroy}
   * @param changes the write calls made, in order
   * @param notes what is worth saying
   */
  public record Report(String operation, List<Change> changes, List<String> notes) {
    /** Copies the lists. */
    public Report {
      Objects.requireNonNull(operation, "operation");
      changes = List.copyOf(changes);
      notes = List.copyOf(notes);
    }

    /** The report as readable text. */
    public String toText() {
      StringBuilder b = new StringBuilder(operation).append(": ").append(changes.size()).append(changes.size() == 1 ? " change" : " changes")
          .append(changes.isEmpty() ? " (everything was already in place)" : "").append('\n');
      int i = 0;
      for (Change c : changes) {
        b.append(String.format("  %2d. %s %s%n", ++i, c.call(), c.resource()));
      }
      notes.forEach(n -> b.append("  note: ").append(n).append('\n'));
      return b.toString();
    }
  }

  /** The bus's policy document's name in lint findings. */
  public static final String BUS_POLICY = "vendorBusPolicy";
  /** The topic's policy document's name in lint findings. */
  public static final String TOPIC_POLICY = "vendorTopicPolicy";
  /** The instance queues' policy document's name in lint findings. */
  public static final String QUEUE_POLICY = "vendorQueuePolicy";
  /** EventBridge's limit for a bus's resource policy, in characters. */
  static final int MAX_BUS_POLICY_CHARS = 10_240;
  /** SNS and SQS limits for a topic or queue policy, in bytes. */
  static final int MAX_TOPIC_POLICY_BYTES = 30 * 1024;
  static final int MAX_QUEUE_POLICY_BYTES = 20 * 1024;
  private static final Pattern BUS_NAME = Pattern.compile("[A-Za-z0-9_-]{1,40}");
  private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

  private final AwsPorts aws;
  private final String busName;
  private final List<AwsAccountId> customers;
  private final FanOut fanOut;
  private final Map<String, String> tags;
  private final PropagationRetry retry;

  private VendorEventBus(Builder b) {
    this.aws = b.ports;
    this.busName = b.busName;
    this.customers = List.copyOf(b.customers);
    this.fanOut = b.fanOut;
    this.tags = Map.copyOf(b.tags);
    this.retry = b.retry;
  }

  /** A builder; {@code clients} and at least one customer account are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** One operation's plumbing and the bus part. */
  private final class Run {
    final Calls calls;
    final KeyEventBus bus;

    Run(String operation) {
      calls = new Calls(operation, retry);
      bus = new KeyEventBus(new KeyEventBus.Names(busName, ruleName(), busName, tags), aws.events(), aws.sns(), calls);
    }

    InstanceQueues queues() {
      return new InstanceQueues(busName + "-", tags, aws.sqs(), aws.sns(), aws.events(), calls);
    }

    InstanceQueues.FanOut fanOut(String busArn, String ruleArn) {
      return new InstanceQueues.FanOut(fanOut == FanOut.SNS ? topicArn(busArn) : null, busName, ruleName(), ruleArn);
    }

    Report report() {
      return new Report(calls.operation(), calls.changes(), calls.notes());
    }
  }

  private String ruleName() {
    return busName + "-to-instances";
  }

  /** The topic's ARN: same partition, region and account as the bus, same name. */
  private String topicArn(String busArn) {
    String[] p = busArn.split(":");
    return "arn:" + p[1] + ":sns:" + p[3] + ":" + p[4] + ":" + busName;
  }

  /** Creates or converges the bus, its policy, the rule and (SNS fan-out) the topic. */
  public Report apply() {
    Run run = new Run("apply");
    String busArn = run.bus.ensureBus(this::busPolicy);
    String ruleArn = run.bus.ensureRule();
    if (fanOut == FanOut.SNS) {
      run.bus.ensureTopic(topicArn(busArn), arn -> lint(TOPIC_POLICY, topicPolicy(arn, ruleArn), MAX_TOPIC_POLICY_BYTES));
    }
    run.calls.note("customers forward their keys' events here with --vendor-event-bus " + busArn);
    return run.report();
  }

  /**
   * The bus's ARN, which customers give to {@code byok provision apply --vendor-event-bus}.
   *
   * @throws ProvisioningException when the bus does not exist (apply first)
   */
  public String busArn() {
    return busArn(new Run("bus-arn"));
  }

  private String busArn(Run run) {
    return run.bus.bus().map(b -> b.arn()).orElseThrow(() -> new ProvisioningException(run.calls.operation() + ": no event bus "
        + busName + "; apply first"));
  }

  /**
   * Creates or converges the queue of vendor instance {@code instanceId} (1-32 of {@code A-Z a-z
   * 0-9 _ -}), its dead-letter queue and policy, and connects it to the fan-out.
   *
   * @throws ProvisioningException when the bus's rule does not exist (apply first), or a sixth
   *     instance is added under {@link FanOut#RULE_TARGETS}
   */
  public InstanceQueue addInstance(String instanceId) {
    checkInstance(instanceId);
    Run run = new Run("add-instance");
    InstanceQueues.FanOut f = run.fanOut(busArn(run), run.bus.requireRule());
    InstanceQueues.Queue q = run.queues().ensure(instanceId, f, arn -> lint(QUEUE_POLICY, queuePolicy(arn, f), MAX_QUEUE_POLICY_BYTES));
    return new InstanceQueue(q.instanceId(), q.queueUrl(), q.queueArn(), q.deadLetterQueueUrl());
  }

  /** Disconnects instance {@code instanceId} and deletes its queues (messages in them are lost). */
  public Report removeInstance(String instanceId) {
    checkInstance(instanceId);
    Run run = new Run("remove-instance");
    run.queues().remove(instanceId, fanOutIfAny(run));
    return run.report();
  }

  /** Reads everything back: bus, policy, rule, topic, and every instance's queues. */
  public VerifyReport verify() {
    Run run = new Run("verify");
    List<Check> checks = new ArrayList<>();
    java.util.Optional<String> busArn = run.bus.verify(checks, this::busPolicy);
    String ruleArn = run.bus.rule().map(r -> r.arn()).orElse(null);
    if (busArn.isEmpty() || ruleArn == null) {
      return new VerifyReport(checks);
    }
    InstanceQueues.FanOut f = run.fanOut(busArn.get(), ruleArn);
    if (fanOut == FanOut.SNS) {
      run.bus.verifyTopic(checks, f.topicArn(), topicPolicy(f.topicArn(), ruleArn));
    }
    List<String> instances = run.queues().instances();
    checks.add(new Check("instances", true, instances.isEmpty() ? "none yet" : String.join(", ", instances)));
    for (String i : instances) {
      run.queues().verify(checks, i, f, arn -> queuePolicy(arn, f));
    }
    return new VerifyReport(checks);
  }

  /** Removes every instance's queues, the rule, the topic and the bus. */
  public Report destroy() {
    Run run = new Run("destroy");
    InstanceQueues.FanOut f = fanOutIfAny(run);
    for (String i : run.queues().instances()) {
      run.queues().remove(i, f);
    }
    run.bus.destroy(fanOut == FanOut.SNS ? run.bus.bus().map(bus -> topicArn(bus.arn())).orElse(null) : null);
    return run.report();
  }

  /** The fan-out when the bus and its rule exist. */
  private InstanceQueues.@Nullable FanOut fanOutIfAny(Run run) {
    java.util.Optional<String> busArn = run.bus.bus().map(b -> b.arn());
    java.util.Optional<String> ruleArn = run.bus.rule().map(r -> r.arn());
    return busArn.isPresent() && ruleArn.isPresent() ? run.fanOut(busArn.get(), ruleArn.get()) : null;
  }

  // ---- documents ----

  /** The bus's resource policy: {@code events:PutEvents} for the customers' accounts, on this bus only. */
  ObjectNode busPolicy(String busArn) {
    ObjectNode doc = document();
    ObjectNode s = doc.withArray("Statement").addObject();
    s.put("Sid", "AllowCustomerAccountsToPutKeyEvents").put("Effect", "Allow");
    ArrayNode p = s.putObject("Principal").putArray("AWS");
    String partition = busArn.split(":")[1];
    customers.forEach(c -> p.add(c.rootArn(partition)));
    s.put("Action", "events:PutEvents").put("Resource", busArn);
    return lint(BUS_POLICY, doc, MAX_BUS_POLICY_CHARS);
  }

  static ObjectNode topicPolicy(String topicArn, String ruleArn) {
    return serviceSendPolicy("AllowTheKeyEventRuleToPublish", "events.amazonaws.com", "sns:Publish", topicArn, ruleArn);
  }

  static ObjectNode queuePolicy(String queueArn, InstanceQueues.FanOut f) {
    return serviceSendPolicy("AllowTheKeyEventFanOutToSend", f.topicArn() != null ? "sns.amazonaws.com" : "events.amazonaws.com",
        "sqs:SendMessage", queueArn, f.topicArn() != null ? f.topicArn() : f.ruleArn());
  }

  private static ObjectNode serviceSendPolicy(String sid, String service, String action, String resource, String sourceArn) {
    ObjectNode doc = document();
    ObjectNode s = doc.withArray("Statement").addObject();
    s.put("Sid", sid).put("Effect", "Allow");
    s.putObject("Principal").put("Service", service);
    s.put("Action", action).put("Resource", resource);
    s.putObject("Condition").putObject("ArnEquals").put("aws:SourceArn", sourceArn);
    return doc;
  }

  private static ObjectNode document() {
    ObjectNode doc = Json.object();
    doc.put("Version", PolicyDocuments.VERSION);
    doc.putArray("Statement");
    return doc;
  }

  private static ObjectNode lint(String name, ObjectNode doc, int limit) {
    PolicyLinter.generic(limit).check(name, doc);
    return doc;
  }

  private static void checkInstance(String id) {
    if (id == null || !INSTANCE_ID.matcher(id).matches()) {
      throw new IllegalArgumentException("vendor event bus: instance ID must be 1-32 of A-Z a-z 0-9 _ -, got '" + id + "'");
    }
  }

  @Override
  public String toString() {
    return "VendorEventBus{" + busName + ", fanOut=" + fanOut + ", customers=" + customers + "}";
  }

  /**
   * Builds a {@link VendorEventBus}. Each value may be set once ({@link IllegalStateException} on a
   * second set); a bad value is an {@link IllegalArgumentException}; {@link #build()} names a
   * missing required value ({@link IllegalStateException}). Not thread-safe.
   */
  public static final class Builder {
    private @Nullable AwsPorts ports;
    private String busName = "byok-key-events";
    private final Set<AwsAccountId> customers = new LinkedHashSet<>();
    private FanOut fanOut = FanOut.SNS;
    private final Map<String, String> tags = new LinkedHashMap<>();
    private PropagationRetry retry = PropagationRetry.DEFAULT;
    private final Once once = new Once("vendor event bus");

    private Builder() {}

    /** The clients of the vendor's account (required); not closed by the bus. */
    public Builder clients(AwsClients v) {
      Objects.requireNonNull(v, "clients");
      once.set("clients");
      this.ports = AwsPorts.of(v);
      return this;
    }

    /** Tests: the AWS services as in-memory ports. */
    Builder ports(AwsPorts v) {
      Objects.requireNonNull(v, "ports");
      once.set("clients");
      this.ports = v;
      return this;
    }

    /** The bus's name, 1-40 of {@code A-Z a-z 0-9 _ -}; default {@code byok-key-events}. Queues are named after it. */
    public Builder busName(String v) {
      if (v == null || !BUS_NAME.matcher(v).matches() || v.equals("default")) {
        throw new IllegalArgumentException("vendor event bus: name must be 1-40 of A-Z a-z 0-9 _ - and not 'default', got '" + v + "'");
      }
      once.set("busName");
      this.busName = v;
      return this;
    }

    /** Adds a customer account whose rule may put events on the bus (at least one is required). */
    public Builder addCustomerAccount(AwsAccountId a) {
      Objects.requireNonNull(a, "customer account");
      if (!customers.add(a)) {
        throw new IllegalArgumentException("vendor event bus: customer account " + a + " is given twice");
      }
      return this;
    }

    /** How events reach the instances; default {@link FanOut#SNS}. */
    public Builder fanOut(FanOut v) {
      Objects.requireNonNull(v, "fanOut");
      once.set("fanOut");
      this.fanOut = v;
      return this;
    }

    /** Adds a tag for the bus, rule, topic and queues. */
    public Builder tag(String key, String value) {
      Objects.requireNonNull(key, "tag key");
      Objects.requireNonNull(value, "tag value");
      if (tags.putIfAbsent(key, value) != null) {
        throw new IllegalArgumentException("vendor event bus: tag '" + key + "' is given twice");
      }
      return this;
    }

    /** Retries of eventual consistency; default {@link PropagationRetry#DEFAULT}. */
    public Builder propagationRetry(PropagationRetry v) {
      Objects.requireNonNull(v, "propagationRetry");
      once.set("propagationRetry");
      this.retry = v;
      return this;
    }

    /**
     * Builds it.
     *
     * @throws IllegalStateException naming the clients or the customer accounts when missing
     */
    public VendorEventBus build() {
      if (ports == null) {
        throw new IllegalStateException("vendor event bus: clients is required");
      }
      if (customers.isEmpty()) {
        throw new IllegalStateException("vendor event bus: at least one customer account is required");
      }
      return new VendorEventBus(this);
    }
  }
}
