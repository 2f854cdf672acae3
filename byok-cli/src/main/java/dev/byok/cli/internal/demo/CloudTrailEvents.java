package dev.byok.cli.internal.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.core.KeyArn;
import java.time.Instant;
import java.util.UUID;

/**
 * The CloudTrail record of a customer's KMS call on a key, and the EventBridge event that carries
 * it ("AWS API Call via CloudTrail", source {@code aws.kms}), in the documented shape, for the demo
 * on the emulators, which record no calls themselves. Stateless.
 */
final class CloudTrailEvents {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CloudTrailEvents() {}

  /** The CloudTrail record ({@code detail}) of {@code eventName} on {@code key}, made now. */
  static ObjectNode record(String eventName, KeyArn key, Instant now) {
    String account = key.account().value();
    ObjectNode d = JSON.createObjectNode();
    d.put("eventVersion", "1.08");
    d.putObject("userIdentity").put("type", "IAMUser").put("accountId", account).put("arn", "arn:" + key.partition() + ":iam::"
        + account + ":user/customer-security-admin");
    d.put("eventTime", now.toString()).put("eventSource", "kms.amazonaws.com").put("eventName", eventName)
        .put("awsRegion", key.region()).put("sourceIPAddress", "192.0.2.0").put("userAgent", "byok demo");
    d.putObject("requestParameters").put("keyId", key.resourceId());
    d.putObject("responseElements").put("keyId", key.toString());
    d.put("requestID", UUID.randomUUID().toString()).put("eventID", UUID.randomUUID().toString()).put("readOnly", false);
    d.putArray("resources").addObject().put("accountId", account).put("type", "AWS::KMS::Key").put("ARN", key.toString());
    d.put("eventType", "AwsApiCall").put("managementEvent", true).put("recipientAccountId", account).put("eventCategory", "Management");
    return d;
  }

  /** The EventBridge event around {@code record}, as delivered to a queue: {@code account} is the key's. */
  static String event(ObjectNode record, KeyArn key, Instant now) {
    ObjectNode e = JSON.createObjectNode();
    e.put("version", "0").put("id", UUID.randomUUID().toString()).put("detail-type", "AWS API Call via CloudTrail")
        .put("source", "aws.kms").put("account", key.account().value()).put("time", now.toString()).put("region", key.region());
    e.putArray("resources");
    e.set("detail", record);
    return e.toString();
  }
}
