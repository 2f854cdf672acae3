package dev.byok.audit.internal;

import dev.byok.audit.AuditInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * CloudTrail log files on disk: one file, or every regular file under a folder (recursively, in
 * path order), gzip or not. Files in CloudTrail's layout whose day folder is outside the window
 * are not opened. Thread-safe (stateless between reads).
 */
public final class LocalTrailInput implements TrailInput {
  private final Path path;

  public LocalTrailInput(Path path) {
    this.path = path;
  }

  @Override
  public String description() {
    return path.toString();
  }

  @Override
  public void read(Instant from, Instant to, TrailSink sink) {
    if (!Files.exists(path)) {
      throw new AuditInputException("trail logs '" + path + "': no such file or folder");
    }
    List<Path> files;
    if (Files.isDirectory(path)) {
      try (Stream<Path> s = Files.walk(path)) {
        files = s.filter(Files::isRegularFile).sorted().toList();
      } catch (IOException | UncheckedIOException e) {
        throw new AuditInputException("trail logs '" + path + "': cannot list the folder: " + e.getMessage(), e, false);
      }
      if (files.isEmpty()) {
        throw new AuditInputException("trail logs '" + path + "': the folder holds no files");
      }
    } else {
      files = List.of(path);
    }
    for (Path f : files) {
      String name = f.toString();
      boolean outside = LogLayout.day(name)
          .map(d -> !LogLayout.mayHold(d, from, to)).orElse(false);
      if (outside) {
        continue;
      }
      try (InputStream in = Files.newInputStream(f)) {
        long n = CloudTrailLogReader.read(in, sink::record);
        sink.fileRead(name, n);
      } catch (CloudTrailLogReader.UnreadableLogException e) {
        sink.fileSkipped(name, e.getMessage(), e.recordsRead());
      } catch (IOException e) {
        throw new AuditInputException("trail logs '" + f + "': cannot read: " + e.getMessage(), e, false);
      }
    }
  }
}
