package dev.byok.aws.logs.internal;

import dev.byok.core.audit.KeyUseEvent;
import dev.byok.core.internal.EventJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The account close gives of what was left, once delivery has had its time: seals the
 * {@link Intake}, gathers every event not delivered (queued, buffered, in flight past the
 * deadline), keeps it (in the spill directory, replayed at the next start; without one, at the
 * {@link DefaultSpillLocation}; else each logged in full at ERROR), settles the counts, and adds what this run spilled on overflow and never read back.
 * Runs once, on the closing thread, after the dispatcher has stopped.
 */
final class Shutdown {
  private static final String NOT_SENT = "not sent before the close timeout";

  private final Intake intake;
  private final Dispatcher dispatcher;
  private final SpillReplay replay;
  private final SpillStore spill;
  private final FallbackSpill fallback;
  private final DeliveryStats stats;

  /**
   * @param spill where what is left is kept, or {@code null}: then in {@code fallback}
   * @param fallback the default location when there is no spill directory, or {@code null}: then what is left is logged
   */
  Shutdown(Intake intake, Dispatcher dispatcher, SpillReplay replay, SpillStore spill, FallbackSpill fallback,
      DeliveryStats stats) {
    this.intake = intake;
    this.dispatcher = dispatcher;
    this.replay = replay;
    this.spill = spill;
    this.fallback = fallback;
    this.stats = stats;
  }

  /** Keeps what is left and says how much that was, per tenant and why. */
  Undelivered finish() {
    intake.seal();
    Dispatcher.Leftovers leftovers = dispatcher.takeLeftovers();
    // A batch still in flight may yet be stored, and is kept here too.
    stats.possibleDuplicates(leftovers.stillInFlight());
    Map<String, List<PreparedEvent>> left = leftovers.byTenant();
    Map<String, Integer> perTenant = new LinkedHashMap<>();
    Map<String, String> errors = new LinkedHashMap<>();
    long inMemory = 0;
    for (Map.Entry<String, List<PreparedEvent>> t : left.entrySet()) {
      String error = dispatcher.lastError(t.getKey());
      perTenant.put(t.getKey(), t.getValue().size());
      errors.put(t.getKey(), error == null ? NOT_SENT : error);
      inMemory += t.getValue().size();
    }
    SpillStore target = spill;
    if (target == null && inMemory > 0 && fallback != null) {
      target = fallback.store();
    }
    boolean kept = target != null && keepInSpill(target, left, inMemory);
    if (!kept) {
      for (List<PreparedEvent> l : left.values()) {
        for (PreparedEvent p : l) {
          DeliveryEngine.UNDELIVERED.error("audit event not delivered before close (tenant '{}'): {}",
              EventJson.wellFormed(p.event.tenant()), EventJson.write(p.event));
        }
      }
    }
    replay.stop();
    for (Map.Entry<String, List<PreparedEvent>> t : left.entrySet()) {
      intake.settled(intake.share(t.getKey()), t.getValue().size());
    }
    long spilledEarlier = stats.spilledOnOverflowNotReplayed();
    dispatcher.dropDestinations();
    return new Undelivered(inMemory + spilledEarlier, spilledEarlier, perTenant, errors,
        kept ? target.directory() : null, !kept && inMemory > 0, kept && target != spill);
  }

  private boolean keepInSpill(SpillStore target, Map<String, List<PreparedEvent>> left, long inMemory) {
    try {
      if (target == spill) {
        replay.keepUnread();
      }
      List<KeyUseEvent> all = new ArrayList<>();
      left.values().forEach(l -> l.forEach(p -> all.add(p.event)));
      target.appendAll(all);
      target.rotate();
    } catch (IOException ex) {
      DeliveryEngine.LOG.error("audit: cannot write undelivered events to the spill directory {}: {}", target.directory(), ex.toString());
      return false;
    }
    stats.spilledAtClose(inMemory);
    replay.deleteIfResolved();
    for (List<PreparedEvent> l : left.values()) {
      for (PreparedEvent p : l) {
        replay.resolved(p.origin);
      }
    }
    return true;
  }
}
