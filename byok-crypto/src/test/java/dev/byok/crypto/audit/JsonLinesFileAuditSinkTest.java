package dev.byok.crypto.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.audit.KeyUseEvent;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesFileAuditSinkTest {
  @TempDir
  Path tmp;

  private static KeyUseEvent ev(String id) {
    return KeyUseEvent.builder().eventId(id).time(Instant.parse("2026-03-01T12:00:00Z")).tenant("acme")
        .operation(KeyUseEvent.Operation.DECRYPT).reasonCode("USER_REQUEST").build();
  }

  @Test
  void emit_fromFourThreads_thenClose_oneParsableLinePerEvent() throws Exception {
    Path file = tmp.resolve("audit/events.jsonl");
    JsonLinesFileAuditSink s = JsonLinesFileAuditSink.open(file, 100, false);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int base = t * 1_000;
      Thread th = new Thread(() -> {
        for (int i = 0; i < 1_000; i++) {
          s.emit(ev("e" + (base + i)));
        }
      });
      th.start();
      threads.add(th);
    }
    for (Thread th : threads) {
      th.join();
    }
    assertEquals(0, s.close(Duration.ofSeconds(10)));
    List<String> lines = Files.readAllLines(file);
    assertEquals(4_000, lines.size());
    Set<String> ids = new HashSet<>();
    for (String l : lines) {
      ids.add(KeyUseEvent.fromJson(l).eventId());
    }
    assertEquals(4_000, ids.size());
  }

  @Test
  void open_existingFile_appendsAfterWhatIsThere() throws Exception {
    Path file = tmp.resolve("events.jsonl");
    Files.writeString(file, ev("old").toJson() + "\n");
    JsonLinesFileAuditSink s = JsonLinesFileAuditSink.open(file);
    s.emit(ev("new"));
    assertTrue(s.flush(Duration.ofSeconds(10)));
    s.close(Duration.ofSeconds(1));
    List<String> lines = Files.readAllLines(file);
    assertEquals(List.of("old", "new"), lines.stream().map(l -> KeyUseEvent.fromJson(l).eventId()).toList());
  }

  @Test
  void emit_loneSurrogate_fileIsValidUtf8() throws Exception {
    Path file = tmp.resolve("events.jsonl");
    JsonLinesFileAuditSink s = JsonLinesFileAuditSink.open(file);
    s.emit(ev("s").toBuilder().error("x\uD800y").build());
    s.close(Duration.ofSeconds(10));
    byte[] bytes = Files.readAllBytes(file);
    String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes)).toString();
    assertTrue(text.contains("x\uFFFDy"), text);
  }

  @Test
  void emit_afterClose_throwsNamingTheEvent() throws Exception {
    JsonLinesFileAuditSink s = JsonLinesFileAuditSink.open(tmp.resolve("e.jsonl"));
    s.close(Duration.ofSeconds(1));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.emit(ev("late")));
    assertTrue(e.getMessage().contains("late"));
  }

  @Test
  void open_pathIsADirectory_failsNamingIt() {
    java.io.IOException e = assertThrows(java.io.IOException.class, () -> JsonLinesFileAuditSink.open(tmp));
    assertTrue(e.getMessage().contains(tmp.toString()), e.getMessage());
  }
}
