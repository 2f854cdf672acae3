package dev.byok.provisioning.internal.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sns.model.Tag;

/** {@link SnsPort} on the SDK's {@link SnsClient}. Thread-safe like the client. */
final class SdkSns implements SnsPort {
  private final SnsClient sns;

  SdkSns(SnsClient sns) {
    this.sns = sns;
  }

  @Override
  public String createTopic(String name, Map<String, String> tags) {
    List<Tag> t = new ArrayList<>();
    tags.forEach((k, v) -> t.add(Tag.builder().key(k).value(v).build()));
    return Sdk.call(() -> sns.createTopic(b -> b.name(name).tags(t.isEmpty() ? null : t)).topicArn());
  }

  @Override
  public Optional<String> topicPolicy(String topicArn) {
    return Sdk.call(() -> {
      try {
        return Optional.ofNullable(sns.getTopicAttributes(b -> b.topicArn(topicArn)).attributes().get("Policy"));
      } catch (NotFoundException e) {
        return Optional.empty();
      }
    });
  }

  @Override
  public void setTopicPolicy(String topicArn, String policy) {
    Sdk.run(() -> sns.setTopicAttributes(b -> b.topicArn(topicArn).attributeName("Policy").attributeValue(policy)));
  }

  @Override
  public List<SubscriptionInfo> listSubscriptions(String topicArn) {
    return Sdk.call(() -> {
      List<SubscriptionInfo> out = new ArrayList<>();
      for (Subscription s : sns.listSubscriptionsByTopicPaginator(b -> b.topicArn(topicArn)).subscriptions()) {
        boolean raw = false;
        if (s.subscriptionArn() != null && s.subscriptionArn().startsWith("arn:")) {
          raw = "true".equals(sns.getSubscriptionAttributes(b -> b.subscriptionArn(s.subscriptionArn())).attributes().get("RawMessageDelivery"));
        }
        out.add(new SubscriptionInfo(s.subscriptionArn(), s.protocol(), s.endpoint(), raw));
      }
      return out;
    });
  }

  @Override
  public String subscribeQueue(String topicArn, String queueArn) {
    return Sdk.call(() -> sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queueArn)
        .attributes(Map.of("RawMessageDelivery", "true")).returnSubscriptionArn(true)).subscriptionArn());
  }

  @Override
  public void unsubscribe(String subscriptionArn) {
    Sdk.run(() -> sns.unsubscribe(b -> b.subscriptionArn(subscriptionArn)));
  }

  @Override
  public void deleteTopic(String topicArn) {
    Sdk.run(() -> sns.deleteTopic(b -> b.topicArn(topicArn)));
  }
}
