package dev.byok.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code ./byok} launcher running the packaged jar (BYOK_JAR, so it does not rebuild) as
 * a separate process, with operating-system pipes.
 */
class LauncherIT {
  private static Path launcher;
  private static Path jar;

  @TempDir Path dir;

  @BeforeAll
  static void locate() {
    String root = System.getProperty("byok.repoRoot");
    String jarProp = System.getProperty("byok.jar");
    assumeTrue(root != null && jarProp != null, "byok.repoRoot and byok.jar are set by the byok-cli pom (run with Maven)");
    launcher = Path.of(root, "byok");
    jar = Path.of(jarProp);
    assertTrue(Files.isExecutable(launcher), "launcher " + launcher);
    assertTrue(Files.exists(jar), "packaged jar " + jar);
  }

  private static final class Result {
    int status;
    byte[] out;
    String err;
  }

  private Result run(byte[] stdin, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(launcher.toString());
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().put("BYOK_JAR", jar.toString());
    File errFile = dir.resolve("stderr.txt").toFile();
    pb.redirectError(errFile);
    Process p = pb.start();
    // Feed standard input on its own thread: the command may stop reading early (a failed decrypt).
    Thread feeder = new Thread(() -> {
      try (var in = p.getOutputStream()) {
        in.write(stdin);
      } catch (IOException e) {
        // broken pipe: the command exited before reading everything, which the test checks by status
      }
    });
    feeder.start();
    Result r = new Result();
    r.out = p.getInputStream().readAllBytes();
    feeder.join();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "byok finished within 2 minutes");
    r.status = p.exitValue();
    r.err = Files.readString(errFile.toPath(), StandardCharsets.UTF_8);
    return r;
  }

  @Test
  void version_throughLauncher_shadedJarCarriesAccpForLinuxX64() throws Exception {
    Result r = run(new byte[0], "--version");
    String out = new String(r.out, StandardCharsets.UTF_8);
    assertEquals(0, r.status, out + r.err);
    boolean linuxX64 = System.getProperty("os.name").startsWith("Linux")
        && System.getProperty("os.arch").matches("amd64|x86_64");
    assertTrue(out.contains("crypto provider: " + (linuxX64 ? "ACCP 2." : "JDK (")), out);
  }

  @Test
  void demo_throughLauncher_exitsZeroWithHealthyLastLine() throws Exception {
    Result r = run(new byte[0], "demo", "--revalidate-after", "1s", "--check-interval", "200ms");
    String out = new String(r.out, StandardCharsets.UTF_8);
    assertEquals(0, r.status, out + r.err);
    DemoLine.lastOf(out).assertHealthy(1000);
  }

  @Test
  void encryptDecrypt_throughProcessPipes_roundTripAndTamperIsExit3() throws Exception {
    Path ks = dir.resolve("keys.json");
    Result k = run(new byte[0], "keys", "create", "--keystore", ks.toString(), "--alias", "pipe");
    assertEquals(0, k.status, k.err);
    byte[] plain = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(plain);
    Result e = run(plain, "encrypt", "--keystore", ks.toString(), "--key", "alias/pipe", "--context", "tenant=t1");
    assertEquals(0, e.status, e.err);
    Result d = run(e.out, "decrypt", "--keystore", ks.toString(), "--key", "alias/pipe", "--context", "tenant=t1");
    assertEquals(0, d.status, d.err);
    assertArrayEquals(plain, d.out);

    byte[] tampered = e.out.clone();
    tampered[tampered.length / 2] ^= 0x40;
    Result bad = run(tampered, "decrypt", "--keystore", ks.toString(), "--key", "alias/pipe");
    assertEquals(ExitCodes.INVALID_CIPHERTEXT, bad.status, bad.err);
    assertEquals(0, bad.out.length, "no plaintext on standard output after a failed decrypt");
    assertEquals(1, bad.err.strip().split("\n").length, bad.err);
    assertFalse(bad.err.contains("\tat "), "no stack trace without --debug");
  }
}
