package dev.byok.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byok.core.AwsAccountId;
import dev.byok.core.ProvisioningException;
import dev.byok.provisioning.internal.Json;
import dev.byok.provisioning.internal.aws.EventsPort.TargetInfo;
import dev.byok.provisioning.internal.aws.FakeAws;
import dev.byok.provisioning.internal.aws.FakeEvents;
import dev.byok.provisioning.internal.aws.FakeSns;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The vendor's key-event bus on the in-memory AWS: both fan-outs, instances coming and going, verify and destroy. */
class VendorEventBusTest {
  private static final String ACME = "111122223333";
  private static final String GLOBEX = "777788889999";
  private static final String BUS_ARN = "arn:aws:events:us-east-1:123456789012:event-bus/byok-key-events";
  private static final String TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:byok-key-events";
  private final FakeAws aws = new FakeAws();

  private VendorEventBus bus(VendorEventBus.FanOut fanOut) {
    return VendorEventBus.builder().ports(aws.ports()).addCustomerAccount(AwsAccountId.of(ACME)).addCustomerAccount(AwsAccountId.of(GLOBEX))
        .fanOut(fanOut).build();
  }

  private static List<String> calls(VendorEventBus.Report r) {
    return r.changes().stream().map(Change::call).toList();
  }

  @Test
  void apply_sns_busPolicyRuleTopicTopicPolicyTarget_thenNothing() {
    VendorEventBus b = bus(VendorEventBus.FanOut.SNS);
    assertEquals(List.of("events:CreateEventBus", "events:PutPermission", "events:PutRule", "sns:CreateTopic", "sns:SetTopicAttributes",
        "events:PutTargets"), calls(b.apply()));
    assertEquals(BUS_ARN, b.busArn());
    JsonNode policy = Json.parsePolicy(aws.events.buses.get("byok-key-events").policy);
    assertEquals("[\"arn:aws:iam::111122223333:root\",\"arn:aws:iam::777788889999:root\"]", policy.at("/Statement/0/Principal/AWS").toString());
    assertEquals("events:PutEvents", policy.at("/Statement/0/Action").asText());
    assertEquals(BUS_ARN, policy.at("/Statement/0/Resource").asText());
    JsonNode topic = Json.parsePolicy(aws.sns.topics.get(TOPIC_ARN).policy);
    assertEquals("events.amazonaws.com", topic.at("/Statement/0/Principal/Service").asText());
    assertEquals("arn:aws:events:us-east-1:123456789012:rule/byok-key-events/byok-key-events-to-instances",
        topic.at("/Statement/0/Condition/ArnEquals/aws:SourceArn").asText(), "only the fan-out rule may publish");
    assertEquals(List.of(new TargetInfo("fan-out-topic", TOPIC_ARN, null, null, null)),
        aws.events.targets("byok-key-events", "byok-key-events-to-instances"));
    assertEquals(List.of(), calls(b.apply()));
  }

  @Test
  void addInstance_sns_queueDlqPolicyRawSubscription_idempotent() {
    VendorEventBus b = bus(VendorEventBus.FanOut.SNS);
    b.apply();
    VendorEventBus.InstanceQueue q = b.addInstance("i-0abc");
    assertEquals("https://sqs.us-east-1.amazonaws.com/123456789012/byok-key-events-i-0abc", q.queueUrl());
    assertEquals("https://sqs.us-east-1.amazonaws.com/123456789012/byok-key-events-i-0abc-dlq", q.deadLetterQueueUrl());
    Map<String, String> attrs = aws.sqs.queues.get("byok-key-events-i-0abc");
    assertEquals("{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:123456789012:byok-key-events-i-0abc-dlq\",\"maxReceiveCount\":5}",
        attrs.get("RedrivePolicy"));
    JsonNode qp = Json.parsePolicy(attrs.get("Policy"));
    assertEquals("sns.amazonaws.com", qp.at("/Statement/0/Principal/Service").asText());
    assertEquals(TOPIC_ARN, qp.at("/Statement/0/Condition/ArnEquals/aws:SourceArn").asText());
    FakeSns.Topic t = aws.sns.topics.get(TOPIC_ARN);
    assertEquals(1, t.subscriptions.size());
    assertTrue(t.subscriptions.get(0).raw(), "raw message delivery: the queue gets the event itself");
    aws.clearLog();
    assertEquals(q, b.addInstance("i-0abc"));
    assertEquals(List.of(), aws.writes(), "adding it again changes nothing");
    b.addInstance("i-0def");
    assertEquals(2, t.subscriptions.size());
    VerifyReport v = b.verify();
    assertTrue(v.allPassed(), v.toText());
    assertTrue(v.checks().stream().anyMatch(c -> c.name().equals("instances") && c.detail().equals("i-0abc, i-0def")), v.toText());
  }

  @Test
  void ruleTargets_eachQueueATargetWithTheEnvelope_sixthRefused() {
    VendorEventBus b = bus(VendorEventBus.FanOut.RULE_TARGETS);
    assertEquals(List.of("events:CreateEventBus", "events:PutPermission", "events:PutRule"), calls(b.apply()), "no topic");
    for (int i = 1; i <= 5; i++) {
      b.addInstance("i" + i);
    }
    List<TargetInfo> targets = aws.events.targets("byok-key-events", "byok-key-events-to-instances");
    assertEquals(5, targets.size());
    assertTrue(targets.get(0).inputTemplate().contains("\"account\":\"<account>\""), targets.get(0).inputTemplate());
    JsonNode qp = Json.parsePolicy(aws.sqs.queues.get("byok-key-events-i1").get("Policy"));
    assertEquals("events.amazonaws.com", qp.at("/Statement/0/Principal/Service").asText());
    ProvisioningException e = assertThrows(ProvisioningException.class, () -> b.addInstance("i6"));
    assertTrue(e.getMessage().contains("use SNS fan-out"), e.getMessage());
    assertTrue(b.verify().allPassed(), b.verify().toText());
  }

  @Test
  void verify_driftFound_thenRemoveAndDestroyLeaveNothing() {
    TreeSet<String> before = aws.inventory();
    VendorEventBus b = bus(VendorEventBus.FanOut.SNS);
    b.apply();
    b.addInstance("i1");
    b.addInstance("i2");
    aws.events.buses.get("byok-key-events").policy = null;
    aws.sns.topics.get(TOPIC_ARN).subscriptions.removeIf(s -> s.endpoint().endsWith("byok-key-events-i2"));
    List<String> failed = b.verify().failures().stream().map(Check::name).toList();
    assertEquals(List.of("bus policy", "instance i2 subscription"), failed);
    assertEquals(List.of("events:PutPermission"), calls(b.apply()));
    assertEquals(List.of("sns:Unsubscribe", "sqs:DeleteQueue", "sqs:DeleteQueue"), calls(b.removeInstance("i1")));
    VendorEventBus.Report d = b.destroy();
    assertTrue(calls(d).containsAll(List.of("events:RemoveTargets", "events:DeleteRule", "sns:DeleteTopic", "events:DeleteEventBus")),
        d.toText());
    assertEquals(before, aws.inventory());
    assertEquals(List.of(), calls(b.destroy()), "destroying again changes nothing");
  }

  @Test
  void addInstance_beforeApply_saysApplyFirst() {
    ProvisioningException e = assertThrows(ProvisioningException.class, () -> bus(VendorEventBus.FanOut.SNS).addInstance("i1"));
    assertTrue(e.getMessage().contains("apply"), e.getMessage());
  }

  @Test
  void builder_missingOrBadValues_refused() {
    assertEquals("vendor event bus: clients is required", assertThrows(IllegalStateException.class,
        () -> VendorEventBus.builder().addCustomerAccount(AwsAccountId.of(ACME)).build()).getMessage());
    assertEquals("vendor event bus: at least one customer account is required", assertThrows(IllegalStateException.class,
        () -> VendorEventBus.builder().ports(aws.ports()).build()).getMessage());
    VendorEventBus.Builder b = VendorEventBus.builder().ports(aws.ports());
    assertThrows(IllegalStateException.class, () -> b.ports(aws.ports()));
    b.addCustomerAccount(AwsAccountId.of(ACME));
    assertThrows(IllegalArgumentException.class, () -> b.addCustomerAccount(AwsAccountId.of(ACME)));
    for (String bad : new String[] {"", "default", "has.dot", "x".repeat(41), "a b"}) {
      assertThrows(IllegalArgumentException.class, () -> VendorEventBus.builder().busName(bad), bad);
    }
    VendorEventBus built = b.build();
    for (String bad : new String[] {"", "i/1", "x".repeat(33)}) {
      assertThrows(IllegalArgumentException.class, () -> built.addInstance(bad), bad);
    }
    assertFalse(built.toString().isEmpty());
  }

  @Test
  void policies_lintedBeforeWrite() {
    assertEquals(Set.of(), Set.copyOf(PolicyLinter.generic(VendorEventBus.MAX_BUS_POLICY_CHARS).lint(VendorEventBus.BUS_POLICY,
        bus(VendorEventBus.FanOut.SNS).busPolicy(BUS_ARN))));
  }
}
