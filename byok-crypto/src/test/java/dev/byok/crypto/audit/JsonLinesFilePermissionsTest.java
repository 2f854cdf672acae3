package dev.byok.crypto.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 point 5: the JSON-lines audit file is owner-only, in an owner-only directory, and a
 * directory or file that other users could write is refused.
 */
class JsonLinesFilePermissionsTest {
  @TempDir
  Path tmp;

  @BeforeEach
  void posixOnly() {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
        "file permissions are POSIX permissions; this file system has none");
  }

  @Test
  void open_newDirectoryAndFile_createdOwnerOnly() throws IOException {
    Path file = tmp.resolve("audit/events.jsonl");
    JsonLinesFileAuditSink s = JsonLinesFileAuditSink.open(file);
    s.close(Duration.ofSeconds(5));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void open_directoryWritableByGroup_refused() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("shared"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwx---"));
    IOException e = assertThrows(IOException.class, () -> JsonLinesFileAuditSink.open(dir.resolve("events.jsonl")));
    assertTrue(e.getMessage().contains("writable by other users"), e.getMessage());
    assertTrue(Files.notExists(dir.resolve("events.jsonl")), "nothing was created");
  }

  @Test
  void open_existingFileWritableByOthers_refused() throws IOException {
    Path file = Files.createFile(tmp.resolve("events.jsonl"));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
    IOException e = assertThrows(IOException.class, () -> JsonLinesFileAuditSink.open(file));
    assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
  }
}
