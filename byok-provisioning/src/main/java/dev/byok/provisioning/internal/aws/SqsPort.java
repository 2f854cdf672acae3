package dev.byok.provisioning.internal.aws;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Amazon SQS calls the vendor's key-event fan-out makes. Attributes use SQS's names
 * ({@code Policy}, {@code RedrivePolicy}, {@code QueueArn}, ...). Failures throw {@link AwsCallException}.
 */
public interface SqsPort {
  /** The queue's URL; empty when there is no such queue. */
  Optional<String> queueUrl(String name);

  /** Creates a queue with attributes (or returns the URL of an identical one); returns its URL. */
  String createQueue(String name, Map<String, String> attributes, Map<String, String> tags);

  /** Every attribute of the queue. */
  Map<String, String> attributes(String queueUrl);

  /** Sets some of the queue's attributes. */
  void setAttributes(String queueUrl, Map<String, String> attributes);

  /** The URLs of the queues whose names start with {@code prefix}. */
  List<String> listQueues(String prefix);

  /** Deletes the queue and its messages. */
  void deleteQueue(String queueUrl);
}
