package dev.byok.aws.logs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.aws.logs.AuditMetrics;
import dev.byok.core.audit.KeyUseEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpillStoreTest {
  @TempDir
  Path dir;

  private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

  private static KeyUseEvent ev(String id) {
    return KeyUseEvent.builder().eventId(id).time(Instant.EPOCH).tenant("t").operation(KeyUseEvent.Operation.DECRYPT).build();
  }

  @Test
  void append_thenRotate_fileBecomesReplayableAndReadsBackEveryEvent() throws Exception {
    try (SpillStore s = new SpillStore(dir, clock)) {
      s.append(ev("a"));
      s.appendAll(List.of(ev("b"), ev("c")));
      assertTrue(s.replayable().isEmpty(), "the file being written is not replayed");
      s.rotate();
      List<Path> files = s.replayable();
      assertEquals(1, files.size());
      SpillStore.ReplayFile f = s.openReplay(files.get(0));
      assertTrue(f.writtenThisRun());
      List<String> lines = f.read(10);
      assertEquals(List.of("a", "b", "c"), lines.stream().map(l -> KeyUseEvent.fromJson(l).eventId()).toList());
      assertTrue(f.atEnd());
      f.track(3);
      assertFalse(f.resolved());
      assertFalse(f.resolved());
      assertTrue(f.resolved(), "done once every event read is resolved");
      f.delete();
      assertFalse(Files.exists(files.get(0)));
    }
  }

  @Test
  void open_directoryHeldByAnotherStore_failsNamingIt() throws Exception {
    try (SpillStore s = new SpillStore(dir, clock)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> new SpillStore(dir, clock));
      assertTrue(e.getMessage().contains(dir.toString()));
      assertEquals(dir, s.directory());
    }
    new SpillStore(dir, clock).close(); // free again after close
  }

  @Test
  void replayable_filesOfAnEarlierRun_notMarkedAsThisRuns() throws Exception {
    try (SpillStore s = new SpillStore(dir, clock)) {
      s.append(ev("a"));
    }
    try (SpillStore s = new SpillStore(dir, clock)) {
      List<Path> files = s.replayable();
      assertEquals(1, files.size());
      assertFalse(s.openReplay(files.get(0)).writtenThisRun());
    }
  }

  // Issue 12 point 5 / issue 19 item 1: spill data is owner-only, and a file others could write is never replayed.

  @Test
  void open_directoryAndFilesAreOwnerOnly_looseDirectoryTightened() throws Exception {
    Path d = dir.resolve("spill");
    Files.createDirectory(d);
    Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwxrwx"));
    try (SpillStore s = new SpillStore(d, clock)) {
      s.append(ev("a"));
      s.appendAside("rejected", List.of("{}"));
      s.rotate();
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(d)));
      try (Stream<Path> files = Files.list(d)) {
        for (Path f : files.collect(Collectors.toList())) {
          assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
        }
      }
    }
  }

  @Test
  void replay_fileOthersCouldWrite_refusedAndLeftInPlace() throws Exception {
    try (SpillStore s = new SpillStore(dir, clock)) {
      s.append(ev("a"));
      s.rotate();
    }
    Path planted;
    try (Stream<Path> files = Files.list(dir)) {
      planted = files.filter(p -> p.getFileName().toString().startsWith("spill-")).findFirst().orElseThrow();
    }
    Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rw-rw-rw-"));
    try (SpillStore s = new SpillStore(dir, clock)) {
      SpillReplay replay = new SpillReplay(s, new DeliveryStats(AuditMetrics.none()));
      List<String> read = new ArrayList<>();
      replay.replayInto(key -> 100, (e, origin) -> read.add(e.eventId()));
      assertEquals(List.of(), read, "not replayed");
      assertEquals(1, replay.refusedFiles());
      assertTrue(Files.exists(planted), "left for a person to look at");
    }
  }
}
