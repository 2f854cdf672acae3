package dev.byok.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.core.AwsAccountId;
import dev.byok.core.HandoffBundle;
import dev.byok.provisioning.internal.Json;
import dev.byok.testing.Emulators;
import dev.byok.testing.WithEmulators;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Pushed key events on moto: the customer's rule, role and target created, verified, re-applied and
 * destroyed; the vendor's bus with both fan-outs; and the customer's CloudTrail-shaped events routed
 * from the default bus through the vendor's bus to every instance queue.
 *
 * <p>moto gaps, each half tested on its own where they bite. The emulators run moto with one fixed
 * account ({@code MOTO_ACCOUNT_ID}), so the customer's and the vendor's resources share it here and
 * nothing crosses an account boundary (moto would also stamp an event it forwards to another
 * account's bus with that other account, where AWS keeps the customer's). moto does not evaluate the
 * bus's resource policy or assume the rule's role. Its EventBridge cannot target SNS (PutEvents
 * raises NotImplementedError), so SNS fan-out is tested from the topic on. Its default SQS target
 * input leaves out {@code account}; the vendor's rule targets carry an input transformer that writes
 * the standard envelope, as AWS's default input is.
 */
@WithEmulators
class KeyEventsIT {
  private static final String VENDOR = "444455556666";

  private static AwsClients clients(Emulators emu) {
    return AwsClients.builder().endpoint(emu.motoEndpoint()).region(emu.region().id()).credentials(emu.credentials()).build();
  }

  private static ProvisioningSpec spec(String busArn) {
    return ProvisioningSpec.builder().company("acme").app("slack").env("sandbox").region("us-east-1")
        .vendor(VendorProfile.builtIn("slack")).addVendorAccount(AwsAccountId.of(VENDOR)).vendorEventBus(busArn).build();
  }

  private static Provisioner provisioner(ProvisioningSpec spec, AwsClients aws) {
    return Provisioner.builder().spec(spec).clients(aws).propagationRetry(PropagationRetry.builder().sleeper(d -> { }).build()).build();
  }

  /** What CloudTrail puts on the customer's default bus for a KMS call: PutEvents stands in for it here. */
  private static void cloudTrail(AwsClients aws, String eventName, String keyArn) {
    String keyId = keyArn.substring(keyArn.lastIndexOf('/') + 1);
    String account = keyArn.split(":")[4];
    ObjectNode d = Json.object();
    d.put("eventVersion", "1.08").put("eventTime", Instant.now().toString()).put("eventSource", "kms.amazonaws.com")
        .put("eventName", eventName).put("awsRegion", "us-east-1").put("eventID", UUID.randomUUID().toString())
        .put("readOnly", false).put("eventType", "AwsApiCall").put("recipientAccountId", account);
    d.putObject("userIdentity").put("type", "IAMUser").put("accountId", account).put("arn", "arn:aws:iam::" + account + ":user/Alice");
    d.putObject("requestParameters").put("keyId", keyId);
    d.putObject("responseElements").put("keyId", keyArn);
    d.putArray("resources").addObject().put("accountId", account).put("type", "AWS::KMS::Key").put("ARN", keyArn);
    var r = aws.eventBridge().putEvents(b -> b.entries(software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry.builder()
        .source("aws.kms").detailType("AWS API Call via CloudTrail").detail(d.toString()).build()));
    assertEquals(0, r.failedEntryCount(), r.toString());
  }

  private static List<JsonNode> drain(AwsClients aws, String queueUrl, int expected) {
    List<JsonNode> out = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (out.size() < expected && System.nanoTime() < deadline) {
      for (Message m : aws.sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
        out.add(Json.parsePolicy(m.body()));
        aws.sqs().deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
      }
    }
    return out;
  }

  @Test
  void customerRule_applyVerifyReapplyDestroy(Emulators emu) {
    String bus = "arn:aws:events:us-east-1:" + VENDOR + ":event-bus/byok-key-events";
    ProvisioningSpec spec = spec(bus);
    try (AwsClients aws = clients(emu)) {
      Provisioner p = provisioner(spec, aws);
      ChangeReport first = p.apply();
      assertEquals(Provisioner.plan(spec).calls().stream().map(Change::call).collect(Collectors.toList()),
          first.changes().stream().map(Change::call).collect(Collectors.toList()), "the planned calls, in order");
      HandoffBundle bundle = first.handoffBundle().orElseThrow();
      var rule = aws.eventBridge().describeRule(b -> b.name("slack-sandbox-key-events"));
      assertEquals("ENABLED", rule.stateAsString());
      assertEquals(Json.parsePolicy(PolicyDocuments.keyEventPatternJson(bundle.keyArn().toString())), Json.parsePolicy(rule.eventPattern()));
      var target = aws.eventBridge().listTargetsByRule(b -> b.rule("slack-sandbox-key-events")).targets();
      assertEquals(1, target.size());
      assertEquals(bus, target.get(0).arn());
      assertEquals("arn:aws:iam::" + emu.motoAccountId() + ":role/slack-sandbox-key-events", target.get(0).roleArn());
      JsonNode trust = Json.parsePolicy(aws.iam().getRole(b -> b.roleName("slack-sandbox-key-events")).role().assumeRolePolicyDocument());
      assertEquals("events.amazonaws.com", trust.at("/Statement/0/Principal/Service").asText());
      VerifyReport v = p.verify();
      assertTrue(v.allPassed(), v.toText());
      assertTrue(v.checks().stream().filter(c -> c.name().startsWith("key-event")).count() >= 8, v.toText());
      assertEquals(List.of(), p.apply().changes(), "a second apply changes nothing");

      aws.eventBridge().removeTargets(b -> b.rule("slack-sandbox-key-events").ids("vendor-event-bus"));
      assertEquals(List.of("key-event rule target"), p.verify().failures().stream().map(Check::name).collect(Collectors.toList()));
      assertEquals(List.of("events:PutTargets"), p.apply().changes().stream().map(Change::call).collect(Collectors.toList()));

      ChangeReport destroyed = p.destroy(7);
      assertTrue(destroyed.changes().stream().map(Change::call).collect(Collectors.toList())
          .containsAll(List.of("events:RemoveTargets", "events:DeleteRule", "iam:DeleteRolePolicy", "iam:DeleteRole")), destroyed.toText());
      assertThrows(ResourceNotFoundException.class, () -> aws.eventBridge().describeRule(b -> b.name("slack-sandbox-key-events")));
      assertThrows(NoSuchEntityException.class, () -> aws.iam().getRole(b -> b.roleName("slack-sandbox-key-events")));
      assertFalse(p.verify().allPassed());
    }
  }

  @Test
  void chain_cloudTrailEventOnTheDefaultBus_reachesEveryInstanceQueue_onlyForThisKey(Emulators emu) {
    try (AwsClients aws = clients(emu)) {
      VendorEventBus vendor = VendorEventBus.builder().clients(aws).addCustomerAccount(AwsAccountId.of(emu.motoAccountId()))
          .fanOut(VendorEventBus.FanOut.RULE_TARGETS).build();
      vendor.apply();
      VendorEventBus.InstanceQueue i1 = vendor.addInstance("i1");
      VendorEventBus.InstanceQueue i2 = vendor.addInstance("i2");
      assertTrue(vendor.verify().allPassed(), vendor.verify().toText());
      Provisioner customer = provisioner(spec(vendor.busArn()), aws);
      String keyArn = customer.apply().handoffBundle().orElseThrow().keyArn().toString();

      cloudTrail(aws, "DisableKey", keyArn);
      cloudTrail(aws, "DisableKey", keyArn.replaceAll("key/.*", "key/0987dcba-09fe-87dc-65ba-ab0987654321")); // another key
      cloudTrail(aws, "Decrypt", keyArn); // a call the rule does not forward
      for (VendorEventBus.InstanceQueue q : List.of(i1, i2)) {
        List<JsonNode> got = drain(aws, q.queueUrl(), 1);
        assertEquals(1, got.size(), "exactly this key's DisableKey reaches " + q.instanceId() + ": " + got);
        JsonNode e = got.get(0);
        assertEquals("aws.kms", e.path("source").asText());
        assertEquals("AWS API Call via CloudTrail", e.path("detail-type").asText());
        assertEquals(emu.motoAccountId(), e.path("account").asText(), "the envelope carries the account");
        assertEquals("DisableKey", e.at("/detail/eventName").asText());
        assertEquals(keyArn, e.at("/detail/resources/0/ARN").asText());
      }
      customer.destroy(7);
      vendor.destroy();
    }
  }

  @Test
  void snsFanOut_busTopicAndTwoInstances_publishReachesBoth(Emulators emu) {
    try (AwsClients aws = clients(emu)) {
      VendorEventBus vendor = VendorEventBus.builder().clients(aws).addCustomerAccount(AwsAccountId.of("111122223333")).build();
      VendorEventBus.Report applied = vendor.apply();
      assertTrue(applied.changes().stream().map(Change::call).collect(Collectors.toList()).containsAll(List.of("events:CreateEventBus",
          "events:PutPermission", "events:PutRule", "sns:CreateTopic", "sns:SetTopicAttributes", "events:PutTargets")), applied.toText());
      assertEquals(List.of(), vendor.apply().changes(), vendor.apply().toText());
      VendorEventBus.InstanceQueue i1 = vendor.addInstance("i1");
      VendorEventBus.InstanceQueue i2 = vendor.addInstance("i2");
      VerifyReport v = vendor.verify();
      assertTrue(v.allPassed(), v.toText());
      String topic = "arn:aws:sns:us-east-1:" + emu.motoAccountId() + ":byok-key-events";
      // What the rule's SNS target would publish (moto's EventBridge cannot target SNS): the event itself.
      String event = "{\"version\":\"0\",\"id\":\"1\",\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.kms\","
          + "\"account\":\"111122223333\",\"time\":\"2026-01-01T00:00:00Z\",\"region\":\"us-east-1\",\"resources\":[],"
          + "\"detail\":{\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"DisableKey\"}}";
      aws.sns().publish(b -> b.topicArn(topic).message(event));
      for (VendorEventBus.InstanceQueue q : List.of(i1, i2)) {
        List<JsonNode> got = drain(aws, q.queueUrl(), 1);
        assertEquals(1, got.size(), q.instanceId());
        assertEquals(Json.parsePolicy(event), got.get(0), "raw message delivery: the event itself, no SNS envelope");
      }
      vendor.removeInstance("i2");
      assertEquals(List.of("i1"), List.of(vendor.verify().checks().stream().filter(c -> c.name().equals("instances")).findFirst()
          .orElseThrow().detail()));
      vendor.destroy();
      assertThrows(ResourceNotFoundException.class, () -> aws.eventBridge().describeEventBus(b -> b.name("byok-key-events")));
      assertTrue(aws.sqs().listQueues().queueUrls().isEmpty(), aws.sqs().listQueues().queueUrls().toString());
    }
  }
}
