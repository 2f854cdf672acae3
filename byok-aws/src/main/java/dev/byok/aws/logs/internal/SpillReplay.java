package dev.byok.aws.logs.internal;

import dev.byok.core.audit.KeyUseEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Reads spill files back into delivery: those left by an earlier run (listed at start), and what this
 * run spilled on overflow once delivery is healthy again. One file is read at a time, in chunks; a
 * file is deleted when every event read from it is resolved (stored, refused for good, or written
 * again at close). Lines that are not audit events are set aside, never replayed; a file other users
 * could have written ({@link OwnerOnly#whyNotReplayable}) is refused and left where it is.
 * Dispatcher-owned.
 */
final class SpillReplay {
  private static final int REPLAY_CHUNK = 5_000;

  /** Takes one event read back, with the file it came from. */
  @FunctionalInterface
  interface Target {
    void accept(KeyUseEvent event, SpillStore.ReplayFile origin);
  }

  private final SpillStore spill;
  private final DeliveryStats stats;
  private final Deque<Path> toReplay = new ArrayDeque<>();
  private SpillStore.ReplayFile reading;
  private int refusedFiles;

  /** Lists the files to replay. @param spill the spill store, or {@code null}: then nothing is replayed */
  SpillReplay(SpillStore spill, DeliveryStats stats) {
    this.spill = spill;
    this.stats = stats;
    if (spill != null) {
      try {
        toReplay.addAll(spill.replayable());
      } catch (IOException e) {
        DeliveryEngine.LOG.error("audit spill directory {} cannot be listed; its files are not replayed now: {}",
            spill.directory(), e.toString());
      }
      if (!toReplay.isEmpty()) {
        DeliveryEngine.LOG.info("audit sink: {} spill file(s) in {} will be replayed", toReplay.size(), spill.directory());
      }
    }
  }

  /** Whether there is a spill store to replay from at all. */
  boolean active() {
    return spill != null;
  }

  /**
   * Reads up to {@code room} events (at most one chunk) and hands each to {@code target}.
   *
   * @return whether any line was read
   */
  boolean replayInto(long room, Target target) {
    if (spill == null || room <= 0) {
      return false;
    }
    if (reading == null && !openNext()) {
      return false;
    }
    SpillStore.ReplayFile f = reading;
    List<String> lines;
    try {
      lines = f.read((int) Math.min(room, REPLAY_CHUNK));
    } catch (IOException ex) {
      DeliveryEngine.LOG.error("audit: cannot read spill file {} ({}); it stays for the next start", f.path(), ex.toString());
      f.closeQuietly();
      reading = null;
      return false;
    }
    List<String> unreadable = new ArrayList<>();
    int n = 0;
    for (String line : lines) {
      KeyUseEvent e;
      try {
        e = KeyUseEvent.fromJson(line);
      } catch (IllegalArgumentException ex) {
        unreadable.add(line);
        continue;
      }
      f.track(1);
      target.accept(e, f);
      n++;
    }
    if (!unreadable.isEmpty()) {
      setAside(f, unreadable);
    }
    stats.replayed(n, f.writtenThisRun() ? n + unreadable.size() : 0);
    if (f.atEnd()) {
      reading = null;
      if (f.outstanding() == 0) {
        delete(f);
      }
    }
    return !lines.isEmpty();
  }

  private boolean openNext() {
    if (toReplay.isEmpty() && spill.currentLines() > 0) {
      // Healthy with room again: what this run spilled can go out now.
      try {
        spill.rotate();
        toReplay.addAll(spill.replayable());
      } catch (IOException ex) {
        DeliveryEngine.LOG.error("audit: cannot rotate the spill file in {}: {}", spill.directory(), ex.toString());
        return false;
      }
    }
    Path next = toReplay.poll();
    while (next != null && refused(next)) {
      next = toReplay.poll();
    }
    if (next == null) {
      return false;
    }
    try {
      reading = spill.openReplay(next);
      DeliveryEngine.LOG.info("audit: replaying spill file {}", next.getFileName());
      return true;
    } catch (IOException ex) {
      DeliveryEngine.LOG.error("audit: cannot open spill file {} ({}); it stays for the next start", next, ex.toString());
      return false;
    }
  }

  /** Whether {@code p} must not be replayed: other users could have written it (said at ERROR and on stderr; the file stays). */
  private boolean refused(Path p) {
    String why;
    try {
      why = OwnerOnly.whyNotReplayable(p);
    } catch (IOException e) {
      why = "its owner and permissions cannot be read (" + e.getMessage() + ")";
    }
    if (why == null) {
      return false;
    }
    refusedFiles++;
    String line = "audit spill file " + p + " is not replayed because " + why
        + "; check where it came from, then make it owner-only (chmod 600) to have it delivered, or delete it";
    DeliveryEngine.LOG.error(line);
    NoLoggingProvider.important(line);
    return true;
  }

  /** Spill files refused because other users could have written them. */
  int refusedFiles() {
    return refusedFiles;
  }

  private void setAside(SpillStore.ReplayFile f, List<String> unreadable) {
    try {
      Path aside = spill.appendAside("unreadable", unreadable);
      DeliveryEngine.LOG.error("audit: {} line(s) of spill file {} are not audit events; moved to {}",
          unreadable.size(), f.path().getFileName(), aside);
    } catch (IOException ex) {
      DeliveryEngine.LOG.error("audit: {} unreadable line(s) of spill file {} cannot be set aside ({}); the file is kept",
          unreadable.size(), f.path(), ex.toString());
      f.track(1); // keeps the file from being deleted
    }
  }

  /** One event read from {@code origin} (or {@code null}: none) is resolved; deletes the file when it was the last. */
  void resolved(SpillStore.ReplayFile origin) {
    if (origin != null && origin.resolved()) {
      delete(origin);
    }
  }

  /**
   * At close: writes the lines of the file being read that were not read yet to the current spill
   * file (so they are replayed at the next start). The caller rotates the spill file after.
   */
  void keepUnread() throws IOException {
    if (reading != null) {
      spill.appendLines(reading.rest());
    }
  }

  /** At close, after {@link #keepUnread} and what was left was written: deletes the file being read if nothing of it is outstanding. */
  void deleteIfResolved() {
    if (reading != null && reading.outstanding() == 0) {
      delete(reading);
    }
  }

  /** At close: stops reading. */
  void stop() {
    if (reading != null) {
      reading.closeQuietly();
      reading = null;
    }
  }

  private static void delete(SpillStore.ReplayFile f) {
    try {
      f.delete();
      DeliveryEngine.LOG.info("audit: every event of spill file {} is delivered; file deleted", f.path().getFileName());
    } catch (IOException ex) {
      DeliveryEngine.LOG.error("audit: spill file {} is fully delivered but cannot be deleted ({}); delete it by hand or"
          + " its events are sent again", f.path(), ex.toString());
    }
  }
}
