package dev.byok.aws.events.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round of the listener's loop: long-poll a batch, hand each message to the
 * {@link KeyEventHandler}, delete in one batch call the messages it handled (acted on or ignored),
 * and leave on the queue the ones whose handling failed, for SQS to deliver again and, after the
 * queue's {@code maxReceiveCount}, to move to its dead-letter queue. Not thread-safe: one per
 * loop.
 */
public final class QueuePoller {
  private static final Logger LOG = LoggerFactory.getLogger("dev.byok.aws.events.KeyEventListener");

  private final String name;
  private final QueuePort queue;
  private final KeyEventHandler handler;
  private final Counters counters;
  private final int batchSize;
  private final Duration waitTime;
  private final Duration visibilityTimeout;

  /**
   * A poller of {@code queue}; {@code visibilityTimeout} may be null (the queue's setting).
   */
  public QueuePoller(String name, QueuePort queue, KeyEventHandler handler, Counters counters, int batchSize,
      Duration waitTime, Duration visibilityTimeout) {
    this.name = Objects.requireNonNull(name, "name");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.counters = Objects.requireNonNull(counters, "counters");
    this.batchSize = batchSize;
    this.waitTime = Objects.requireNonNull(waitTime, "waitTime");
    this.visibilityTimeout = visibilityTimeout;
  }

  /**
   * Receives one batch (waiting up to the wait time) and handles it; returns how many messages
   * came. A failed receive or delete call throws; a failed message does not.
   */
  public int pollOnce() {
    List<QueuePort.Message> batch = queue.receive(batchSize, waitTime, visibilityTimeout);
    List<QueuePort.Message> done = new ArrayList<>(batch.size());
    for (QueuePort.Message m : batch) {
      try {
        handler.handle(m.body());
        done.add(m);
      } catch (RuntimeException e) {
        LOG.error("key event listener {}: handling message {} failed (receive {}); it stays on the queue for redelivery "
            + "and, after the queue's maxReceiveCount, goes to its dead-letter queue: {}", name, m.messageId(),
            m.receiveCount(), e.toString());
      }
    }
    if (!done.isEmpty()) {
      List<QueuePort.Message> notDeleted = queue.delete(done);
      counters.deleted(done.size() - notDeleted.size());
      if (!notDeleted.isEmpty()) {
        LOG.warn("key event listener {}: {} handled messages could not be deleted; they come back and are handled again (an event already acted on is skipped as a duplicate)",
            name, notDeleted.size());
      }
    }
    return batch.size();
  }
}
