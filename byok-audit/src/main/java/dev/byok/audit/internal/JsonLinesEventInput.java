package dev.byok.audit.internal;

import dev.byok.audit.AuditInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A file of audit events, one JSON object per line, UTF-8 (gzip is read too). Blank lines are
 * ignored; every other line that is not an event is counted with its line number. Streams line by
 * line. Thread-safe (stateless between reads).
 */
public final class JsonLinesEventInput implements EventInput {
  private final Path file;

  public JsonLinesEventInput(Path file) {
    this.file = file;
  }

  @Override
  public String description() {
    return file.toString();
  }

  @Override
  public void read(Instant from, Instant to, EventSink sink) {
    if (!Files.isRegularFile(file)) {
      throw new AuditInputException("audit events '" + file + "': "
          + (Files.isDirectory(file) ? "is a folder, not a JSON-lines file" : "no such file"));
    }
    long lineNo = 0;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        CloudTrailLogReader.maybeGunzip(Files.newInputStream(file)), StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)))) {
      String line;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        try {
          sink.event(EventLine.parse(line));
        } catch (EventLine.MalformedEventException e) {
          sink.lineSkipped(file + " line " + lineNo, e.getMessage());
        }
      }
      sink.sourceRead(file.toString(), lineNo);
    } catch (CharacterCodingException e) {
      throw new AuditInputException("audit events '" + file + "': not UTF-8 text after line " + lineNo, e, false);
    } catch (IOException e) {
      throw new AuditInputException("audit events '" + file + "': cannot read after line " + lineNo + ": "
          + e.getMessage(), e, false);
    }
  }
}
