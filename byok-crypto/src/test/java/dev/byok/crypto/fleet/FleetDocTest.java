package dev.byok.crypto.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.crypto.CachePolicy;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The tables of docs/fleet.md are {@link FleetModel}'s figures: this test fails when they differ.
 * To rewrite them and the chart docs/fleet-kms-calls.png after a change to the model, run
 *
 * <pre>
 * mvn -B -o -q -pl byok-crypto -am test -Dtest=FleetDocTest -Dsurefire.failIfNoSpecifiedTests=false -Dbyok.writeFleetDocs=true
 * </pre>
 */
class FleetDocTest {
  private static final Path DOC = Path.of("..", "docs", "fleet.md");
  private static final Path CHART = Path.of("..", "docs", "fleet-kms-calls.png");
  private static final int[] INSTANCES = {10, 100, 1000};
  private static final long[] TENANTS = {1_000, 10_000, 100_000};
  private static final int CONTEXTS = 3;

  private static Prediction predict(int instances, long tenants, Routing routing, boolean coalesced, CachePolicy policy) {
    return FleetModel.predict(Fleet.builder().instances(instances).tenants(tenants).contextsPerTenant(CONTEXTS)
        .routing(routing).coalesced(coalesced).cachePolicy(policy).build());
  }

  private static String cell(Prediction p) {
    return String.format(Locale.ROOT, "%,.0f (%s)", p.kmsCallsPerSecond().total(), percent(p.quotaShare()));
  }

  private static String percent(double share) {
    double pct = share * 100;
    return pct >= 100 ? String.format(Locale.ROOT, "%,.0f%%", pct) : String.format(Locale.ROOT, "%.1f%%", pct);
  }

  /** Instances x tenants, 3 contexts, defaults: random and affine:3 routing, per entry and coalesced. */
  static String fleetTable() {
    StringBuilder sb = new StringBuilder();
    sb.append("| instances | tenants | random, per entry | random, coalesced | affine:3, per entry | affine:3, coalesced |\n");
    sb.append("| ---: | ---: | ---: | ---: | ---: | ---: |\n");
    CachePolicy d = CachePolicy.defaults();
    for (int n : INSTANCES) {
      for (long t : TENANTS) {
        sb.append(String.format(Locale.ROOT, "| %,d | %,d | %s | %s | %s | %s |%n", n, t,
            cell(predict(n, t, Routing.random(), false, d)), cell(predict(n, t, Routing.random(), true, d)),
            cell(predict(n, t, Routing.affine(3), false, d)), cell(predict(n, t, Routing.affine(3), true, d))));
      }
    }
    return sb.toString();
  }

  /** The headline fleet (100 instances, 10k tenants, 3 contexts) under other policies and k. */
  static String adviceTable() {
    StringBuilder sb = new StringBuilder();
    sb.append("| revalidateAfter | maxAge | affine:1 | affine:2 | affine:3 | random |\n");
    sb.append("| ---: | ---: | ---: | ---: | ---: | ---: |\n");
    Duration[][] policies = {
        {Duration.ofSeconds(60), Duration.ofMinutes(5)}, {Duration.ofMinutes(2), Duration.ofMinutes(10)},
        {Duration.ofMinutes(5), Duration.ofMinutes(15)}, {Duration.ofMinutes(15), Duration.ofMinutes(60)}};
    for (Duration[] rp : policies) {
      CachePolicy p = CachePolicy.builder().revalidateAfter(rp[0]).maxAge(rp[1]).build();
      sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", text(rp[0]), text(rp[1]),
          cell(predict(100, 10_000, Routing.affine(1), true, p)), cell(predict(100, 10_000, Routing.affine(2), true, p)),
          cell(predict(100, 10_000, Routing.affine(3), true, p)), cell(predict(100, 10_000, Routing.random(), true, p))));
    }
    return sb.toString();
  }

  private static String text(Duration d) {
    return d.toMinutes() >= 1 ? d.toMinutes() + " min" : d.toSeconds() + " s";
  }

  @Test
  void docsFleetMd_tablesAreTheModelsFigures() throws IOException {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    String updated = replace(replace(doc, "fleet-table", fleetTable()), "advice-table", adviceTable());
    if (Boolean.getBoolean("byok.writeFleetDocs")) {
      Files.writeString(DOC, updated, StandardCharsets.UTF_8);
      writeChart(CHART);
      System.out.println("FleetDocTest: wrote " + DOC + " and " + CHART);
      return;
    }
    assertEquals(updated, doc, "docs/fleet.md differs from the model: rerun with -Dbyok.writeFleetDocs=true");
    assertTrue(Files.size(CHART) > 1000, "the chart " + CHART + " exists");
  }

  private static String replace(String doc, String marker, String table) {
    String begin = "<!-- " + marker + ":begin -->\n";
    String end = "<!-- " + marker + ":end -->";
    int b = doc.indexOf(begin);
    int e = doc.indexOf(end);
    assertTrue(b >= 0 && e > b, "docs/fleet.md has no " + marker + " markers");
    return doc.substring(0, b + begin.length()) + table + doc.substring(e);
  }

  // ----------------------------------------------------------------------------------------- chart

  private static final int W = 900;
  private static final int H = 560;
  private static final int LEFT = 90;
  private static final int RIGHT = 230;
  private static final int TOP = 50;
  private static final int BOTTOM = 70;

  private record Series(String label, Color color, Routing routing, boolean coalesced, boolean dashed) {}

  /** KMS calls/s against instances (log-log), 10,000 tenants x 3 contexts, defaults; the quota lines. */
  static void writeChart(Path file) throws IOException {
    List<Series> series = List.of(
        new Series("random, per entry", new Color(0xd62728), Routing.random(), false, true),
        new Series("random, coalesced", new Color(0xd62728), Routing.random(), true, false),
        new Series("affine:3, per entry", new Color(0x1f77b4), Routing.affine(3), false, true),
        new Series("affine:3, coalesced", new Color(0x1f77b4), Routing.affine(3), true, false));
    double xMin = 10;
    double xMax = 1000;
    double yMin = 1e2;
    double yMax = 1e9;
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, W, H);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
      g.setColor(Color.BLACK);
      g.drawString("KMS calls/s of a fleet: 10,000 tenants x 3 contexts, every scope busy, defaults", LEFT, 28);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      int plotW = W - LEFT - RIGHT;
      int plotH = H - TOP - BOTTOM;
      // grid and axes
      for (int dec = 2; dec <= 9; dec++) {
        int y = yPix(Math.pow(10, dec), yMin, yMax, plotH);
        g.setColor(new Color(0xe5e5e5));
        g.drawLine(LEFT, y, LEFT + plotW, y);
        g.setColor(Color.DARK_GRAY);
        g.drawString("1e" + dec, LEFT - 40, y + 4);
      }
      for (int x : new int[] {10, 30, 100, 300, 1000}) {
        int px = xPix(x, xMin, xMax, plotW);
        g.setColor(new Color(0xe5e5e5));
        g.drawLine(px, TOP, px, TOP + plotH);
        g.setColor(Color.DARK_GRAY);
        g.drawString(String.valueOf(x), px - 10, TOP + plotH + 18);
      }
      g.setColor(Color.BLACK);
      g.drawRect(LEFT, TOP, plotW, plotH);
      g.drawString("instances", LEFT + plotW / 2 - 25, H - 25);
      g.drawString("calls/s", 10, TOP + plotH / 2);
      // quota lines
      double[][] quotas = {{100_000, 0x2ca02c}, {10_000, 0x2ca02c}, {2_000, 0xff7f0e}};
      String[] quotaLabels = {"quota 100,000/s (us-east-1, ...)", "default quota 10,000/s", "20% of the default"};
      for (int i = 0; i < quotas.length; i++) {
        int y = yPix(quotas[i][0], yMin, yMax, plotH);
        g.setColor(new Color((int) quotas[i][1]));
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {2, 4}, 0));
        g.drawLine(LEFT, y, LEFT + plotW, y);
        g.drawString(quotaLabels[i], LEFT + plotW + 8, y + 4);
      }
      // series
      int legendY = TOP + 10;
      for (Series s : series) {
        g.setColor(s.color);
        g.setStroke(s.dashed ? new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10, new float[] {8, 6}, 0)
            : new BasicStroke(2.5f));
        int px0 = -1;
        int py0 = -1;
        for (int n = 10; n <= 1000; n = n == 1000 ? 1001 : Math.min(1000, (int) Math.ceil(n * 1.2))) {
          double v = predict(n, 10_000, s.routing, s.coalesced, CachePolicy.defaults()).kmsCallsPerSecond().total();
          int px = xPix(n, xMin, xMax, plotW);
          int py = yPix(Math.max(yMin, Math.min(yMax, v)), yMin, yMax, plotH);
          if (px0 >= 0) {
            g.drawLine(px0, py0, px, py);
          }
          px0 = px;
          py0 = py;
        }
        g.drawLine(LEFT + plotW + 8, legendY + 150, LEFT + plotW + 38, legendY + 150);
        g.setColor(Color.BLACK);
        g.drawString(s.label, LEFT + plotW + 44, legendY + 154);
        legendY += 20;
      }
    } finally {
      g.dispose();
    }
    ImageIO.write(img, "png", file.toFile());
  }

  private static int xPix(double x, double min, double max, int width) {
    return LEFT + (int) Math.round((Math.log10(x) - Math.log10(min)) / (Math.log10(max) - Math.log10(min)) * width);
  }

  private static int yPix(double y, double min, double max, int height) {
    return TOP + height - (int) Math.round((Math.log10(y) - Math.log10(min)) / (Math.log10(max) - Math.log10(min)) * height);
  }
}
