package dev.byok.provisioning.internal.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** SQS in memory: queues and their attributes (no messages). */
public final class FakeSqs extends FakeService implements SqsPort {
  private final String region;
  private final String account;
  /** Queue attributes by queue name, open to tests. */
  public final Map<String, Map<String, String>> queues = new TreeMap<>();

  FakeSqs(String region, String account, Shared shared) {
    super("sqs", shared);
    this.region = region;
    this.account = account;
  }

  private String url(String name) {
    return "https://sqs." + region + ".amazonaws.com/" + account + "/" + name;
  }

  private Map<String, String> queue(String url) {
    Map<String, String> q = queues.get(url.substring(url.lastIndexOf('/') + 1));
    if (q == null) {
      throw error("AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.");
    }
    return q;
  }

  @Override
  public Optional<String> queueUrl(String name) {
    call("GetQueueUrl");
    return queues.containsKey(name) ? Optional.of(url(name)) : Optional.empty();
  }

  @Override
  public String createQueue(String name, Map<String, String> attributes, Map<String, String> tags) {
    call("CreateQueue");
    Map<String, String> q = new LinkedHashMap<>(attributes);
    q.put("QueueArn", "arn:aws:sqs:" + region + ":" + account + ":" + name);
    if (queues.containsKey(name) && !queues.get(name).equals(q)) {
      throw error("QueueAlreadyExists", "A queue already exists with the same name and a different value for attribute(s)");
    }
    queues.put(name, q);
    return url(name);
  }

  @Override
  public Map<String, String> attributes(String queueUrl) {
    call("GetQueueAttributes");
    return Map.copyOf(queue(queueUrl));
  }

  @Override
  public void setAttributes(String queueUrl, Map<String, String> attributes) {
    call("SetQueueAttributes");
    queue(queueUrl).putAll(attributes);
  }

  @Override
  public List<String> listQueues(String prefix) {
    call("ListQueues");
    List<String> out = new ArrayList<>();
    queues.keySet().stream().filter(n -> n.startsWith(prefix)).forEach(n -> out.add(url(n)));
    return out;
  }

  @Override
  public void deleteQueue(String queueUrl) {
    call("DeleteQueue");
    queue(queueUrl);
    queues.remove(queueUrl.substring(queueUrl.lastIndexOf('/') + 1));
  }
}
