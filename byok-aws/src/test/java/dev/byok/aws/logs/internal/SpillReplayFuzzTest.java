package dev.byok.aws.logs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.byok.aws.logs.AuditMetrics;
import dev.byok.core.audit.KeyUseEvent;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer fuzz target for spill-file replay: the input is the content of a spill file left by an
 * earlier run (a crash can leave a torn last line; a disk can flip bytes), as one tenant's file or as
 * an older file of several tenants that is split at start. The oracle: replay never throws; every
 * line that is an audit event is handed on exactly once; no spill file is left afterwards (every
 * event resolved, every other line set aside, never a file that stays forever and blocks its good
 * events). Any other outcome is a finding.
 *
 * <p>In the normal test run Jazzer replays the empty input and the seeds in
 * {@code src/test/resources/dev/byok/aws/logs/internal/SpillReplayFuzzTestInputs/}. Fuzzing for N
 * minutes: {@code scripts/fuzz spill N} (see docs/reliability.md).
 */
class SpillReplayFuzzTest {
  private static final AtomicLong EXECUTIONS = new AtomicLong();

  @FuzzTest(maxDuration = "30s")
  void replay_anySpillFile_deliversEveryEventOnceAndLeavesNothingBehind(byte[] content) throws IOException {
    EXECUTIONS.incrementAndGet();
    Path dir = Files.createTempDirectory("spill-fuzz");
    try {
      // The first byte chooses the file's kind: one tenant's file, or an older file of several tenants (split at start).
      boolean perTenant = content.length > 0 && (content[0] & 1) == 1;
      String name = perTenant ? "spill-00000000000000000001-0000~" + SpillStore.tenantKey("acme") + ".jsonl"
          : "spill-00000000000000000001-0000.jsonl";
      Path file = dir.resolve(name);
      Files.write(file, content);
      List<String> expected = new ArrayList<>();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(content),
          StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
              .onUnmappableCharacter(CodingErrorAction.REPLACE)))) {
        String line;
        while ((line = r.readLine()) != null) {
          try {
            expected.add(KeyUseEvent.fromJson(line).eventId());
          } catch (IllegalArgumentException e) {
            // not an event: set aside
          }
        }
      }
      List<String> replayed = new ArrayList<>();
      try (SpillStore store = new SpillStore(dir, Clock.systemUTC())) {
        SpillReplay replay = new SpillReplay(store, new DeliveryStats(AuditMetrics.none()));
        List<SpillStore.ReplayFile> origins = new ArrayList<>();
        SpillReplay.Target target = (e, origin) -> {
          replayed.add(e.eventId());
          origins.add(origin);
        };
        for (int rounds = 0; rounds < 10_000 && replay.replayInto(key -> 1_000, target); rounds++) {
          origins.forEach(replay::resolved);
          origins.clear();
        }
        origins.forEach(replay::resolved);
        replay.stop();
      }
      Collections.sort(expected);
      Collections.sort(replayed);
      assertEquals(expected, replayed, "every event of the file, exactly once");
      try (Stream<Path> left = Files.list(dir)) {
        List<String> spillFiles = left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("spill-")).toList();
        assertEquals(List.of(), spillFiles, "the spill file must be resolved (events delivered, the rest set aside), not kept");
      }
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The same target with an 8-hour budget, for fuzzing runs (scripts/fuzz stops it after N minutes). */
  @FuzzTest(maxDuration = "8h")
  void longRun(byte[] content) throws IOException {
    replay_anySpillFile_deliversEveryEventOnceAndLeavesNothingBehind(content);
  }

  @AfterAll
  static void executedSomeInputs() {
    assertTrue(EXECUTIONS.get() >= 3, "the fuzz target ran only " + EXECUTIONS.get() + " inputs: are the seeds on the class path?");
  }
}
