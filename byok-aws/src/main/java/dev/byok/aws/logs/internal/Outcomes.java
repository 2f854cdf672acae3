package dev.byok.aws.logs.internal;

import dev.byok.aws.logs.internal.DeliveryFailure.Kind;
import dev.byok.aws.logs.internal.DeliveryWorker.Completion;
import dev.byok.aws.logs.internal.LogsApi.PutResult;
import dev.byok.core.audit.KeyUseEvent;
import dev.byok.core.internal.EventJson;
import java.io.IOException;
import java.util.List;

/**
 * Acts on each delivery attempt's outcome, on the dispatcher thread: counts what was stored;
 * re-sends events the service refused for their time stamped with the time of sending; on failure
 * puts the batch back and holds the tenant back by {@link RetryBackoff}, or halves the batch to
 * isolate an event the service calls invalid; refuses for good an event that cannot be sent at all
 * (logged in full at ERROR, and written to the spill directory if there is one).
 */
final class Outcomes {
  private final int maxBatchEvents;
  private final RetryBackoff backoff;
  private final Intake intake;
  private final DeliveryStats stats;
  private final SpillReplay replay;
  private final SpillStore spill;
  private final FallbackSpill fallback;

  /**
   * @param spill where refused events are also written, or {@code null}: then to {@code fallback}
   * @param fallback the default location when there is no spill directory, or {@code null}
   */
  Outcomes(DeliverySettings settings, Intake intake, DeliveryStats stats, SpillReplay replay, SpillStore spill,
      FallbackSpill fallback) {
    this.fallback = fallback;
    this.maxBatchEvents = settings.batchLimits().maxEvents();
    this.backoff = settings.retryBackoff();
    this.intake = intake;
    this.stats = stats;
    this.replay = replay;
    this.spill = spill;
  }

  /** A tenant's channel was made: its health is reported from now on. */
  void tenantSeen(String tenant) {
    stats.tenantSeen(tenant);
  }

  /** Acts on {@code c}, whose batch is no longer in flight. */
  void handle(Completion c, long now) {
    if (c.failure() == null) {
      stored(c.channel(), c.batch(), c.result(), now);
    } else {
      failed(c.channel(), c.batch(), c.failure(), now);
    }
  }

  private void stored(TenantChannel ch, Batch b, PutResult r, long now) {
    int stored = 0;
    if (r.sentMoreThanOnce()) {
      // The SDK retried the call: an earlier attempt may have been stored too.
      stats.possibleDuplicates(b.size());
    }
    for (int i = 0; i < b.events.size(); i++) {
      PreparedEvent e = b.events.get(i);
      if (!r.noneRejected() && r.mayBeRejected(i)) {
        if (e.stampNow) {
          rejectForGood(e.event, e.origin, "refused by CloudWatch Logs even when stamped with the time of sending");
        } else {
          // Refused for its time (too old, too new, older than the group's retention): send again
          // stamped with the time of sending; the JSON keeps the true time. The bound is inclusive,
          // so the boundary event may have been stored already.
          e.stampNow = true;
          ch.add(e, now);
          ch.retryDue = true;
          stats.resentStampedNow();
        }
        continue;
      }
      stored++;
      replay.resolved(e.origin);
    }
    stats.batchStored(stored, b.bytes, Math.max(0, now - b.oldestEventMillis));
    if (ch.failures > 0) {
      DeliveryEngine.LOG.info("audit: delivery to tenant '{}' resumed after {} failed attempt(s)", ch.tenant, ch.failures);
    }
    ch.failures = 0;
    ch.lastError = null;
    ch.batchCap = Math.min(maxBatchEvents, ch.batchCap * 2);
    ch.share.failing = false;
    stats.tenantDelivered(ch.tenant, stored);
    stats.tenantRecovered(ch.tenant);
    // Last, so that whoever sees the pending count drop sees every count above too.
    intake.settled(ch.share, stored);
  }

  private void failed(TenantChannel ch, Batch b, DeliveryFailure f, long now) {
    if (f.kind() == Kind.INVALID_REQUEST) {
      if (b.size() == 1) {
        PreparedEvent e = b.events.get(0);
        rejectForGood(e.event, e.origin, f.getMessage());
        return;
      }
      // Split to find the event the service will not take.
      ch.batchCap = Math.max(1, b.size() / 2);
      DeliveryEngine.LOG.warn("audit: CloudWatch Logs refused a batch of {} events of tenant '{}' as invalid ({}); retrying in halves",
          b.size(), ch.tenant, f.getMessage());
    } else {
      ch.failures++;
      ch.notBeforeMillis = now + backoff.delayMillis(ch.failures);
      if (f.mayHaveBeenStored()) {
        stats.possibleDuplicates(b.size());
      }
      String message = f.getMessage();
      if (!message.equals(ch.lastError) || Integer.bitCount(ch.failures) == 1) {
        DeliveryEngine.LOG.warn("audit: delivery of {} event(s) to tenant '{}' failed (attempt {}, next in {} ms; {} kept): {}",
            b.size(), ch.tenant, ch.failures, ch.notBeforeMillis - now, ch.buffer.size() + b.size(), message);
      }
      if (ch.failures == 1) {
        NoLoggingProvider.important("audit delivery to tenant '" + EventJson.wellFormed(ch.tenant) + "' is failing; its events"
            + " are kept and retried: " + message);
      }
      ch.lastError = message;
      // From now on a tenant that requires a durable record has each event written to disk first.
      ch.share.failing = true;
      stats.tenantFailing(ch.tenant, message, ch.failures);
    }
    stats.batchRetried(b.size());
    ch.requeue(b, now);
  }

  /**
   * Gives up on one event: logs it in full at ERROR on the undelivered logger, writes it to the
   * spill directory's {@code rejected-} file if there is one, and counts it.
   *
   * @param origin the spill file it was read from, or {@code null}
   */
  void rejectForGood(KeyUseEvent e, SpillStore.ReplayFile origin, String why) {
    String json = EventJson.write(e);
    DeliveryEngine.UNDELIVERED.error("audit event refused by CloudWatch Logs for tenant '{}' ({}): {}",
        EventJson.wellFormed(e.tenant()), why, json);
    SpillStore aside = spill != null ? spill : fallback != null ? fallback.store() : null;
    if (aside != null) {
      try {
        aside.appendAside("rejected", List.of(json));
      } catch (IOException ex) {
        DeliveryEngine.LOG.error("audit: cannot write refused event {} to {}: {}", e.eventId(), aside.directory(), ex.toString());
      }
    }
    NoLoggingProvider.important("audit event " + e.eventId() + " of tenant '" + EventJson.wellFormed(e.tenant())
        + "' was refused by CloudWatch Logs for good (" + why + ")" + (aside == null ? "" : "; kept in " + aside.directory()));
    stats.rejected(e.tenant());
    intake.settled(intake.share(e.tenant()), 1);
    replay.resolved(origin);
  }
}
