package dev.byok.provisioning.internal.aws;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Amazon SNS calls the vendor's key-event fan-out makes. Failures throw {@link AwsCallException}. */
public interface SnsPort {
  /** A subscription: its ARN, protocol, endpoint and whether raw message delivery is on. */
  record SubscriptionInfo(String arn, String protocol, String endpoint, boolean raw) {}

  /** Creates the topic, or returns the existing one's ARN (CreateTopic is idempotent). */
  String createTopic(String name, Map<String, String> tags);

  /** The topic's access policy (JSON text); empty when there is no such topic. */
  Optional<String> topicPolicy(String topicArn);

  /** Replaces the topic's access policy. */
  void setTopicPolicy(String topicArn, String policy);

  /** The topic's subscriptions. */
  List<SubscriptionInfo> listSubscriptions(String topicArn);

  /** Subscribes an SQS queue with raw message delivery; returns the subscription ARN. */
  String subscribeQueue(String topicArn, String queueArn);

  /** Removes a subscription. */
  void unsubscribe(String subscriptionArn);

  /** Deletes the topic and its subscriptions. */
  void deleteTopic(String topicArn);
}
