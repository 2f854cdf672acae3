package dev.byok.provisioning.internal.aws;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/** {@link SqsPort} on the SDK's {@link SqsClient}. Thread-safe like the client. */
final class SdkSqs implements SqsPort {
  private final SqsClient sqs;

  SdkSqs(SqsClient sqs) {
    this.sqs = sqs;
  }

  @Override
  public Optional<String> queueUrl(String name) {
    return Sdk.call(() -> {
      try {
        return Optional.of(sqs.getQueueUrl(b -> b.queueName(name)).queueUrl());
      } catch (QueueDoesNotExistException e) {
        return Optional.empty();
      }
    });
  }

  @Override
  public String createQueue(String name, Map<String, String> attributes, Map<String, String> tags) {
    return Sdk.call(() -> sqs.createQueue(b -> b.queueName(name).attributesWithStrings(attributes).tags(tags.isEmpty() ? null : tags))
        .queueUrl());
  }

  @Override
  public Map<String, String> attributes(String queueUrl) {
    return Sdk.call(() -> sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.ALL)).attributesAsStrings());
  }

  @Override
  public void setAttributes(String queueUrl, Map<String, String> attributes) {
    Sdk.run(() -> sqs.setQueueAttributes(b -> b.queueUrl(queueUrl).attributesWithStrings(attributes)));
  }

  @Override
  public List<String> listQueues(String prefix) {
    return Sdk.call(() -> sqs.listQueuesPaginator(b -> b.queueNamePrefix(prefix)).queueUrls().stream().toList());
  }

  @Override
  public void deleteQueue(String queueUrl) {
    Sdk.run(() -> sqs.deleteQueue(b -> b.queueUrl(queueUrl)));
  }
}
