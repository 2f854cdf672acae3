package dev.byok.aws.logs.internal;

import dev.byok.core.audit.KeyUseEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads spill files back into delivery, per tenant: those left by an earlier run (listed at start),
 * and what this run spilled once that tenant's delivery is healthy and has room again. A tenant
 * whose delivery fails holds back only its own files. Per tenant one file is read at a time, in
 * chunks; a file is deleted when every event read from it is resolved (stored, refused for good, or
 * written again at close). Lines that are not audit events are set aside, never replayed; a file
 * other users could write to is refused ({@link OwnerOnly#whyNotReplayable}) and left where it is.
 * Files of several tenants (an older format) are split into per-tenant files at start.
 * Dispatcher-owned.
 */
final class SpillReplay {
  private static final int REPLAY_CHUNK = 5_000;

  /** Takes one event read back, with the file it came from. */
  @FunctionalInterface
  interface Target {
    void accept(KeyUseEvent event, SpillStore.ReplayFile origin);
  }

  /** How many events of the tenant with this key may be read back now (0 or less: none). */
  @FunctionalInterface
  interface Room {
    long of(String tenantKey);
  }

  private final SpillStore spill;
  private final DeliveryStats stats;
  private final Map<String, Deque<Path>> toReplay = new LinkedHashMap<>();
  private final Map<String, SpillStore.ReplayFile> reading = new LinkedHashMap<>();
  private int refusedFiles;

  /** Lists the files to replay. @param spill the spill store, or {@code null}: then nothing is replayed */
  SpillReplay(SpillStore spill, DeliveryStats stats) {
    this.spill = spill;
    this.stats = stats;
    if (spill != null) {
      int n = list(true);
      if (n > 0) {
        DeliveryEngine.LOG.info("audit sink: {} spill file(s) in {} will be replayed", n, spill.directory());
      }
    }
  }

  /** Adds the replayable files not yet known; at start, splits files of several tenants first. Returns how many were added. */
  private int list(boolean atStart) {
    List<Path> files;
    try {
      files = spill.replayable();
    } catch (IOException e) {
      DeliveryEngine.LOG.error("audit spill directory {} cannot be listed; its files are not replayed now: {}",
          spill.directory(), e.toString());
      return 0;
    }
    Set<Path> known = new LinkedHashSet<>();
    toReplay.values().forEach(known::addAll);
    reading.values().forEach(f -> known.add(f.path()));
    int added = 0;
    boolean split = false;
    for (Path p : files) {
      if (known.contains(p) || refused(p)) {
        continue;
      }
      String key = SpillStore.keyOf(p);
      if (key == null) {
        if (atStart && split(p)) {
          split = true;
        }
        continue;
      }
      toReplay.computeIfAbsent(key, k -> new ArrayDeque<>()).add(p);
      added++;
    }
    if (split) {
      try {
        spill.rotate();
      } catch (IOException e) {
        DeliveryEngine.LOG.error("audit: cannot close the split spill files in {}: {}", spill.directory(), e.toString());
      }
      added += list(false);
    }
    return added;
  }

  private final Set<Path> refusedPaths = new LinkedHashSet<>();

  /** Whether {@code p} must not be replayed (said once per file, at ERROR and on stderr). */
  private boolean refused(Path p) {
    if (refusedPaths.contains(p)) {
      return true;
    }
    String why;
    try {
      why = OwnerOnly.whyNotReplayable(p);
    } catch (IOException e) {
      why = "its owner and permissions cannot be read (" + e.getMessage() + ")";
    }
    if (why == null) {
      return false;
    }
    refusedPaths.add(p);
    refusedFiles++;
    String line = "audit spill file " + p + " is not replayed because " + why
        + "; check where it came from, then make it owner-only (chmod 600) to have it delivered, or delete it";
    DeliveryEngine.LOG.error(line);
    NoLoggingProvider.important(line);
    return true;
  }

  /** Moves the events of a file of several tenants into per-tenant files, then deletes it. */
  private boolean split(Path p) {
    List<String> unreadable = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        KeyUseEvent e;
        try {
          e = KeyUseEvent.fromJson(line);
        } catch (IllegalArgumentException ex) {
          unreadable.add(line);
          continue;
        }
        spill.appendLines(SpillStore.tenantKey(e.tenant()), List.of(line));
      }
      if (!unreadable.isEmpty()) {
        spill.appendAside("unreadable", unreadable);
      }
      Files.delete(p);
      return true;
    } catch (IOException e) {
      DeliveryEngine.LOG.error("audit: cannot split spill file {} into per-tenant files ({}); it stays for the next start",
          p, e.toString());
      return false;
    }
  }

  /** Whether there is a spill store to replay from at all. */
  boolean active() {
    return spill != null;
  }

  /** Spill files refused because other users could write to them. */
  int refusedFiles() {
    return refusedFiles;
  }

  /**
   * For each tenant with spilled events and room ({@code room}), reads up to that many events (at
   * most one chunk) and hands each to {@code target}.
   *
   * @return whether any line was read
   */
  boolean replayInto(Room room, Target target) {
    if (spill == null) {
      return false;
    }
    Set<String> keys = new LinkedHashSet<>(reading.keySet());
    keys.addAll(toReplay.keySet());
    keys.addAll(spill.keysBeingWritten());
    boolean any = false;
    for (String key : keys) {
      long r = room.of(key);
      if (r > 0) {
        any |= replayKey(key, r, target);
      }
    }
    return any;
  }

  private boolean replayKey(String key, long room, Target target) {
    SpillStore.ReplayFile f = reading.get(key);
    if (f == null) {
      f = openNext(key);
      if (f == null) {
        return false;
      }
    }
    List<String> lines;
    try {
      lines = f.read((int) Math.min(room, REPLAY_CHUNK));
    } catch (IOException ex) {
      DeliveryEngine.LOG.error("audit: cannot read spill file {} ({}); it stays for the next start", f.path(), ex.toString());
      f.closeQuietly();
      reading.remove(key);
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
      reading.remove(key);
      if (f.outstanding() == 0) {
        delete(f);
      }
    }
    return !lines.isEmpty();
  }

  private SpillStore.ReplayFile openNext(String key) {
    Deque<Path> files = toReplay.get(key);
    if ((files == null || files.isEmpty()) && spill.currentLines(key) > 0) {
      // Healthy with room again: what this run spilled for this tenant can go out now.
      try {
        spill.rotate(key);
      } catch (IOException ex) {
        DeliveryEngine.LOG.error("audit: cannot rotate the spill file in {}: {}", spill.directory(), ex.toString());
        return null;
      }
      list(false);
      files = toReplay.get(key);
    }
    Path next = files == null ? null : files.poll();
    if (files != null && files.isEmpty()) {
      toReplay.remove(key);
    }
    if (next == null) {
      return null;
    }
    try {
      SpillStore.ReplayFile f = spill.openReplay(next);
      reading.put(key, f);
      DeliveryEngine.LOG.info("audit: replaying spill file {}", next.getFileName());
      return f;
    } catch (IOException ex) {
      DeliveryEngine.LOG.error("audit: cannot open spill file {} ({}); it stays for the next start", next, ex.toString());
      return null;
    }
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
   * At close: writes the lines not read yet of each file being read to its tenant's current spill
   * file (so they are replayed at the next start). The caller rotates the spill files after.
   */
  void keepUnread() throws IOException {
    for (Map.Entry<String, SpillStore.ReplayFile> r : reading.entrySet()) {
      spill.appendLines(r.getKey(), r.getValue().rest());
    }
  }

  /** At close, after {@link #keepUnread} and what was left was written: deletes each file being read if nothing of it is outstanding. */
  void deleteIfResolved() {
    for (SpillStore.ReplayFile f : reading.values()) {
      if (f.outstanding() == 0) {
        delete(f);
      }
    }
  }

  /** At close: stops reading. */
  void stop() {
    reading.values().forEach(SpillStore.ReplayFile::closeQuietly);
    reading.clear();
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
