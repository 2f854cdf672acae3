package dev.byok.aws.events.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/** {@link QueuePort} on the SDK's {@link SqsClient}: ReceiveMessage and DeleteMessageBatch. Thread-safe like the client. */
public final class SqsQueue implements QueuePort {
  private final SqsClient sqs;
  private final String queueUrl;

  /** The queue {@code queueUrl} through {@code sqs} (which the caller keeps). */
  public SqsQueue(SqsClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  @Override
  public List<Message> receive(int max, Duration wait, Duration visibilityTimeout) {
    ReceiveMessageRequest.Builder r = ReceiveMessageRequest.builder().queueUrl(queueUrl).maxNumberOfMessages(max)
        .waitTimeSeconds((int) wait.toSeconds()).messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
    if (visibilityTimeout != null) {
      r.visibilityTimeout((int) visibilityTimeout.toSeconds());
    }
    List<Message> out = new ArrayList<>();
    for (software.amazon.awssdk.services.sqs.model.Message m : sqs.receiveMessage(r.build()).messages()) {
      String count = m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
      int n;
      try {
        n = count == null ? 1 : Integer.parseInt(count);
      } catch (NumberFormatException e) {
        n = 1;
      }
      out.add(new Message(m.messageId(), m.receiptHandle(), m.body(), n));
    }
    return out;
  }

  @Override
  public List<Message> delete(List<Message> messages) {
    if (messages.isEmpty()) {
      return List.of();
    }
    List<Message> failed = new ArrayList<>();
    for (int from = 0; from < messages.size(); from += 10) {
      List<Message> batch = messages.subList(from, Math.min(messages.size(), from + 10));
      List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
      Map<String, Message> byId = new HashMap<>();
      for (int i = 0; i < batch.size(); i++) {
        String id = "m" + i;
        byId.put(id, batch.get(i));
        entries.add(DeleteMessageBatchRequestEntry.builder().id(id).receiptHandle(batch.get(i).receiptHandle()).build());
      }
      DeleteMessageBatchResponse r = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
      for (BatchResultErrorEntry e : r.failed()) {
        Message m = byId.get(e.id());
        if (m != null) {
          failed.add(m);
        }
      }
    }
    return failed;
  }
}
