package dev.byok.aws.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.UUID;

/**
 * Key events in the documented "AWS API Call via CloudTrail" shape, made from
 * {@code disable-key-event.json} (see the README beside it) with another call, key, account, IDs
 * or time. Immutable builders of JSON text; thread-safe.
 */
public final class KeyEvents {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectNode SAMPLE;

  static {
    try (InputStream in = KeyEvents.class.getResourceAsStream("disable-key-event.json")) {
      SAMPLE = (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private KeyEvents() {}

  /** The sample as it is: DisableKey of the sample key, account 111122223333. */
  public static String sample() {
    return SAMPLE.toString();
  }

  /** The sample as a tree, to change. */
  public static ObjectNode sampleTree() {
    return SAMPLE.deepCopy();
  }

  /**
   * The event of {@code eventName} on {@code keyArn}, as EventBridge delivers it from {@code account}
   * (the envelope's account), with fresh IDs and {@code time} as the call's time; the request names
   * the key by its ARN.
   */
  public static String of(String eventName, String keyArn, String account, Instant time) {
    return tree(eventName, keyArn, account, time).toString();
  }

  /** Like {@link #of} but as a tree. */
  public static ObjectNode tree(String eventName, String keyArn, String account, Instant time) {
    ObjectNode e = sampleTree();
    String keyAccount = keyArn.split(":")[4];
    e.put("id", UUID.randomUUID().toString()).put("account", account).put("time", time.toString());
    ObjectNode d = (ObjectNode) e.get("detail");
    d.put("eventName", eventName).put("eventTime", time.toString()).put("eventID", UUID.randomUUID().toString())
        .put("recipientAccountId", keyAccount);
    ((ObjectNode) d.get("userIdentity")).put("accountId", keyAccount).put("arn", "arn:aws:iam::" + keyAccount + ":user/Alice");
    ((ObjectNode) d.get("requestParameters")).put("keyId", keyArn); // callers may give the ARN; the sample gives the ID
    ((ObjectNode) d.get("responseElements")).put("keyId", keyArn);
    ((ObjectNode) d.get("resources").get(0)).put("ARN", keyArn).put("accountId", keyAccount);
    return e;
  }

  /** The event as SNS delivers it without raw message delivery: a notification envelope. */
  public static String inSnsEnvelope(String event) {
    ObjectNode n = JSON.createObjectNode();
    n.put("Type", "Notification").put("MessageId", UUID.randomUUID().toString())
        .put("TopicArn", "arn:aws:sns:us-east-1:444455556666:byok-key-events").put("Message", event)
        .put("Timestamp", "2026-01-01T00:00:00.000Z").put("SignatureVersion", "1");
    return n.toString();
  }
}
