package dev.byok.aws.logs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.audit.KeyUseEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
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
}
