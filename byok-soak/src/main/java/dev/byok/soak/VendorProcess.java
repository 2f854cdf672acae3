package dev.byok.soak;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The harness's handle on one incarnation of the vendor process ({@link VendorMain}, a child JVM on
 * this JVM's class path): starts it, feeds its lines to the {@link Oracle}, sends it commands,
 * kills it with SIGKILL or stops it cleanly.
 */
final class VendorProcess {
  /** One {@code stats} line. */
  record Stats(long atMs, long heapMb, long threads, long fds, long pending, long spilled, long replayed, long delivered,
      long possibleDuplicates, boolean afterGc, long throttled, long logDenied) {}

  final int incarnation;
  private final Process process;
  private final Writer stdin;
  private final CountDownLatch ready = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);
  private final List<Stats> stats = new ArrayList<>();
  private volatile String closedLine;
  private final Thread reader;

  private VendorProcess(int incarnation, Process process, Oracle oracle) {
    this.incarnation = incarnation;
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.reader = new Thread(() -> read(oracle), "soak-vendor-" + incarnation + "-reader");
    reader.setDaemon(true);
    reader.start();
  }

  static VendorProcess start(int incarnation, Properties config, Path workDir, Oracle oracle) throws IOException {
    Path props = workDir.resolve("vendor-" + incarnation + ".properties");
    try (Writer w = Files.newBufferedWriter(props)) {
      config.store(w, "soak vendor process " + incarnation);
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = List.of(java, "-Xmx768m", "-XX:+UseG1GC", "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.showDateTime=true",
        VendorMain.class.getName(), props.toString());
    Process p = new ProcessBuilder(cmd).redirectError(workDir.resolve("vendor-" + incarnation + ".log").toFile()).start();
    return new VendorProcess(incarnation, p, oracle);
  }

  private void read(Oracle oracle) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        String[] f = line.split(" ");
        try {
          switch (f[0]) {
            case "op" -> oracle.op(OpRecord.parse(f));
            case "ev" -> oracle.tap(f[1], new Oracle.Tap(f[2], incarnation, f[3]));
            case "kms" -> oracle.kms(new Oracle.KmsCall(Long.parseLong(f[1]), Long.parseLong(f[2]), f[3]));
            case "stats" -> {
              synchronized (stats) {
                stats.add(new Stats(System.currentTimeMillis(), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]), Long.parseLong(f[8]),
                    "1".equals(f[9]), Long.parseLong(f[10]), Long.parseLong(f[11])));
              }
            }
            case "ready" -> ready.countDown();
            case "closed" -> {
              closedLine = line;
              closed.countDown();
            }
            default -> System.err.println("soak: vendor " + incarnation + " said: " + line);
          }
        } catch (RuntimeException e) {
          System.err.println("soak: cannot read vendor line '" + line + "': " + e);
        }
      }
    } catch (IOException e) {
      // the process is gone
    }
  }

  boolean awaitReady(long seconds) throws InterruptedException {
    return ready.await(seconds, TimeUnit.SECONDS);
  }

  synchronized void send(String command) {
    try {
      stdin.write(command + "\n");
      stdin.flush();
    } catch (IOException e) {
      System.err.println("soak: vendor " + incarnation + " did not take '" + command + "': " + e);
    }
  }

  List<Stats> stats() {
    synchronized (stats) {
      return List.copyOf(stats);
    }
  }

  Stats lastStats() {
    synchronized (stats) {
      return stats.isEmpty() ? null : stats.get(stats.size() - 1);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook, no flush, no close. Waits until the process is gone and its lines are read. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
    reader.join(5000);
  }

  /** Stops the workers, closes the library and the sink (delivering within {@code seconds}); returns the {@code closed} line. */
  String stop(long seconds) throws InterruptedException {
    send("stop " + seconds);
    if (!closed.await(seconds + 60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return null;
    }
    process.waitFor(30, TimeUnit.SECONDS);
    reader.join(5000);
    return closedLine;
  }
}
