package dev.byok.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;

/** The machine a run happened on, as far as Linux's {@code /proc} tells (else "unknown"). */
final class Machine {
  final int processors;
  final String cpuModel;
  final String memory;

  private Machine(int processors, String cpuModel, String memory) {
    this.processors = processors;
    this.cpuModel = cpuModel;
    this.memory = memory;
  }

  static Machine current() {
    String cpu = "unknown";
    String mem = "unknown";
    for (String line : lines(Paths.get("/proc/cpuinfo"))) {
      if (line.startsWith("model name")) {
        cpu = line.substring(line.indexOf(':') + 1).trim();
        break;
      }
    }
    for (String line : lines(Paths.get("/proc/meminfo"))) {
      if (line.startsWith("MemTotal:")) {
        String[] parts = line.trim().split("\\s+");
        long kib = Long.parseLong(parts[1]);
        mem = String.format(Locale.ROOT, "%.1f GiB", kib / (1024.0 * 1024.0));
        break;
      }
    }
    return new Machine(Runtime.getRuntime().availableProcessors(), cpu, mem);
  }

  private static List<String> lines(Path p) {
    try {
      return Files.readAllLines(p);
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }
}
