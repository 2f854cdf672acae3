package dev.byok.provisioning.internal.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** SNS in memory: topics with a policy and SQS subscriptions. */
public final class FakeSns extends FakeService implements SnsPort {
  /** One topic, open to tests. */
  public static final class Topic {
    public @Nullable String policy = "{\"Version\":\"2008-10-17\",\"Statement\":[]}";
    public final List<SubscriptionInfo> subscriptions = new ArrayList<>();
  }

  private final String region;
  private final String account;
  public final Map<String, Topic> topics = new TreeMap<>();
  private int next;

  FakeSns(String region, String account, Shared shared) {
    super("sns", shared);
    this.region = region;
    this.account = account;
  }

  private Topic topic(String arn) {
    Topic t = topics.get(arn);
    if (t == null) {
      throw error("NotFound", "Topic does not exist");
    }
    return t;
  }

  @Override
  public String createTopic(String name, Map<String, String> tags) {
    call("CreateTopic");
    String arn = "arn:aws:sns:" + region + ":" + account + ":" + name;
    topics.computeIfAbsent(arn, a -> new Topic());
    return arn;
  }

  @Override
  public Optional<String> topicPolicy(String topicArn) {
    call("GetTopicAttributes");
    return Optional.ofNullable(topics.get(topicArn)).map(t -> t.policy);
  }

  @Override
  public void setTopicPolicy(String topicArn, String policy) {
    call("SetTopicAttributes");
    topic(topicArn).policy = policy;
  }

  @Override
  public List<SubscriptionInfo> listSubscriptions(String topicArn) {
    call("ListSubscriptionsByTopic");
    return List.copyOf(topic(topicArn).subscriptions);
  }

  @Override
  public String subscribeQueue(String topicArn, String queueArn) {
    call("Subscribe");
    String arn = topicArn + ":sub-" + (++next);
    topic(topicArn).subscriptions.add(new SubscriptionInfo(arn, "sqs", queueArn, true));
    return arn;
  }

  @Override
  public void unsubscribe(String subscriptionArn) {
    call("Unsubscribe");
    topics.values().forEach(t -> t.subscriptions.removeIf(s -> s.arn().equals(subscriptionArn)));
  }

  @Override
  public void deleteTopic(String topicArn) {
    call("DeleteTopic");
    topics.remove(topicArn);
  }
}
