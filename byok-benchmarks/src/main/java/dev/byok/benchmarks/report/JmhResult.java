package dev.byok.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of a JMH JSON result file ({@code -rf json}): the benchmark, its parameters and thread
 * count, the primary score, and the allocation per operation when {@code -prof gc} ran. Immutable.
 */
public final class JmhResult {
  private final String benchmark;
  private final Map<String, String> params;
  private final int threads;
  private final double score;
  private final double scoreError;
  private final String unit;
  private final Double allocBytesPerOp;
  private final String jdkVersion;
  private final String vmName;
  private final String vmVersion;
  private final String jmhVersion;

  private JmhResult(JsonNode n) {
    this.benchmark = n.path("benchmark").asText();
    Map<String, String> p = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.path("params").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      p.put(e.getKey(), e.getValue().asText());
    }
    this.params = Collections.unmodifiableMap(p);
    this.threads = n.path("threads").asInt(1);
    JsonNode primary = n.path("primaryMetric");
    this.score = primary.path("score").asDouble(Double.NaN);
    this.scoreError = parseDouble(primary.path("scoreError").asText("NaN"));
    this.unit = primary.path("scoreUnit").asText();
    JsonNode alloc = n.path("secondaryMetrics").path("gc.alloc.rate.norm");
    this.allocBytesPerOp = alloc.isMissingNode() ? null : alloc.path("score").asDouble();
    this.jdkVersion = n.path("jdkVersion").asText("");
    this.vmName = n.path("vmName").asText("");
    this.vmVersion = n.path("vmVersion").asText("");
    this.jmhVersion = n.path("jmhVersion").asText("");
  }

  /** Reads every result of one JMH JSON file. */
  public static List<JmhResult> read(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(Files.readAllBytes(file));
    List<JmhResult> out = new ArrayList<>();
    if (root != null && root.isArray()) {
      for (JsonNode n : root) {
        out.add(new JmhResult(n));
      }
    }
    return out;
  }

  private static double parseDouble(String s) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** The simple class name, e.g. {@code EnvelopeBenchmark}. */
  public String benchmarkClass() {
    String[] parts = benchmark.split("\\.");
    return parts.length >= 2 ? parts[parts.length - 2] : benchmark;
  }

  /** The method, e.g. {@code encrypt}. */
  public String method() {
    return benchmark.substring(benchmark.lastIndexOf('.') + 1);
  }

  public String param(String name) {
    return params.get(name);
  }

  public Map<String, String> params() {
    return params;
  }

  public int threads() {
    return threads;
  }

  public double score() {
    return score;
  }

  /** JMH's 99.9% half-interval, or NaN with too few iterations. */
  public double scoreError() {
    return scoreError;
  }

  public String unit() {
    return unit;
  }

  /** Bytes allocated per operation ({@code gc.alloc.rate.norm}), or {@code null} without {@code -prof gc}. */
  public Double allocBytesPerOp() {
    return allocBytesPerOp;
  }

  public String jdkVersion() {
    return jdkVersion;
  }

  public String vmName() {
    return vmName;
  }

  public String vmVersion() {
    return vmVersion;
  }

  public String jmhVersion() {
    return jmhVersion;
  }

  @Override
  public String toString() {
    return benchmark + params + " t" + threads + " = " + score + " " + unit;
  }
}
