package dev.byok.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {
  @TempDir Path dir;

  private static String result(String cls, String method, int threads, String params, double score, Double alloc) {
    String secondary = alloc == null ? "{}"
        : "{\"gc.alloc.rate.norm\": {\"score\": " + alloc + ", \"scoreUnit\": \"B/op\"}}";
    return String.format(Locale.ROOT, "{\"jmhVersion\": \"1.37\", \"benchmark\": \"dev.byok.benchmarks.%s.%s\", "
        + "\"mode\": \"thrpt\", \"threads\": %d, \"jdkVersion\": \"17.0.15\", \"vmName\": \"OpenJDK 64-Bit Server VM\", "
        + "\"vmVersion\": \"17.0.15+6\", \"params\": {%s}, \"primaryMetric\": {\"score\": %s, \"scoreError\": \"NaN\", "
        + "\"scoreUnit\": \"ops/s\"}, \"secondaryMetrics\": %s}", cls, method, threads, params, score, secondary);
  }

  /** {@code rows} as one JMH JSON file, read back. */
  private List<JmhResult> read(String name, List<String> rows) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, "[" + String.join(",", rows) + "]");
    return JmhResult.read(f);
  }

  private List<JmhResult> sample() throws IOException {
    List<String> rows = new ArrayList<>();
    // 1 KiB encrypt: byok 100,000, esdk 4,000 (25x: met), jca 250,000 (time ratio 2.5: met)
    rows.add(result("EnvelopeBenchmark", "encrypt", 1, "\"impl\": \"byok\", \"size\": \"1024\"", 100_000, 3000.0));
    rows.add(result("EnvelopeBenchmark", "encrypt", 1, "\"impl\": \"esdk\", \"size\": \"1024\"", 4_000, 90000.0));
    rows.add(result("EnvelopeBenchmark", "encrypt", 1, "\"impl\": \"jca\", \"size\": \"1024\"", 250_000, 1100.0));
    // 1 KiB decrypt: byok 50,000, esdk 10,000 (5x: missed by 50%)
    rows.add(result("EnvelopeBenchmark", "decrypt", 1, "\"impl\": \"byok\", \"size\": \"1024\"", 50_000, null));
    rows.add(result("EnvelopeBenchmark", "decrypt", 1, "\"impl\": \"esdk\", \"size\": \"1024\"", 10_000, null));
    rows.add(result("EnvelopeBenchmark", "encrypt", 2, "\"impl\": \"byok\", \"size\": \"1024\"", 180_000, null));
    rows.add(result("CacheBenchmark", "encrypt", 1, "\"impl\": \"esdk\", \"cache\": \"warm\", \"kmsLatencyMs\": \"5\", \"size\": \"1024\"", 4_000, null));
    rows.add(result("CacheBenchmark", "encrypt", 1, "\"impl\": \"esdk\", \"cache\": \"off\", \"kmsLatencyMs\": \"5\", \"size\": \"1024\"", 190, null));
    return read("r.json", rows);
  }

  private BenchReport report(List<JmhResult> results) {
    return new BenchReport(results, List.of("java -jar byok-benchmarks/target/benchmarks.jar EnvelopeBenchmark"),
        Machine.current(), size -> size + 300, "benchmarks-throughput.png", "benchmark-results");
  }

  @Test
  void markdown_sampleResults_ratiosAndTargetStatus() throws IOException {
    String md = report(sample()).markdown("");
    assertTrue(md.contains("| encrypt | 1 KiB | 100,000 | 4,000 | — | 250,000 | 25.0× | — | 0.40× |"), md);
    assertTrue(md.contains("| 1 KiB encrypt, warm cache: byok ≥ 20× esdk ops/s | 25.0× | met |"), md);
    assertTrue(md.contains("| 1 KiB decrypt, warm cache: byok ≥ 10× esdk ops/s | 5.00× | **missed** by 50% (5.00× of 10×)"), md);
    assertTrue(md.contains("| 1 KiB encrypt: byok time per operation ≤ 3× jca | 2.50× | met |"), md);
    // allocation budget = message (1024 + 300) + 1024 = 2348; 3000 is over by 28%
    assertTrue(md.contains("1 KiB warm encrypt: byok allocates ≤ output + 1 KiB (2,348 B) | 3,000 B | **missed** by 28%"), md);
    assertTrue(md.contains("| esdk | 5 ms | 4,000 | 190 | 21.1× |"), md);
    assertTrue(md.contains("encrypt 1 KiB 1.80×"), md);
    assertTrue(md.contains("java -jar byok-benchmarks/target/benchmarks.jar EnvelopeBenchmark"), md);
  }

  @Test
  void markdown_providerResults_issue14Targets() throws IOException {
    List<String> rows = new ArrayList<>();
    rows.add(result("EnvelopeBenchmark", "encrypt", 1, "\"impl\": \"byok\", \"size\": \"1024\", \"provider\": \"accp\", \"suite\": \"0478\"", 200_000, 2000.0));
    rows.add(result("EnvelopeBenchmark", "encrypt", 1, "\"impl\": \"byok\", \"size\": \"1024\", \"provider\": \"jdk\", \"suite\": \"0478\"", 100_000, 2000.0));
    rows.add(result("EnvelopeBenchmark", "encrypt", 1, "\"impl\": \"esdk\", \"size\": \"1024\", \"provider\": \"jdk\", \"suite\": \"0478\"", 20_000, null));
    rows.add(result("EnvelopeBenchmark", "encrypt", 1, "\"impl\": \"esdk\", \"size\": \"1024\", \"provider\": \"accp\", \"suite\": \"0478\"", 50_000, null));
    rows.add(result("EnvelopeBenchmark", "encrypt", 1, "\"impl\": \"jca\", \"size\": \"1024\", \"provider\": \"accp\", \"suite\": \"0478\"", 900_000, 800.0));
    rows.add(result("EnvelopeBenchmark", "encrypt", 2, "\"impl\": \"byok\", \"size\": \"1024\", \"provider\": \"accp\", \"suite\": \"0478\"", 380_000, null));
    rows.add(result("EnvelopeBenchmark", "encrypt", 1, "\"impl\": \"byok\", \"size\": \"1024\", \"provider\": \"accp\", \"suite\": \"0578\"", 4_000, null));
    rows.add(result("EnvelopeBenchmark", "encrypt", 1, "\"impl\": \"esdk\", \"size\": \"1024\", \"provider\": \"jdk\", \"suite\": \"0578\"", 500, null));
    rows.add(result("FloorBenchmark", "encrypt", 1, "\"provider\": \"accp\", \"size\": \"1024\"", 250_000, null));
    String md = report(read("p.json", rows)).markdown("");
    assertTrue(md.contains("| 1 KiB encrypt, accp: byok time ≤ 1.3× the floor's (floor ops/s ÷ byok ops/s) | 1.25× | met |"), md);
    assertTrue(md.contains("| 1 KiB encrypt: byok accp ≥ 5× esdk jdk | 10.0× | met |"), md);
    assertTrue(md.contains("| 1 KiB encrypt: byok accp ≥ 3× esdk accp | 4.00× | met |"), md);
    assertTrue(md.contains("| suite 0x0578, 1 KiB encrypt: byok accp ≥ 10× esdk jdk | 8.00× | **missed** by 20%"), md);
    assertTrue(md.contains("| 1 KiB encrypt, accp: byok on 2 threads ≥ 1.85× one thread | 1.90× | met |"), md);
    assertTrue(md.contains("| 1 KiB encrypt, accp: byok allocation ≤ 2× jca's (2,000 B vs 800 B) | 2.50× | **missed** by 25%"), md);
    assertTrue(md.contains("| 1 KiB encrypt, jdk: byok time ≤ 1.3× the floor's (floor ops/s ÷ byok ops/s) | — | no data |"), md);
    // the issue-7 tables read the jdk rows
    assertTrue(md.contains("| encrypt | 1 KiB | 100,000 | 20,000 |"), md);
  }

  @Test
  void markdown_randomnessResults_jdkOverAccp() throws IOException {
    List<String> rows = new ArrayList<>();
    rows.add(result("RandomnessBenchmark", "pooledPerId", 1, "\"provider\": \"jdk\"", 225, null));
    rows.add(result("RandomnessBenchmark", "pooledPerId", 1, "\"provider\": \"accp\"", 75, null));
    rows.add(result("RandomnessBenchmark", "directPerId", 1, "\"provider\": \"jdk\"", 700, null));
    String md = report(read("r.json", rows)).markdown("");
    assertTrue(md.contains("| pooledPerId | 225 | 75.0 | 3.00× |"), md);
    assertTrue(md.contains("| directPerId | 700 | — | — |"), md);
  }

  @Test
  void markdown_noRandomnessResults_saysSo() {
    String md = report(List.of()).markdown("");
    String section = md.substring(md.indexOf("## Message-ID randomness"), md.indexOf("## The competitors"));
    assertTrue(section.contains("| no results in this run | | | |"), section);
  }

  @Test
  void markdown_previousNotes_kept() throws IOException {
    String previous = "# old\n" + BenchReport.NOTES_BEGIN + "\nThe profile shows HKDF.\n" + BenchReport.NOTES_END + "\n";
    String md = report(sample()).markdown(previous);
    assertTrue(md.contains(BenchReport.NOTES_BEGIN + "\nThe profile shows HKDF.\n" + BenchReport.NOTES_END), md);
  }

  @Test
  void markdown_noResults_saysNoData() {
    String md = report(List.of()).markdown("");
    assertTrue(md.contains("| 1 KiB encrypt, warm cache: byok ≥ 20× esdk ops/s | — | no data |"), md);
  }

  @Test
  void chart_sampleResults_writesPng() throws IOException {
    Path png = dir.resolve("chart.png");
    ThroughputChart.write(report(sample()).throughputSeries(), png);
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(2 * 560, img.getWidth());
    assertEquals(460, img.getHeight());
  }

  @Test
  void sizeName_powersOfTwo() {
    assertEquals("1 KiB", BenchReport.sizeName(1024));
    assertEquals("16 MiB", BenchReport.sizeName(16777216));
    assertEquals("1000 B", BenchReport.sizeName(1000));
  }
}
