package dev.byok.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleFunction;
import java.util.function.IntToLongFunction;

/**
 * Turns the JMH JSON results of {@code scripts/bench} into {@code docs/benchmarks.md} (ratio
 * tables, targets of issues 7 and 14 met or missed, machine, JDK, exact commands) and the throughput chart.
 * A hand-written section between {@value #NOTES_BEGIN} and {@value #NOTES_END} in an existing
 * report is kept across runs (the analysis of missed targets lives there).
 *
 * <pre>{@code
 * java -cp byok-benchmarks/target/benchmarks.jar dev.byok.benchmarks.report.BenchReport \
 *     --results docs/benchmark-results --markdown docs/benchmarks.md \
 *     --chart docs/benchmarks-throughput.png --command "java -jar ..." [--command ...]
 * }</pre>
 */
public final class BenchReport {
  static final String NOTES_BEGIN = "<!-- notes:begin -->";
  static final String NOTES_END = "<!-- notes:end -->";
  static final List<String> IMPLS = List.of("byok", "esdk", "tink", "jca");
  static final List<Integer> SIZES = List.of(1024, 65536, 1048576, 16777216);
  static final List<String> OPS = List.of("encrypt", "decrypt");

  private final List<JmhResult> results;
  private final List<String> commands;
  private final Machine machine;
  private final IntToLongFunction byokMessageLength;
  private final String chartLink;
  private final String resultsLink;

  BenchReport(List<JmhResult> results, List<String> commands, Machine machine,
      IntToLongFunction byokMessageLength, String chartLink, String resultsLink) {
    this.results = List.copyOf(results);
    this.commands = List.copyOf(commands);
    this.machine = machine;
    this.byokMessageLength = byokMessageLength;
    this.chartLink = chartLink;
    this.resultsLink = resultsLink;
  }

  public static void main(String[] args) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Path resultsDir = null;
    Path markdown = null;
    Path chart = null;
    List<String> commands = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + a + " needs a value");
      }
      switch (a) {
        case "--results": resultsDir = Paths.get(args[++i]); break;
        case "--markdown": markdown = Paths.get(args[++i]); break;
        case "--chart": chart = Paths.get(args[++i]); break;
        case "--command": commands.add(args[++i]); break;
        default: throw new IllegalArgumentException("unknown option " + a
            + " (expected --results DIR --markdown FILE --chart FILE [--command TEXT]...)");
      }
    }
    Objects.requireNonNull(resultsDir, "--results is required");
    Objects.requireNonNull(markdown, "--markdown is required");
    Objects.requireNonNull(chart, "--chart is required");
    List<JmhResult> results = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(resultsDir, "*.json")) {
      for (Path f : files) {
        results.addAll(JmhResult.read(f));
      }
    }
    Path mdDir = markdown.toAbsolutePath().getParent();
    BenchReport report = new BenchReport(results, commands, Machine.current(), ByokMessageLength::of,
        relative(mdDir, chart), relative(mdDir, resultsDir));
    String previous = Files.exists(markdown) ? Files.readString(markdown, StandardCharsets.UTF_8) : "";
    Files.writeString(markdown, report.markdown(previous), StandardCharsets.UTF_8);
    ThroughputChart.write(report.throughputSeries(), chart);
    System.out.println("wrote " + markdown + " and " + chart + " from " + results.size() + " results");
  }

  private static String relative(Path from, Path to) {
    return from.relativize(to.toAbsolutePath()).toString().replace('\\', '/');
  }

  /** MB/s (10^6 bytes of plaintext per second) per operation, competitor and size, one thread. */
  Map<String, Map<String, double[]>> throughputSeries() {
    Map<String, Map<String, double[]>> byOp = new LinkedHashMap<>();
    for (String op : OPS) {
      Map<String, double[]> byImpl = new LinkedHashMap<>();
      for (String impl : IMPLS) {
        double[] mbps = new double[SIZES.size()];
        for (int i = 0; i < SIZES.size(); i++) {
          int size = SIZES.get(i);
          mbps[i] = envelope(op, impl, size, 1).map(r -> r.score() * size / 1e6).orElse(Double.NaN);
        }
        byImpl.put(impl, mbps);
      }
      byOp.put(op, byImpl);
    }
    return byOp;
  }

  String markdown(String previous) {
    StringBuilder md = new StringBuilder();
    md.append("# Benchmarks\n\n");
    md.append("byok side by side with the AWS Encryption SDK for Java 3.0.2 (`esdk`), Google Tink 1.18.0\n"
        + "`KmsEnvelopeAead` (`tink`), raw AES-256-GCM (`jca`) and the format's floor (`floor`), with the JDK's\n"
        + "providers and with ACCP, in the same JMH runs, all over one\n"
        + "in-process fake AWS KMS (`FakeKms`). Generated by `scripts/bench` on "
        + LocalDate.now(ZoneOffset.UTC) + " from the JMH JSON files in `" + resultsLink + "/`.\n"
        + "Performance is claimed only from these runs, as ratios measured in one run on one machine.\n\n");

    md.append("## Machine and JDK\n\n| | |\n| --- | --- |\n");
    md.append("| CPU | ").append(machine.cpuModel).append(" |\n");
    md.append("| processors (`nproc`) | ").append(machine.processors).append(" |\n");
    md.append("| memory | ").append(machine.memory).append(" |\n");
    Optional<JmhResult> any = results.stream().findFirst();
    md.append("| JDK | ").append(any.map(r -> r.jdkVersion() + ", " + r.vmName() + " " + r.vmVersion()).orElse("unknown")).append(" |\n");
    md.append("| JMH | ").append(any.map(JmhResult::jmhVersion).orElse("unknown")).append(" |\n\n");

    md.append("## Commands\n\n```\n");
    for (String c : commands) {
      md.append(c).append('\n');
    }
    md.append("```\n\nShort profile: one fork per benchmark, warm-up and measurement as in the commands. "
        + "`±` is JMH's 99.9% half-interval where it could compute one. MB/s counts 10^6 bytes of plaintext.\n\n");

    providerTargets(md);
    providerTables(md);
    targets(md);
    ratioTable(md, 1);
    throughputTable(md);
    md.append("![throughput per size](").append(chartLink).append(")\n\n");
    allocationTable(md);
    ratioTable(md, 2);
    cacheTables(md);
    auditTable(md);
    randomnessTable(md);
    competitors(md);
    md.append("## Notes\n\n").append(NOTES_BEGIN).append('\n').append(keptNotes(previous)).append(NOTES_END).append('\n');
    return md.toString();
  }

  private static String keptNotes(String previous) {
    int b = previous.indexOf(NOTES_BEGIN);
    int e = previous.indexOf(NOTES_END);
    if (b >= 0 && e > b) {
      return previous.substring(b + NOTES_BEGIN.length(), e).replaceFirst("^\n", "");
    }
    return "(Analysis of the run: where a target is missed, by how much and what the profile shows. "
        + "This section is kept when the report is regenerated.)\n";
  }

  static final List<String> PROVIDERS = List.of("jdk", "accp");

  /** The targets of issue 14: ratios against the floor, the ESDK under each provider, raw AES-GCM, threads, allocation. */
  private void providerTargets(StringBuilder md) {
    md.append("## Targets (issue 14: providers and the floor)\n\n"
        + "Ratios of one run, one thread and warm caches unless noted; `provider` is `jdk` (SunJCE/SunEC) or `accp` "
        + "(Amazon Corretto Crypto Provider, AWS-LC).\n\n| target | measured | status |\n| --- | --- | --- |\n");
    for (String p : PROVIDERS) {
      for (String op : OPS) {
        Optional<JmhResult> floor = find("FloorBenchmark", op, 1, Map.of("provider", p, "size", "1024"));
        Optional<JmhResult> byok = envelope(op, "byok", 1024, 1, p, "0478");
        targetAtMost(md, "1 KiB " + op + ", " + p + ": byok time ≤ 1.3× the floor's (floor ops/s ÷ byok ops/s)",
            quotient(floor, byok), 1.3, "×");
      }
    }
    for (String op : OPS) {
      targetAtLeast(md, "1 KiB " + op + ": byok accp ≥ 5× esdk jdk",
          quotient(envelope(op, "byok", 1024, 1, "accp", "0478"), envelope(op, "esdk", 1024, 1, "jdk", "0478")), 5, "×");
      targetAtLeast(md, "1 KiB " + op + ": byok accp ≥ 3× esdk accp",
          quotient(envelope(op, "byok", 1024, 1, "accp", "0478"), envelope(op, "esdk", 1024, 1, "accp", "0478")), 3, "×");
    }
    for (String op : OPS) {
      int min = op.equals("encrypt") ? 10 : 8;
      targetAtLeast(md, "suite 0x0578, 1 KiB " + op + ": byok accp ≥ " + min + "× esdk jdk",
          quotient(envelope(op, "byok", 1024, 1, "accp", "0578"), envelope(op, "esdk", 1024, 1, "jdk", "0578")), min, "×");
    }
    for (int size : List.of(1048576, 16777216)) {
      for (String p : PROVIDERS) {
        for (String op : OPS) {
          targetAtLeast(md, sizeName(size) + " " + op + ", " + p + ": byok ≥ 0.95× raw AES-GCM (jca, 64 KiB pieces)",
              quotient(envelope(op, "byok", size, 1, p, "0478"), envelope(op, "jca", size, 1, p, "0478")), 0.95, "×");
        }
      }
    }
    for (String p : PROVIDERS) {
      for (String op : OPS) {
        targetAtLeast(md, "1 KiB " + op + ", " + p + ": byok on 2 threads ≥ 1.85× one thread",
            quotient(envelope(op, "byok", 1024, 2, p, "0478"), envelope(op, "byok", 1024, 1, p, "0478")), 1.85, "×");
      }
    }
    for (String p : PROVIDERS) {
      Optional<Double> byok = envelope("encrypt", "byok", 1024, 1, p, "0478").map(JmhResult::allocBytesPerOp);
      Optional<Double> jca = envelope("encrypt", "jca", 1024, 1, p, "0478").map(JmhResult::allocBytesPerOp);
      Optional<Double> r = byok.isPresent() && jca.isPresent() && jca.get() > 0
          ? Optional.of(byok.get() / jca.get()) : Optional.empty();
      targetAtMost(md, "1 KiB encrypt, " + p + ": byok allocation ≤ 2× jca's ("
          + byok.map(BenchReport::fmtInt).orElse("—") + " B vs " + jca.map(BenchReport::fmtInt).orElse("—") + " B)",
          r, 2, "×");
    }
    md.append('\n');
  }

  /** Ops/s per competitor and provider; the floor; suite 0x0578. */
  private void providerTables(StringBuilder md) {
    md.append("## JDK and ACCP side by side, one thread (ops/s)\n\n"
        + "| operation | size | byok jdk | byok accp | esdk jdk | esdk accp | jca jdk | jca accp | floor jdk | floor accp "
        + "| byok accp ÷ jdk | esdk accp ÷ jdk |\n"
        + "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    boolean any = false;
    for (String op : OPS) {
      for (int size : SIZES) {
        List<Optional<JmhResult>> row = new ArrayList<>();
        for (String impl : List.of("byok", "esdk", "jca")) {
          for (String p : PROVIDERS) {
            row.add(envelope(op, impl, size, 1, p, "0478"));
          }
        }
        for (String p : PROVIDERS) {
          row.add(find("FloorBenchmark", op, 1, Map.of("provider", p, "size", Integer.toString(size))));
        }
        if (row.stream().allMatch(Optional::isEmpty)) {
          continue;
        }
        any = true;
        md.append("| ").append(op).append(" | ").append(sizeName(size));
        for (Optional<JmhResult> r : row) {
          md.append(" | ").append(ops(r));
        }
        md.append(" | ").append(div(row.get(1), row.get(0))).append(" | ").append(div(row.get(3), row.get(2))).append(" |\n");
      }
    }
    if (!any) {
      md.append("| no results in this run | | | | | | | | | | | |\n");
    }
    md.append("\n### Suite 0x0578 (ECDSA P-384 signature), 1 KiB, one thread (ops/s)\n\n"
        + "| operation | byok jdk | byok accp | esdk jdk | esdk accp | byok accp ÷ esdk jdk | byok accp ÷ esdk accp |\n"
        + "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (String op : OPS) {
      Optional<JmhResult> bj = envelope(op, "byok", 1024, 1, "jdk", "0578");
      Optional<JmhResult> ba = envelope(op, "byok", 1024, 1, "accp", "0578");
      Optional<JmhResult> ej = envelope(op, "esdk", 1024, 1, "jdk", "0578");
      Optional<JmhResult> ea = envelope(op, "esdk", 1024, 1, "accp", "0578");
      md.append("| ").append(op).append(" | ").append(ops(bj)).append(" | ").append(ops(ba)).append(" | ")
          .append(ops(ej)).append(" | ").append(ops(ea)).append(" | ").append(div(ba, ej)).append(" | ")
          .append(div(ba, ea)).append(" |\n");
    }
    md.append("\n### Time per 1 KiB message (µs) and byok's overhead over the floor\n\n"
        + "| operation | provider | floor µs | byok µs | byok − floor µs | byok ÷ floor |\n"
        + "| --- | --- | ---: | ---: | ---: | ---: |\n");
    for (String op : OPS) {
      for (String p : PROVIDERS) {
        Optional<JmhResult> f = find("FloorBenchmark", op, 1, Map.of("provider", p, "size", "1024"));
        Optional<JmhResult> b = envelope(op, "byok", 1024, 1, p, "0478");
        md.append("| ").append(op).append(" | ").append(p).append(" | ")
            .append(f.map(r -> fmt(1e6 / r.score())).orElse("—")).append(" | ")
            .append(b.map(r -> fmt(1e6 / r.score())).orElse("—")).append(" | ")
            .append(f.isPresent() && b.isPresent() ? fmt(1e6 / b.get().score() - 1e6 / f.get().score()) : "—").append(" | ")
            .append(div(f, b)).append(" |\n");
      }
    }
    md.append('\n');
  }

  private static Optional<Double> quotient(Optional<JmhResult> a, Optional<JmhResult> b) {
    return a.isPresent() && b.isPresent() ? Optional.of(a.get().score() / b.get().score()) : Optional.empty();
  }

  private void targets(StringBuilder md) {
    md.append("## Earlier targets (issue 7; JDK providers, suite 0x0478)\n\n| target | measured | status |\n| --- | --- | --- |\n");
    for (String op : OPS) {
      int min = op.equals("encrypt") ? 20 : 10;
      targetAtLeast(md, "1 KiB " + op + ", warm cache: byok ≥ " + min + "× esdk ops/s",
          ratio(op, "byok", "esdk", 1024, 1), min, "×");
    }
    for (String op : OPS) {
      Optional<Double> timeRatio = ratio(op, "jca", "byok", 1024, 1);
      targetAtMost(md, "1 KiB " + op + ": byok time per operation ≤ 3× jca", timeRatio, 3, "×");
    }
    for (int size : List.of(1048576, 16777216)) {
      for (String op : OPS) {
        targetAtLeast(md, sizeName(size) + " " + op + ": byok ≥ 90% of jca throughput",
            ratio(op, "byok", "jca", size, 1).map(r -> r * 100), 90, "%");
        targetAtLeast(md, sizeName(size) + " " + op + ": byok ≥ 2× esdk", ratio(op, "byok", "esdk", size, 1), 2, "×");
      }
    }
    Optional<JmhResult> audit = results.stream().filter(r -> r.benchmarkClass().equals("AuditSinkBenchmark")
        && r.method().equals("emit") && r.threads() == 1).findFirst();
    targetAtMost(md, "audit enqueue (`AuditSink.emit`) ≤ 1 µs per operation",
        audit.map(r -> microsPerOp(r)), 1, " µs");
    for (int size : SIZES) {
      Optional<JmhResult> r = envelope("encrypt", "byok", size, 1);
      long budget = byokMessageLength.applyAsLong(size) + 1024;
      Optional<Double> alloc = r.map(JmhResult::allocBytesPerOp);
      String what = sizeName(size) + " warm encrypt: byok allocates ≤ output + 1 KiB"
          + (budget > 1024 ? " (" + fmtInt(budget) + " B)" : "");
      if (budget <= 1024) {
        md.append("| ").append(what).append(" | ").append(alloc.map(a -> fmtInt(a) + " B").orElse("—"))
            .append(" | no data (byok message length unknown) |\n");
      } else {
        targetAtMost(md, what, alloc, budget, " B");
      }
    }
    md.append('\n');
  }

  private static double microsPerOp(JmhResult r) {
    switch (r.unit()) {
      case "ns/op": return r.score() / 1000;
      case "us/op": return r.score();
      case "ms/op": return r.score() * 1000;
      case "ops/s": return 1e6 / r.score();
      case "ops/us": return 1 / r.score();
      case "ops/ms": return 1000 / r.score();
      default: return Double.NaN;
    }
  }

  private static void targetAtLeast(StringBuilder md, String what, Optional<Double> measured, double min, String unit) {
    target(md, what, measured, unit, m -> m >= min ? "met" : String.format(Locale.ROOT,
        "**missed** by %.0f%% (%s%s of %s%s)", 100 * (min - m) / min, fmt(m), unit, fmtLimit(min), unit));
  }

  private static void targetAtMost(StringBuilder md, String what, Optional<Double> measured, double max, String unit) {
    target(md, what, measured, unit, m -> m <= max ? "met" : String.format(Locale.ROOT,
        "**missed** by %.0f%% (%s%s, limit %s%s)", 100 * (m - max) / max, fmt(m), unit, fmtLimit(max), unit));
  }

  /** One target row: what, the measured value, and {@code verdict} of it ("no data" when absent or NaN). */
  private static void target(StringBuilder md, String what, Optional<Double> measured, String unit,
      DoubleFunction<String> verdict) {
    md.append("| ").append(what).append(" | ");
    if (measured.isEmpty() || measured.get().isNaN()) {
      md.append("— | no data |\n");
      return;
    }
    double m = measured.get();
    md.append(fmt(m)).append(unit).append(" | ").append(verdict.apply(m)).append(" |\n");
  }

  private void ratioTable(StringBuilder md, int threads) {
    boolean any = results.stream().anyMatch(r -> r.benchmarkClass().equals("EnvelopeBenchmark") && r.threads() == threads);
    md.append("## Warm cache, ").append(threads == 1 ? "one thread" : threads + " threads")
        .append(": ops/s and ratios\n\n");
    if (!any) {
      md.append("No results in this run.\n\n");
      return;
    }
    md.append("| operation | size | byok ops/s | esdk ops/s | tink ops/s | jca ops/s | byok/esdk | byok/tink | byok/jca |\n");
    md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (String op : OPS) {
      for (int size : SIZES) {
        if (IMPLS.stream().noneMatch(i -> envelope(op, i, size, threads).isPresent())) {
          continue;
        }
        md.append("| ").append(op).append(" | ").append(sizeName(size));
        for (String impl : IMPLS) {
          md.append(" | ").append(envelope(op, impl, size, threads).map(BenchReport::scoreWithError).orElse("—"));
        }
        for (String other : List.of("esdk", "tink", "jca")) {
          md.append(" | ").append(ratio(op, "byok", other, size, threads).map(r -> fmt(r) + "×").orElse("—"));
        }
        md.append(" |\n");
      }
    }
    if (threads > 1) {
      md.append("\nScaling of byok from one to ").append(threads).append(" threads (ops/s ratio): ");
      List<String> parts = new ArrayList<>();
      for (String op : OPS) {
        for (int size : SIZES) {
          Optional<JmhResult> one = envelope(op, "byok", size, 1);
          Optional<JmhResult> more = envelope(op, "byok", size, threads);
          if (one.isPresent() && more.isPresent()) {
            parts.add(op + " " + sizeName(size) + " " + fmt(more.get().score() / one.get().score()) + "×");
          }
        }
      }
      md.append(parts.isEmpty() ? "no data" : String.join(", ", parts)).append(".\n");
    }
    md.append('\n');
  }

  private void throughputTable(StringBuilder md) {
    md.append("## Throughput, one thread (MB/s)\n\n| operation | size | byok | esdk | tink | jca |\n");
    md.append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
    for (String op : OPS) {
      for (int size : SIZES) {
        md.append("| ").append(op).append(" | ").append(sizeName(size));
        for (String impl : IMPLS) {
          md.append(" | ").append(envelope(op, impl, size, 1).map(r -> fmt(r.score() * size / 1e6)).orElse("—"));
        }
        md.append(" |\n");
      }
    }
    md.append('\n');
  }

  private void allocationTable(StringBuilder md) {
    md.append("## Allocation per operation (`-prof gc`, bytes)\n\n"
        + "| operation | size | byok | esdk | tink | jca | byok budget on encrypt (output + 1 KiB) |\n"
        + "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (String op : OPS) {
      for (int size : SIZES) {
        md.append("| ").append(op).append(" | ").append(sizeName(size));
        for (String impl : IMPLS) {
          md.append(" | ").append(envelope(op, impl, size, 1).map(JmhResult::allocBytesPerOp)
              .map(BenchReport::fmtInt).orElse("—"));
        }
        long len = byokMessageLength.applyAsLong(size);
        md.append(" | ").append(op.equals("encrypt") && len > 0 ? fmtInt(len + 1024) : "").append(" |\n");
      }
    }
    md.append('\n');
  }

  private void cacheTables(StringBuilder md) {
    md.append("## What the data-key cache saves (1 KiB, one thread)\n\n"
        + "`warm`: data key cached; `off`: every message calls the fake KMS (GenerateDataKey or Encrypt on "
        + "encrypt, Decrypt on decrypt); the KMS latency is added to every fake KMS call. Tink has no cache: "
        + "its rows are the reference.\n\n"
        + "| impl | KMS latency | encrypt warm | encrypt off | warm/off | decrypt warm | decrypt off | warm/off |\n"
        + "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    boolean any = false;
    for (String impl : List.of("byok", "esdk", "tink")) {
      for (String latency : List.of("0", "5")) {
        Optional<JmhResult> ew = cache("encrypt", impl, "warm", latency);
        Optional<JmhResult> eo = cache("encrypt", impl, "off", latency);
        Optional<JmhResult> dw = cache("decrypt", impl, "warm", latency);
        Optional<JmhResult> dOff = cache("decrypt", impl, "off", latency);
        if (ew.isEmpty() && eo.isEmpty() && dw.isEmpty() && dOff.isEmpty()) {
          continue;
        }
        any = true;
        md.append("| ").append(impl).append(" | ").append(latency).append(" ms | ")
            .append(ops(ew)).append(" | ").append(ops(eo)).append(" | ").append(div(ew, eo)).append(" | ")
            .append(ops(dw)).append(" | ").append(ops(dOff)).append(" | ").append(div(dw, dOff)).append(" |\n");
      }
    }
    if (!any) {
      md.append("| no results in this run | | | | | | | |\n");
    }
    md.append("\n### Miss-heavy: a fresh encryption context per message, cache on (1 KiB encrypt)\n\n"
        + "| impl | KMS latency | ops/s | warm-cache ops/s ÷ this |\n| --- | ---: | ---: | ---: |\n");
    any = false;
    for (String impl : List.of("byok", "esdk", "tink")) {
      for (String latency : List.of("0", "5")) {
        Optional<JmhResult> miss = find("MissHeavyBenchmark", "encryptFreshContext", 1,
            Map.of("impl", impl, "kmsLatencyMs", latency));
        if (miss.isEmpty()) {
          continue;
        }
        any = true;
        md.append("| ").append(impl).append(" | ").append(latency).append(" ms | ").append(ops(miss))
            .append(" | ").append(div(cache("encrypt", impl, "warm", latency), miss)).append(" |\n");
      }
    }
    if (!any) {
      md.append("| no results in this run | | | |\n");
    }
    md.append('\n');
  }

  private void auditTable(StringBuilder md) {
    md.append("## Audit sink enqueue cost\n\n| benchmark | parameters | threads | score | allocation |\n"
        + "| --- | --- | ---: | ---: | ---: |\n");
    boolean any = false;
    for (JmhResult r : results) {
      if (r.benchmarkClass().equals("AuditSinkBenchmark")) {
        any = true;
        md.append("| ").append(r.method()).append(" | ").append(r.params()).append(" | ").append(r.threads())
            .append(" | ").append(scoreWithError(r)).append(' ').append(r.unit()).append(" | ")
            .append(r.allocBytesPerOp() == null ? "—" : fmtInt(r.allocBytesPerOp()) + " B/op").append(" |\n");
      }
    }
    if (!any) {
      md.append("| no results in this run | | | | |\n");
    }
    md.append('\n');
  }

  /** RandomnessBenchmark: the message ID's random bytes, JDK DRBG against ACCP, per message ID. */
  private void randomnessTable(StringBuilder md) {
    md.append("## Message-ID randomness (ns per 32-byte message ID)\n\n"
        + "`pooledPerId`: one 256-byte `nextBytes` per 8 IDs, as byok draws them; `directPerId`: one 32-byte call per ID. "
        + "JDK: `SecureRandom.getInstance(\"DRBG\")`; ACCP: its `DEFAULT` (AWS-LC CTR-DRBG).\n\n"
        + "| draw | jdk | accp | jdk ÷ accp |\n| --- | ---: | ---: | ---: |\n");
    boolean any = false;
    for (String method : List.of("pooledPerId", "directPerId")) {
      Optional<JmhResult> jdk = find("RandomnessBenchmark", method, 1, Map.of("provider", "jdk"));
      Optional<JmhResult> accp = find("RandomnessBenchmark", method, 1, Map.of("provider", "accp"));
      if (jdk.isEmpty() && accp.isEmpty()) {
        continue;
      }
      any = true;
      // average time: jdk ÷ accp > 1 means ACCP is faster
      md.append("| ").append(method).append(" | ").append(ops(jdk)).append(" | ").append(ops(accp)).append(" | ")
          .append(div(jdk, accp)).append(" |\n");
    }
    if (!any) {
      md.append("| no results in this run | | | |\n");
    }
    md.append('\n');
  }

  private static void competitors(StringBuilder md) {
    md.append("## The competitors\n\n"
        + "- `byok`: this library through its public entry point `TenantCrypto` (one tenant, suite 0x0478 or 0x0578, "
        + "default frame length 64 KiB, `CachePolicy.defaults()`), with byok's own `AwsKmsKeyService` over "
        + "`FakeKms`. Audit sink `AuditSink.noop()`: every operation builds its audit event and hands it over, "
        + "but no delivery thread competes for the CPU (the real sinks' enqueue cost is measured below). "
        + "Cache `off`: byok has no switch to disable its cache, so the cache's ticker jumps past `maxAge` "
        + "before each operation and every call loads from KMS.\n"
        + "- `esdk`: `com.amazonaws:aws-encryption-sdk-java` 3.0.2, suite 0x0478 or 0x0578, commitment policy "
        + "REQUIRE_ENCRYPT_REQUIRE_DECRYPT, `kmssdkv2.KmsMasterKeyProvider` (strict, regional client = "
        + "`FakeKms`) under a `CachingCryptoMaterialsManager` with a `LocalCryptoMaterialsCache`; default frame "
        + "size 4096 bytes. This is the ESDK Java's only data-key cache: the Material Providers Library 1.7 has "
        + "no caching CMM, and its hierarchical keyring needs a DynamoDB key store and still wraps a new data "
        + "key per message, so it cannot be faster on this path.\n"
        + "- `tink`: `com.google.crypto.tink:tink` 1.18.0 `KmsEnvelopeAead` with the AES256_GCM data-key "
        + "parameters; its remote `Aead` calls `FakeKms` Encrypt/Decrypt, as Tink's AWS KMS extension does. "
        + "A new data key and a KMS call per message (Tink has no data-key cache); one AES-GCM over the whole "
        + "message.\n"
        + "- `jca`: raw AES-256-GCM (the JDK's, or ACCP's with `provider=accp`), one 12-byte nonce per 64 KiB "
        + "piece, one fixed key: no KMS, header or key derivation.\n"
        + "- `floor` (`FloorBenchmark`): the format's irreducible work per message with one provider: a 32-byte "
        + "random message ID, HKDF-SHA512 extract and two expands (JDK `HmacSHA512`, or ACCP's native "
        + "`HkdfWithHmacSHA512`), the header tag under the fresh key over a header body of byok's length, and the "
        + "body's AES-GCM in 64 KiB frames; no cache, audit, header building or KMS.\n"
        + "- Providers: `provider=jdk` uses the JDK's SunJCE/SunEC; `provider=accp` gives byok "
        + "`CryptoProvider.ACCP` and jca ACCP's `Cipher`, and inserts ACCP as the first JCA provider for the "
        + "esdk and tink trials only (each trial is its own JVM), as the ESDK's documentation recommends. "
        + "Suite `0578` applies to byok and esdk.\n"
        + "- `FakeKms`: a `KmsClient` in the same JVM wrapping data keys with AES-256-GCM under an in-memory "
        + "master key (encryption context as associated data), a request ID in every response, optional "
        + "added latency per call.\n\n");
  }

  // --- lookups -------------------------------------------------------------------------------

  /** The JDK-provider, suite-0x0478 result (also a result of a run from before those parameters existed). */
  Optional<JmhResult> envelope(String op, String impl, int size, int threads) {
    return envelope(op, impl, size, threads, "jdk", "0478");
  }

  Optional<JmhResult> envelope(String op, String impl, int size, int threads, String provider, String suite) {
    return results.stream()
        .filter(r -> r.benchmarkClass().equals("EnvelopeBenchmark") && r.method().equals(op) && r.threads() == threads)
        .filter(r -> impl.equals(r.param("impl")) && Integer.toString(size).equals(r.param("size")))
        .filter(r -> r.param("provider") == null ? provider.equals("jdk") : provider.equals(r.param("provider")))
        .filter(r -> r.param("suite") == null ? suite.equals("0478") : suite.equals(r.param("suite")))
        .findFirst();
  }

  private Optional<JmhResult> cache(String op, String impl, String cache, String latency) {
    return find("CacheBenchmark", op, 1, Map.of("impl", impl, "cache", cache, "kmsLatencyMs", latency));
  }

  private Optional<JmhResult> find(String cls, String method, int threads, Map<String, String> params) {
    return results.stream()
        .filter(r -> r.benchmarkClass().equals(cls) && r.method().equals(method) && r.threads() == threads)
        .filter(r -> params.entrySet().stream().allMatch(e -> e.getValue().equals(r.param(e.getKey()))))
        .findFirst();
  }

  /** Ops/s of {@code a} over ops/s of {@code b}, when both ran. */
  Optional<Double> ratio(String op, String a, String b, int size, int threads) {
    Optional<JmhResult> ra = envelope(op, a, size, threads);
    Optional<JmhResult> rb = envelope(op, b, size, threads);
    if (ra.isEmpty() || rb.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(ra.get().score() / rb.get().score());
  }

  // --- formatting ----------------------------------------------------------------------------

  private static String ops(Optional<JmhResult> r) {
    return r.map(BenchReport::scoreWithError).orElse("—");
  }

  private static String div(Optional<JmhResult> a, Optional<JmhResult> b) {
    return a.isPresent() && b.isPresent() ? fmt(a.get().score() / b.get().score()) + "×" : "—";
  }

  private static String scoreWithError(JmhResult r) {
    String s = fmt(r.score());
    return Double.isNaN(r.scoreError()) ? s : s + " ± " + fmt(r.scoreError());
  }

  static String sizeName(int size) {
    if (size >= 1 << 20 && size % (1 << 20) == 0) {
      return (size >> 20) + " MiB";
    }
    if (size >= 1024 && size % 1024 == 0) {
      return (size >> 10) + " KiB";
    }
    return size + " B";
  }

  static String fmt(double v) {
    if (Double.isNaN(v)) {
      return "—";
    }
    double a = Math.abs(v);
    if (a >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  /** A target's limit: whole numbers without decimals. */
  private static String fmtLimit(double v) {
    return v == Math.rint(v) ? fmtInt(v) : fmt(v);
  }

  private static String fmtInt(double v) {
    return String.format(Locale.ROOT, "%,.0f", v);
  }
}
