package dev.byok.aws.events.internal;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** The SQS calls the listener makes, as a port (the SDK in {@link SqsQueue}, fakes in tests). */
public interface QueuePort {

  /**
   * One message as received.
   *
   * @param messageId SQS's ID of the message
   * @param receiptHandle what deletes it
   * @param body the body, untrusted
   * @param receiveCount how often it has been received, this time included
   */
  record Message(String messageId, String receiptHandle, String body, int receiveCount) {
    /** Checks the handles are not null (the body may be). */
    public Message {
      Objects.requireNonNull(messageId, "messageId");
      Objects.requireNonNull(receiptHandle, "receiptHandle");
    }
  }

  /**
   * Long-polls for up to {@code max} messages, waiting up to {@code wait} when there are none.
   *
   * @param visibilityTimeout how long received messages stay hidden; null for the queue's setting
   */
  List<Message> receive(int max, Duration wait, Duration visibilityTimeout);

  /** Deletes handled messages; returns those that could not be deleted. */
  List<Message> delete(List<Message> messages);
}
