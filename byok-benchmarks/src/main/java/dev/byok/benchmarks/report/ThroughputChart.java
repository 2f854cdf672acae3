package dev.byok.benchmarks.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws throughput (MB/s, log scale) against message size (log scale), one panel per operation,
 * one line per competitor, with java.awt in headless mode. Missing points are left out.
 */
final class ThroughputChart {
  private static final int PANEL_WIDTH = 560;
  private static final int HEIGHT = 460;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 50;
  private static final int BOTTOM = 90;
  private static final Map<String, Color> COLORS = Map.of(
      "byok", new Color(0x1f77b4), "esdk", new Color(0xff7f0e), "tink", new Color(0x2ca02c), "jca", new Color(0x7f7f7f));

  private ThroughputChart() {}

  /** {@code series}: operation → competitor → MB/s per size of {@link BenchReport#SIZES}. */
  static void write(Map<String, Map<String, double[]>> series, Path file) throws IOException {
    int panels = series.size();
    BufferedImage img = new BufferedImage(PANEL_WIDTH * panels, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, img.getWidth(), img.getHeight());
      double min = Double.POSITIVE_INFINITY;
      double max = 0;
      for (Map<String, double[]> byImpl : series.values()) {
        for (double[] values : byImpl.values()) {
          for (double v : values) {
            if (v > 0 && !Double.isNaN(v)) {
              min = Math.min(min, v);
              max = Math.max(max, v);
            }
          }
        }
      }
      if (max == 0) {
        min = 1;
        max = 10;
      }
      int loDecade = (int) Math.floor(Math.log10(min));
      int hiDecade = (int) Math.ceil(Math.log10(max));
      if (hiDecade == loDecade) {
        hiDecade++;
      }
      int x0 = 0;
      for (Map.Entry<String, Map<String, double[]>> e : series.entrySet()) {
        panel(g, x0, e.getKey(), e.getValue(), loDecade, hiDecade);
        x0 += PANEL_WIDTH;
      }
    } finally {
      g.dispose();
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    ImageIO.write(img, "png", file.toFile());
  }

  private static void panel(Graphics2D g, int x0, String op, Map<String, double[]> byImpl, int lo, int hi) {
    int plotLeft = x0 + LEFT;
    int plotRight = x0 + PANEL_WIDTH - RIGHT;
    int plotTop = TOP;
    int plotBottom = HEIGHT - BOTTOM;
    List<Integer> sizes = BenchReport.SIZES;
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.setColor(Color.BLACK);
    String title = op + " throughput, warm cache, 1 thread";
    FontMetrics fm = g.getFontMetrics();
    g.drawString(title, (plotLeft + plotRight - fm.stringWidth(title)) / 2, 28);

    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    fm = g.getFontMetrics();
    // grid and y labels (decades)
    for (int d = lo; d <= hi; d++) {
      int y = yOf(Math.pow(10, d), lo, hi, plotTop, plotBottom);
      g.setColor(new Color(0xdddddd));
      g.drawLine(plotLeft, y, plotRight, y);
      g.setColor(Color.BLACK);
      String label = d >= 0 ? String.format("%,.0f", Math.pow(10, d)) : String.valueOf(Math.pow(10, d));
      g.drawString(label, plotLeft - 6 - fm.stringWidth(label), y + 4);
    }
    // x labels
    for (int i = 0; i < sizes.size(); i++) {
      int x = xOf(i, sizes.size(), plotLeft, plotRight);
      g.setColor(new Color(0xeeeeee));
      g.drawLine(x, plotTop, x, plotBottom);
      g.setColor(Color.BLACK);
      String label = BenchReport.sizeName(sizes.get(i));
      g.drawString(label, x - fm.stringWidth(label) / 2, plotBottom + 18);
    }
    g.setColor(Color.BLACK);
    g.drawRect(plotLeft, plotTop, plotRight - plotLeft, plotBottom - plotTop);
    g.drawString("message size", (plotLeft + plotRight - fm.stringWidth("message size")) / 2, plotBottom + 36);
    Graphics2D rotated = (Graphics2D) g.create();
    rotated.rotate(-Math.PI / 2);
    rotated.drawString("MB/s (log scale)", -(plotTop + plotBottom) / 2 - fm.stringWidth("MB/s (log scale)") / 2, x0 + 16);
    rotated.dispose();

    // lines
    int legendX = plotLeft;
    for (Map.Entry<String, double[]> e : byImpl.entrySet()) {
      Color c = COLORS.getOrDefault(e.getKey(), Color.MAGENTA);
      g.setColor(c);
      g.setStroke(e.getKey().equals("byok") ? new BasicStroke(3f) : new BasicStroke(2f));
      Path2D path = new Path2D.Double();
      boolean started = false;
      double[] v = e.getValue();
      for (int i = 0; i < v.length; i++) {
        if (!(v[i] > 0)) {
          started = false;
          continue;
        }
        int x = xOf(i, v.length, plotLeft, plotRight);
        int y = yOf(v[i], lo, hi, plotTop, plotBottom);
        if (started) {
          path.lineTo(x, y);
        } else {
          path.moveTo(x, y);
          started = true;
        }
        g.fillOval(x - 4, y - 4, 8, 8);
      }
      g.draw(path);
      g.setStroke(new BasicStroke(1f));
      int ly = HEIGHT - 28;
      g.fillRect(legendX, ly - 8, 18, 8);
      g.setColor(Color.BLACK);
      g.drawString(e.getKey(), legendX + 24, ly);
      legendX += 24 + fm.stringWidth(e.getKey()) + 28;
    }
  }

  private static int xOf(int i, int n, int left, int right) {
    int pad = 30;
    return left + pad + (int) Math.round((right - left - 2.0 * pad) * i / Math.max(1, n - 1));
  }

  private static int yOf(double v, int lo, int hi, int top, int bottom) {
    double f = (Math.log10(v) - lo) / (hi - lo);
    return (int) Math.round(bottom - f * (bottom - top));
  }
}
