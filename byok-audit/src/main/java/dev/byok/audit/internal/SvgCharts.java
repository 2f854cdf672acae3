package dev.byok.audit.internal;

import dev.byok.audit.AuditReport;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The report's two inline SVG charts: a stacked bar chart of key uses per reason code over time,
 * and the revocation timeline in three lanes (the customer's changes, the vendor's REVOKED and
 * RESTORED events, the calls KMS refused). Plain SVG with {@code <title>} tooltips: no script.
 * Stateless.
 */
final class SvgCharts {
  private static final int WIDTH = 960;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int LABEL_ROWS = 3;
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAYS = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

  private SvgCharts() {}

  static String usesOverTime(AuditReport.UsesOverTime u, String[] palette) {
    if (u.buckets().isEmpty()) {
      return "<p class=\"muted\">No key uses in the window.</p>\n";
    }
    int height = 260;
    int top = 20;
    int bottom = 50;
    int plotH = height - top - bottom;
    int plotW = WIDTH - LEFT - RIGHT;
    long max = 1;
    for (AuditReport.Bucket b : u.buckets()) {
      long sum = b.counts().stream().mapToLong(Long::longValue).sum();
      max = Math.max(max, sum);
    }
    int n = u.buckets().size();
    double slot = (double) plotW / n;
    double barW = Math.max(1, slot * 0.8);
    StringBuilder s = new StringBuilder();
    s.append("<svg class=\"chart\" id=\"uses-over-time\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH)
        .append("\" height=\"").append(height + 24 + 18 * ((u.reasonCodes().size() + 3) / 4)).append("\" role=\"img\" ")
        .append("aria-label=\"Key uses over time per reason code\">\n");
    s.append("<title>Key uses over time per reason code (").append(Formats.duration(u.bucket()))
        .append(" buckets)</title>\n");
    axes(s, top, plotH, plotW);
    for (int t = 0; t <= 4; t++) {
      long v = Math.round(max * t / 4.0);
      double y = top + plotH - (double) plotH * v / max;
      s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e6e9ef\"/>"
          + "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\" fill=\"#667085\">%d</text>%n",
          LEFT, y, LEFT + plotW, y, LEFT - 6, y + 4, v));
    }
    DateTimeFormatter f = formatterFor(u.buckets().get(0).start(), u.buckets().get(n - 1).start());
    for (int i = 0; i < n; i++) {
      AuditReport.Bucket b = u.buckets().get(i);
      double x = LEFT + i * slot + (slot - barW) / 2;
      double y = top + plotH;
      for (int k = 0; k < b.counts().size(); k++) {
        long c = b.counts().get(k);
        if (c == 0) {
          continue;
        }
        double h = (double) plotH * c / max;
        y -= h;
        s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
            + "<title>%s %s: %d</title></rect>%n", x, y, barW, h, palette[k % palette.length],
            HtmlRenderer.esc(f.format(b.start())), HtmlRenderer.esc(u.reasonCodes().get(k)), c));
      }
      if (i == 0 || i == n - 1 || (n > 6 && i % Math.max(1, n / 6) == 0 && n - 1 - i >= n / 12 + 1)) {
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" "
            + "fill=\"#667085\">%s</text>%n", LEFT + i * slot + slot / 2, top + plotH + 16,
            HtmlRenderer.esc(f.format(b.start()))));
      }
    }
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#667085\">UTC, %s per bar"
        + "</text>%n", LEFT, top + plotH + 34, Formats.duration(u.bucket())));
    int ly = height + 4;
    for (int k = 0; k < u.reasonCodes().size(); k++) {
      int lx = LEFT + (k % 4) * 220;
      int row = ly + (k / 4) * 18;
      s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
          + "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>%n", lx, row, palette[k % palette.length], lx + 18,
          row + 11, HtmlRenderer.esc(u.reasonCodes().get(k))));
    }
    s.append("</svg>\n");
    return s.toString();
  }

  static String timeline(List<AuditReport.TimelineEntry> entries) {
    if (entries.isEmpty()) {
      return "<p class=\"muted\">No key changes, revocations or denied calls in the window.</p>\n";
    }
    String[] lanes = {"your key changes", "vendor events", "denied calls"};
    int laneH = 80;
    int top = 20;
    int plotH = laneH * lanes.length;
    int height = top + plotH + 44;
    int plotW = WIDTH - LEFT - RIGHT - 60;
    int left = LEFT + 60;
    Instant first = entries.get(0).time();
    Instant last = first;
    for (AuditReport.TimelineEntry e : entries) {
      last = e.lastTime().isAfter(last) ? e.lastTime() : last;
    }
    long span = Math.max(1, Duration.between(first, last).toMillis());
    long pad = Math.max(500, span / 20);
    Instant t0 = first.minusMillis(pad);
    long total = span + 2 * pad;
    StringBuilder s = new StringBuilder();
    s.append("<svg class=\"chart\" id=\"revocation-timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH)
        .append("\" height=\"").append(height).append("\" role=\"img\" aria-label=\"Revocation timeline\">\n")
        .append("<title>Revocation timeline</title>\n");
    for (int i = 0; i < lanes.length; i++) {
      int y = top + i * laneH;
      s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>"
          + "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\" fill=\"#1d2430\">%s</text>%n",
          left, y, plotW, laneH, i % 2 == 0 ? "#f7f8fb" : "#ffffff", left - 8, y + laneH / 2 + 4, lanes[i]));
    }
    s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#98a2b3\"/>%n",
        left, top + plotH, left + plotW, top + plotH));
    DateTimeFormatter f = formatterFor(t0, t0.plusMillis(total));
    for (int t = 0; t <= 5; t++) {
      double x = left + plotW * t / 5.0;
      Instant at = t0.plusMillis(total * t / 5);
      s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#98a2b3\"/>"
          + "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"%s\" fill=\"#667085\">%s</text>%n",
          x, top + plotH, x, top + plotH + 5, x, top + plotH + 18, t == 0 ? "start" : t == 5 ? "end" : "middle",
          HtmlRenderer.esc(f.format(at))));
    }
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#667085\">UTC</text>%n",
        left, top + plotH + 36));
    double[][] labelEnds = new double[lanes.length][LABEL_ROWS];
    for (double[] l : labelEnds) {
      java.util.Arrays.fill(l, Double.NEGATIVE_INFINITY);
    }
    for (AuditReport.TimelineEntry e : entries) {
      double x = left + plotW * (double) Duration.between(t0, e.time()).toMillis() / total;
      int lane = e.party() == AuditReport.Party.CUSTOMER ? 0 : e.what().endsWith(" denied") ? 2 : 1;
      int cy = top + lane * laneH + laneH * 2 / 3;
      String tip = HtmlRenderer.esc(Formats.time(e.time()) + " " + e.what() + (e.count() > 1 ? " x" + e.count() : "")
          + " " + e.detail() + (e.sinceCustomerChange() == null ? "" : " (" + Formats.since(e.sinceCustomerChange())
          + " after the change)"));
      String label = HtmlRenderer.esc(e.what() + (e.count() > 1 ? " x" + e.count() : "")
          + (e.sinceCustomerChange() == null ? "" : " " + Formats.since(e.sinceCustomerChange())));
      // Stagger labels on up to three rows per lane; a label that would overlap on all of them is left
      // out (the marker keeps its tooltip, and the table below lists every entry).
      double labelWidth = 6.2 * (e.what().length() + (e.count() > 1 ? 3 : 0)
          + (e.sinceCustomerChange() == null ? 0 : 10));
      int row = -1;
      for (int candidate = 0; candidate < LABEL_ROWS; candidate++) {
        if (x - labelWidth / 2 > labelEnds[lane][candidate] + 4) {
          row = candidate;
          break;
        }
      }
      int labelY = cy - 12 - Math.max(row, 0) * 12;
      if (lane == 0) {
        String color = e.what().equals("EnableKey") || e.what().equals("CancelKeyDeletion") ? "#2f9e5b" : "#d0453a";
        s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
            + "stroke-dasharray=\"4 3\" stroke-opacity=\"0.6\"/>%n", x, top, x, top + plotH, color));
        s.append(String.format(Locale.ROOT, "<polygon points=\"%.1f,%d %.1f,%d %.1f,%d\" fill=\"%s\"><title>%s</title>"
            + "</polygon>%n", x - 7, cy - 6, x + 7, cy - 6, x, cy + 7, color, tip));
      } else if (lane == 1) {
        String color = e.what().equals("RESTORED") ? "#2f9e5b" : "#e07b24";
        s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%d\" r=\"7\" fill=\"%s\"><title>%s</title>"
            + "</circle>%n", x, cy, color, tip));
      } else {
        double x2 = left + plotW * (double) Duration.between(t0, e.lastTime()).toMillis() / total;
        if (x2 - x > 2) {
          s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#8b1e16\" "
              + "stroke-width=\"3\" stroke-opacity=\"0.5\"/>%n", x, cy, x2, cy));
        }
        s.append(String.format(Locale.ROOT, "<g stroke=\"#8b1e16\" stroke-width=\"3\"><title>%s</title>"
            + "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/><line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/></g>%n",
            tip, x - 6, cy - 6, x + 6, cy + 6, x - 6, cy + 6, x + 6, cy - 6));
      }
      if (row >= 0) {
        labelEnds[lane][row] = x + labelWidth / 2;
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s"
            + "</text>%n", x, labelY, label));
      }
    }
    s.append("</svg>\n");
    return s.toString();
  }

  private static void axes(StringBuilder s, int top, int plotH, int plotW) {
    s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#98a2b3\"/>"
        + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#98a2b3\"/>%n",
        LEFT, top, LEFT, top + plotH, LEFT, top + plotH, LEFT + plotW, top + plotH));
  }

  private static DateTimeFormatter formatterFor(Instant a, Instant b) {
    long s = Duration.between(a, b).getSeconds();
    return s < 86_400 ? SECONDS : s < 30L * 86_400 ? MINUTES : DAYS;
  }
}
