package dev.byok.cli.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicOutputTest {
  @TempDir Path dir;

  private static Set<Path> stagingFiles() throws IOException {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (Stream<Path> s = Files.list(tmp)) {
      return new HashSet<>(s.filter(p -> p.getFileName().toString().startsWith("byok-stdout-")).toList());
    }
  }

  @Test
  void toStdout_whileWriting_noFileNamedInTheTemporaryFolder_andCommitCopiesEverything() throws Exception {
    Set<Path> before = stagingFiles();
    byte[] data = new byte[3 * 1024 * 1024 + 17];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31);
    }
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    try (AtomicOutput out = AtomicOutput.toStdout(stdout)) {
      out.stream().write(data, 0, 1000);
      out.stream().write(data, 1000, data.length - 1000);
      Set<Path> during = stagingFiles();
      during.removeAll(before);
      assertEquals(Set.of(), during, "the staging file is unlinked while open: a kill -9 leaves nothing behind");
      assertEquals(0, stdout.size(), "nothing released before commit");
      out.commit();
    }
    assertArrayEquals(data, stdout.toByteArray());
  }

  @Test
  void toStdout_closedWithoutCommit_releasesNothing() throws Exception {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    try (AtomicOutput out = AtomicOutput.toStdout(stdout)) {
      out.stream().write(new byte[] {1, 2, 3});
    }
    assertEquals(0, stdout.size());
  }

  @Test
  void toFile_staleStagingFileOfEndedProcess_deleted_othersKept() throws Exception {
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    String prefix = AtomicOutput.stagingPrefix("out.bin");
    Path stale = Files.writeString(dir.resolve(prefix + ended.pid() + "-123.tmp"), "plaintext of a killed run");
    Path live = Files.writeString(dir.resolve(prefix + ProcessHandle.current().pid() + "-456.tmp"), "a run in progress");
    Path otherTarget = Files.writeString(dir.resolve(AtomicOutput.stagingPrefix("other.bin") + ended.pid() + "-1.tmp"), "x");
    Path notOurs = Files.writeString(dir.resolve(".out.bin.tmp"), "x");

    try (AtomicOutput out = AtomicOutput.toFile(dir.resolve("out.bin"), false)) {
      out.stream().write(new byte[] {42});
      out.commit();
    }

    assertFalse(Files.exists(stale), "the killed run's staging file is gone");
    assertTrue(Files.exists(live), "a running process's staging file stays");
    assertTrue(Files.exists(otherTarget), "staging files of other targets are not touched");
    assertTrue(Files.exists(notOurs));
    assertArrayEquals(new byte[] {42}, Files.readAllBytes(dir.resolve("out.bin")));
  }

  @Test
  void toFile_stagingFileNamesThisProcess_andIsGoneAfterFailure() throws Exception {
    Path target = dir.resolve("out.bin");
    try (AtomicOutput out = AtomicOutput.toFile(target, false)) {
      out.stream().write(new byte[] {1});
      try (Stream<Path> s = Files.list(dir)) {
        assertEquals(1, s.filter(p -> p.getFileName().toString()
            .startsWith(AtomicOutput.stagingPrefix("out.bin") + ProcessHandle.current().pid() + "-")).count());
      }
    }
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(0, s.count(), "no output and no staging file after a run without commit");
    }
  }
}
