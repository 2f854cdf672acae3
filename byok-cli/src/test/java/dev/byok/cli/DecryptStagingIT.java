package dev.byok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 4: {@code byok decrypt} to standard output stages the plaintext in the temporary
 * folder; killed with {@code kill -9} halfway, it must leave nothing there. Runs the packaged jar
 * with its own temporary folder, feeds it half of a 12 MiB message, checks (through
 * {@code /proc/PID/fd}) that it is staging into an unlinked file of that folder, kills it, and
 * checks the folder is empty.
 */
class DecryptStagingIT {
  @TempDir Path dir;

  @Test
  void decryptToStdout_killedHalfway_leavesNothingInTheTemporaryFolder() throws Exception {
    String jarProp = System.getProperty("byok.jar");
    assumeTrue(jarProp != null, "byok.jar is set by the byok-cli pom (run with Maven)");
    assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc to see the staging file (Linux)");
    Path keystore = dir.resolve("keys.json");
    assertEquals(0, CliRun.run("keys", "create", "--keystore", keystore.toString(), "--alias", "acme").status);
    byte[] plain = new byte[12 * 1024 * 1024];
    new Random(7).nextBytes(plain);
    CliRun enc = CliRun.withInput(plain, "encrypt", "--keystore", keystore.toString(), "--key", "alias/acme",
        "--context", "tenant=acme");
    assertEquals(0, enc.status, enc.err);
    byte[] message = enc.outBytes;

    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.io.tmpdir=" + tmp, "-jar", jarProp, "decrypt", "--keystore", keystore.toString(), "--key", "alias/acme",
        "--context", "tenant=acme"))
        .redirectOutput(dir.resolve("out.bin").toFile()).redirectError(dir.resolve("err.txt").toFile()).start();
    try {
      OutputStream in = p.getOutputStream();
      in.write(message, 0, message.length / 2);
      in.flush();
      Path fds = Path.of("/proc", Long.toString(p.pid()), "fd");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      boolean staging = false;
      while (!staging && p.isAlive() && System.nanoTime() < deadline) {
        staging = stagesInto(fds, tmp);
        if (!staging) {
          TimeUnit.MILLISECONDS.sleep(20); // waiting for another process, not timing anything
        }
      }
      assertTrue(staging, "decrypt staged its output in " + tmp + " (an open, unlinked file)");
      try (Stream<Path> s = Files.list(tmp)) {
        assertEquals(List.of(), s.toList(), "no name points at the staging file while it is written");
      }
    } finally {
      p.destroyForcibly(); // kill -9
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    }
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(List.of(), s.toList(), "nothing left behind after kill -9");
    }
    assertEquals(0, Files.size(dir.resolve("out.bin")), "no plaintext released before the message authenticated");
  }

  /** Whether one of the process's open files is a deleted file in {@code folder}. */
  private static boolean stagesInto(Path fds, Path folder) {
    try (Stream<Path> s = Files.list(fds)) {
      return s.anyMatch(fd -> {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          return target.startsWith(folder.toString() + "/") && target.endsWith(" (deleted)");
        } catch (Exception e) {
          return false; // closed meanwhile
        }
      });
    } catch (Exception e) {
      return false;
    }
  }
}
