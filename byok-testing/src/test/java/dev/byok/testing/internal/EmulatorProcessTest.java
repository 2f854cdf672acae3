package dev.byok.testing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmulatorProcessTest {

  @TempDir Path tmp;

  private final FakeClock clock = new FakeClock();
  private final AtomicInteger nextPort = new AtomicInteger(40_000);
  private final EmulatorProcess.Timing timing =
      new EmulatorProcess.Timing(
          Duration.ofSeconds(60), clock, clock::advance, nextPort::incrementAndGet);

  @Test
  void start_binaryMissing_failsNamingEmulatorPathAndInstallCommand() {
    Path bogus = tmp.resolve("no/such/local-kms");

    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> EmulatorProcess.start(spec("local-kms", bogus, port -> false), tmp, timing));

    assertTrue(e.getMessage().contains("'local-kms'"), e.getMessage());
    assertTrue(e.getMessage().contains("binary not found at " + bogus), e.getMessage());
    assertTrue(e.getMessage().contains("./scripts/install-emulators"), e.getMessage());
  }

  @Test
  void start_binaryNotExecutable_failsSayingSo() throws IOException {
    Path plain = Files.writeString(tmp.resolve("moto_server"), "#!/bin/sh\n");

    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> EmulatorProcess.start(spec("moto", plain, port -> false), tmp, timing));

    assertTrue(e.getMessage().contains("is not executable"), e.getMessage());
  }

  @Test
  void start_processExitsAtOnce_failsWithExitCodeAndLogTailAfterRetries() throws IOException {
    Path script =
        script("crash", "echo \"boom on port $PORT\" >&2\n" + publishPid() + "exit 3\n");

    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> EmulatorProcess.start(spec("crashy", script, this::awaitExit), tmp, timing));

    assertTrue(e.getMessage().contains("'crashy'"), e.getMessage());
    assertTrue(e.getMessage().contains("exited with code 3"), e.getMessage());
    assertTrue(e.getMessage().contains("attempt 3 of 3"), e.getMessage());
    assertTrue(e.getMessage().contains("boom on port 40003"), e.getMessage());
    assertEquals(40_003, nextPort.get());
  }

  @Test
  void start_neverAnswers_failsAfterTimeoutAndStopsTheProcess() throws Exception {
    Path script = script("mute", "echo started\n" + publishPid() + "exec sleep 300\n");
    AtomicInteger probes = new AtomicInteger();

    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                EmulatorProcess.start(
                    spec(
                        "mute",
                        script,
                        port -> {
                          if (probes.incrementAndGet() == 1) {
                            awaitFile(pidFile(port));
                          }
                          return false;
                        }),
                    tmp,
                    timing));

    assertTrue(
        e.getMessage().contains("did not answer on 127.0.0.1:40001 within PT1M"), e.getMessage());
    assertTrue(e.getMessage().contains("./scripts/install-emulators"), e.getMessage());
    assertTrue(e.getMessage().contains("started"), e.getMessage());
    // 60 s of fake time in 100 ms steps, probing once per step plus once at the deadline
    assertEquals(601, probes.get());
    long pid = Long.parseLong(Files.readString(pidFile(40_001)).strip());
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
  }

  @Test
  void start_answersOnceReady_returnsRunningProcessThatCloseStops() throws Exception {
    Path script =
        script("ok", "echo \"listening on $PORT\"\n" + publishPid() + "exec sleep 300\n");

    EmulatorProcess process =
        EmulatorProcess.start(
            spec(
                "ok",
                script,
                port -> {
                  awaitFile(pidFile(port));
                  return true;
                }),
            tmp,
            timing);
    try {
      assertEquals(40_001, process.port());
      assertTrue(process.isAlive());
      assertEquals(tmp.resolve("ok-40001.log"), process.logFile());
      assertTrue(process.logTail().contains("listening on 40001"), process.logTail());
    } finally {
      process.close();
    }

    assertFalse(process.isAlive());
  }

  @Test
  void close_stopsEmulatorStartedUnderWatchdog() throws Exception {
    Path script = script("ok", publishPid() + "exec sleep 300\n");
    EmulatorProcess process = EmulatorProcess.start(spec("ok", script, this::awaitPid), tmp, timing);
    ProcessHandle emulator = emulatorHandle(40_001);

    process.close();

    assertFalse(emulator.isAlive());
    assertFalse(process.isAlive());
  }

  @Test
  void watchdog_pipeFromJvmClosed_stopsEmulator() throws Exception {
    Path script = script("ok", publishPid() + "exec sleep 300\n");
    EmulatorProcess process = EmulatorProcess.start(spec("ok", script, this::awaitPid), tmp, timing);
    try {
      ProcessHandle emulator = emulatorHandle(40_001);
      assertTrue(emulator.isAlive());

      process.closeStdin(); // what the death of the JVM does to the pipe

      emulator.onExit().get(10, TimeUnit.SECONDS);
      assertFalse(emulator.isAlive());
    } finally {
      process.close();
    }
  }

  @Test
  void tail_logWithColourCodes_stripsThem() throws IOException {
    Path log = Files.writeString(tmp.resolve("x.log"), "\u001B[31mERRO\u001B[0m bad thing\n");

    assertEquals("ERRO bad thing", EmulatorProcess.tail(log));
  }

  /** Shell lines that publish the script's PID as pid-$PORT, atomically (write, then rename). */
  private String publishPid() {
    String base = "\"" + tmp + "/pid-$PORT";
    return "echo $$ > " + base + ".tmp\"\nmv " + base + ".tmp\" " + base + "\"\n";
  }

  private boolean awaitPid(int port) throws InterruptedException {
    awaitFile(pidFile(port));
    return true;
  }

  private ProcessHandle emulatorHandle(int port) throws IOException {
    long pid = Long.parseLong(Files.readString(pidFile(port)).strip());
    return ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid));
  }

  private Path pidFile(int port) {
    return tmp.resolve("pid-" + port);
  }

  /** Health check for a script that exits: blocks until that attempt's process has exited. */
  private boolean awaitExit(int port) throws InterruptedException {
    awaitFile(pidFile(port));
    try {
      long pid = Long.parseLong(Files.readString(pidFile(port)).strip());
      ProcessHandle.of(pid)
          .ifPresent(
              h -> {
                try {
                  h.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                  throw new AssertionError("script " + pid + " did not exit", e);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return false;
  }

  /** Blocks (on file-system events, no sleeping) until {@code file} exists; at most 10 s. */
  private static void awaitFile(Path file) throws InterruptedException {
    try (WatchService watcher = file.getFileSystem().newWatchService()) {
      file.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!Files.exists(file)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("timed out waiting for " + file);
        }
        WatchKey key = watcher.poll(left, TimeUnit.NANOSECONDS);
        if (key != null) {
          key.pollEvents();
          key.reset();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static EmulatorProcess.Spec spec(
      String name, Path exe, EmulatorProcess.HealthCheck check) {
    return new EmulatorProcess.Spec(
        name, exe, port -> List.of(), port -> Map.of("PORT", Integer.toString(port)), check);
  }

  private Path script(String name, String body) throws IOException {
    Path file = tmp.resolve(name + ".sh");
    Files.writeString(file, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }

  /** A clock that moves only when the code under test "sleeps". */
  private static final class FakeClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
