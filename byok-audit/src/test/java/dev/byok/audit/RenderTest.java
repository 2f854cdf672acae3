package dev.byok.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML is one self-contained file with inline SVG charts and no script; input text is escaped. */
class RenderTest {
  @TempDir Path dir;

  @Test
  void html_selfContained_twoInlineSvgCharts_noScript_noExternalAsset() throws Exception {
    String html = Fixtures.documentedReport(dir).render(ReportFormat.HTML);
    assertTrue(html.startsWith("<!DOCTYPE html>"), html.substring(0, 40));
    assertTrue(html.contains("<svg class=\"chart\" id=\"uses-over-time\""), "uses chart");
    assertTrue(html.contains("<svg class=\"chart\" id=\"revocation-timeline\""), "timeline chart");
    assertFalse(html.toLowerCase().contains("<script"), "no script");
    assertFalse(html.contains("<link"), "no linked stylesheet");
    assertFalse(html.contains("<img"), "no images");
    Matcher urls = Pattern.compile("(?:src|href)\\s*=|url\\(|@import").matcher(html);
    assertFalse(urls.find(), "no external asset reference");
    Matcher http = Pattern.compile("https?://[^\"]*").matcher(html);
    while (http.find()) {
      assertEquals("http://www.w3.org/2000/svg", http.group(), "the only URL is the SVG namespace");
    }
    assertTrue(html.contains("id=\"headline\">byok audit report: complete input; unexplained=1"), "banner");
    assertTrue(html.contains("banner alert"), "unexplained calls make the banner an alert");
  }

  @Test
  void html_stackedBars_onePerReasonAndBucketWithUses() throws Exception {
    AuditReport r = Fixtures.documentedReport(dir);
    String html = r.render(ReportFormat.HTML);
    long nonZero = r.usesOverTime().buckets().stream().flatMap(b -> b.counts().stream()).filter(c -> c > 0).count();
    int start = html.indexOf("id=\"uses-over-time\"");
    String chart = html.substring(start, html.indexOf("</svg>", start));
    long bars = Pattern.compile("<rect x=\"[0-9.]+\" y=\"[0-9.]+\" width=\"[0-9.]+\" height=\"[0-9.]+\" fill=\"#[0-9a-f]+\"><title>")
        .matcher(chart).results().count();
    assertEquals(nonZero, bars);
    assertTrue(nonZero > 0);
    for (String reason : r.usesOverTime().reasonCodes()) {
      assertTrue(chart.contains(">" + reason + "</text>"), "legend names " + reason);
    }
  }

  @Test
  void html_inputTextIsEscaped() throws Exception {
    Path trail = dir.resolve("trail");
    Fixtures.writeTrail(trail);
    Path events = dir.resolve("e.jsonl");
    Files.writeString(events, "{\"eventId\":\"x1\",\"time\":\"2026-03-01T12:00:05Z\",\"tenant\":\"<script>alert(1)</script>\","
        + "\"operation\":\"ENCRYPT\",\"reasonCode\":\"USER_REQUEST\",\"actor\":\"\\\"><img src=x>\",\"dataKeySource\":\"CACHE\"}\n");
    String html = KeyUseAudit.builder().trail(TrailSource.local(trail)).events(EventSource.jsonLines(events)).build().run()
        .render(ReportFormat.HTML);
    assertFalse(html.contains("<script>"), "tenant escaped");
    assertFalse(html.contains("<img"), "actor escaped");
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assertTrue(html.contains("&quot;&gt;&lt;img src=x&gt;"));
  }

  @Test
  void everyFormat_noUsesNoTimeline_saysSoInsteadOfEmptyCharts() throws Exception {
    Path trail = dir.resolve("trail");
    Files.createDirectories(trail);
    Files.writeString(trail.resolve("empty.json"), "{\"Records\":[]}");
    Path events = Files.writeString(dir.resolve("none.jsonl"), "\n");
    AuditReport r = KeyUseAudit.builder().trail(TrailSource.local(trail)).events(EventSource.jsonLines(events)).build().run();
    assertTrue(r.complete());
    String html = r.render(ReportFormat.HTML);
    assertTrue(html.contains("No key uses in the window."));
    assertTrue(html.contains("No key changes, revocations or denied calls in the window."));
    assertTrue(r.render(ReportFormat.TEXT).startsWith("byok audit report: complete input; unexplained=0 "));
    assertTrue(r.render(ReportFormat.JSON).contains("\"unexplained\" : [ ]"));
  }
}
