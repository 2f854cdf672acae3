package dev.byok.testing.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

/**
 * One running emulator process on a loopback port, with its output captured to a log file.
 *
 * <p>{@link #start} launches the process on a free port, waits (bounded) until its health check
 * answers and fails with a message naming the emulator, the install command and the tail of its
 * log when it cannot. {@link #close} stops the process and all its descendants.
 *
 * <p>Thread-safe: {@link #close} may be called from any thread, more than once.
 */
public final class EmulatorProcess implements AutoCloseable {

  /** The command that installs the emulators, shown in every start failure. */
  public static final String INSTALL_COMMAND = "./scripts/install-emulators";

  private static final int START_ATTEMPTS = 3;
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);
  private static final int LOG_TAIL_LINES = 40;
  /**
   * Runs the emulator ({@code $0 "$@"}) under a small shell that kills it when its stdin, a pipe
   * from this JVM, reaches end of file: that happens when the JVM dies in any way, including
   * SIGKILL, where neither JUnit nor shutdown hooks get to stop the emulators. The shell exits with
   * the emulator's exit code.
   */
  private static final String WATCHDOG =
      "exec 3<&0\n"
          + "\"$0\" \"$@\" </dev/null 3<&- &\n"
          + "child=$!\n"
          + "trap 'kill \"$child\" 2>/dev/null' HUP INT TERM\n"
          // explicit <&3: a background job's stdin would otherwise be /dev/null
          + "( while read -r _; do :; done; kill \"$child\" 2>/dev/null ) <&3 &\n"
          + "watcher=$!\n"
          + "wait \"$child\"\n"
          + "status=$?\n"
          + "kill \"$watcher\" 2>/dev/null\n"
          + "exit \"$status\"\n";

  private static final Pattern ANSI_ESCAPE = Pattern.compile("\u001B\\[[;\\d]*[A-Za-z]");

  /** Answers whether the emulator on {@code port} serves requests; must return within seconds. */
  @FunctionalInterface
  public interface HealthCheck {
    boolean answers(int port) throws InterruptedException;
  }

  /** Waits between health checks; injected so the start logic is testable without real sleeps. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    /** Sleeps on the current thread. */
    static Sleeper system() {
      return duration -> Thread.sleep(duration.toMillis());
    }
  }

  /** Picks a port for the next start attempt. */
  @FunctionalInterface
  public interface PortPicker {
    int pick();

    /** A port that was free on 127.0.0.1 a moment ago. */
    static PortPicker freeLoopbackPort() {
      return () -> {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
          return socket.getLocalPort();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
        }
      };
    }
  }

  /**
   * What to start.
   *
   * @param name the emulator's name in messages and log file names, e.g. {@code moto}
   * @param executable the binary
   * @param arguments the arguments after the binary, given the port
   * @param environment variables added to the inherited environment, given the port
   * @param healthCheck answers once the emulator serves requests
   */
  public record Spec(
      String name,
      Path executable,
      IntFunction<List<String>> arguments,
      IntFunction<Map<String, String>> environment,
      HealthCheck healthCheck) {

    public Spec {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(executable, "executable");
      Objects.requireNonNull(arguments, "arguments");
      Objects.requireNonNull(environment, "environment");
      Objects.requireNonNull(healthCheck, "healthCheck");
    }
  }

  /** How to wait for a start. */
  public record Timing(Duration startTimeout, Clock clock, Sleeper sleeper, PortPicker ports) {

    public Timing {
      Objects.requireNonNull(startTimeout, "startTimeout");
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(sleeper, "sleeper");
      Objects.requireNonNull(ports, "ports");
      if (startTimeout.isNegative() || startTimeout.isZero()) {
        throw new IllegalArgumentException("startTimeout must be positive, was " + startTimeout);
      }
    }

    /** Real time, real sleeps, free loopback ports. */
    public static Timing system(Duration startTimeout) {
      return new Timing(
          startTimeout, Clock.systemUTC(), Sleeper.system(), PortPicker.freeLoopbackPort());
    }
  }

  private final String name;
  private final Process process;
  private final int port;
  private final Path logFile;

  private EmulatorProcess(String name, Process process, int port, Path logFile) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.logFile = logFile;
  }

  /**
   * Starts {@code spec} and waits until it answers. Retries on a fresh port when the process exits
   * during start-up (another process may have taken the port).
   *
   * @throws IllegalStateException naming the emulator, the install command and the log tail when
   *     the binary is missing or not executable, the process exits, or it does not answer within
   *     the start timeout
   */
  public static EmulatorProcess start(Spec spec, Path logDir, Timing timing)
      throws InterruptedException {
    Path exe = spec.executable();
    if (!Files.isRegularFile(exe)) {
      throw failure(spec, "binary not found at " + exe, null);
    }
    if (!Files.isExecutable(exe)) {
      throw failure(spec, "binary at " + exe + " is not executable", null);
    }
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create emulator log folder " + logDir, e);
    }
    IllegalStateException last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      int port = timing.ports().pick();
      Path log = logDir.resolve(spec.name() + "-" + port + ".log");
      List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", WATCHDOG));
      command.add(exe.toString());
      command.addAll(spec.arguments().apply(port));
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.PIPE);
      builder.environment().putAll(spec.environment().apply(port));
      Process process;
      try {
        process = builder.start();
      } catch (IOException e) {
        throw failure(spec, "cannot run " + command.subList(3, command.size()) + ": " + e.getMessage(), log);
      }
      EmulatorProcess started = new EmulatorProcess(spec.name(), process, port, log);
      Instant deadline = timing.clock().instant().plus(timing.startTimeout());
      boolean ok = false;
      try {
        while (true) {
          if (!process.isAlive()) {
            last =
                failure(
                    spec,
                    "exited with code "
                        + process.exitValue()
                        + " while starting on port "
                        + port
                        + " (attempt "
                        + attempt
                        + " of "
                        + START_ATTEMPTS
                        + ")",
                    log);
            break;
          }
          if (spec.healthCheck().answers(port)) {
            ok = true;
            return started;
          }
          if (!timing.clock().instant().isBefore(deadline)) {
            throw failure(
                spec,
                "did not answer on 127.0.0.1:" + port + " within " + timing.startTimeout(),
                log);
          }
          timing.sleeper().sleep(POLL_INTERVAL);
        }
      } finally {
        if (!ok) {
          started.close();
        }
      }
    }
    throw last;
  }

  /** The emulator's name. */
  public String name() {
    return name;
  }

  /** The loopback port it listens on. */
  public int port() {
    return port;
  }

  /** The file its stdout and stderr go to. */
  public Path logFile() {
    return logFile;
  }

  /** Whether the process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Closes the pipe to the watchdog shell, as the death of this JVM would. For tests. */
  void closeStdin() throws IOException {
    process.getOutputStream().close();
  }

  /** The last lines of its log, without terminal colour codes. */
  public String logTail() {
    return tail(logFile);
  }

  /** Stops the process and its descendants: politely first, forcibly after a grace period. */
  @Override
  public void close() {
    List<ProcessHandle> tree = new ArrayList<>();
    process.descendants().forEach(tree::add);
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + STOP_GRACE.toNanos();
    for (ProcessHandle handle : tree) {
      long remaining = deadline - System.nanoTime();
      try {
        handle.onExit().get(Math.max(remaining, 0), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Exception e) {
        // still running after the grace period: forced below
      }
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  @Override
  public String toString() {
    return "EmulatorProcess{" + name + " on 127.0.0.1:" + port + ", log " + logFile + "}";
  }

  private static IllegalStateException failure(Spec spec, String problem, Path log) {
    StringBuilder message =
        new StringBuilder()
            .append("Emulator '")
            .append(spec.name())
            .append("' unavailable: ")
            .append(problem)
            .append(". Install or repair the emulators with ")
            .append(INSTALL_COMMAND)
            .append(" (from the repository root); the harness finds them through system property ")
            .append(ToolsLocator.TOOLS_DIR_PROPERTY)
            .append(", env ")
            .append(ToolsLocator.TOOLS_DIR_ENV)
            .append(" or a .tools folder above the working directory.");
    if (log != null) {
      message.append("\nLog ").append(log).append(", last lines:\n").append(tail(log));
    }
    return new IllegalStateException(message.toString());
  }

  static String tail(Path log) {
    if (log == null || !Files.isRegularFile(log)) {
      return "(no log)";
    }
    try {
      String all = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
      List<String> lines = all.lines().toList();
      List<String> last = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
      String text = String.join("\n", last);
      return text.isEmpty() ? "(log is empty)" : ANSI_ESCAPE.matcher(text).replaceAll("");
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read log: " + e.getMessage() + ")";
    }
  }
}
