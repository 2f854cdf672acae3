package dev.byok.audit.internal;

import dev.byok.audit.AuditReport;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * The HTML report: one self-contained file (inline CSS, inline SVG charts, no external asset, no
 * script), readable in any browser without JavaScript. The banner at the top is the text report's
 * headline line; below it the two charts (key uses over time per reason code, and the revocation
 * timeline) and the tables of the text report. Every text from the input is HTML-escaped. Stateless.
 */
public final class HtmlRenderer {
  private static final String CSS = String.join("\n",
      "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;margin:24px;color:#1d2430;background:#fff}",
      "h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d8dde6;padding-bottom:4px}",
      ".banner{padding:12px 16px;border-radius:6px;font-weight:600;margin:8px 0 16px}",
      ".ok{background:#e3f4e8;border:1px solid #5aa86f}.alert{background:#fde4e1;border:1px solid #d0453a}",
      ".warn{background:#fff3d6;border:1px solid #d9a400}",
      "table{border-collapse:collapse;font-size:13px;margin:4px 0}th,td{padding:4px 10px;border-bottom:1px solid #e6e9ef;text-align:left;vertical-align:top}",
      "th{background:#f3f5f8}td.n{text-align:right;font-variant-numeric:tabular-nums}",
      ".meta td{border:none;padding:2px 10px 2px 0}.muted{color:#667085}.chart{margin:8px 0 4px}",
      "code{font-size:12px}");
  private static final String[] PALETTE = {"#3b6fd4", "#e07b24", "#2f9e5b", "#b8457e", "#7a56c2", "#1f9bb0",
      "#c9a227", "#6b7280", "#d0453a", "#5aa86f"};

  private HtmlRenderer() {}

  /** Writes the whole HTML document. */
  public static void write(AuditReport r, Writer out) throws IOException {
    StringBuilder b = new StringBuilder(64 * 1024);
    AuditReport.Headline h = r.headline();
    AuditReport.InputSummary in = r.input();
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
        .append(esc(r.headlineLine())).append("</title>\n<style>\n").append(CSS).append("\n</style></head><body>\n");
    String cls = h.unexplained() > 0 ? "alert" : r.complete() ? "ok" : "warn";
    b.append("<div class=\"banner ").append(cls).append("\" id=\"headline\">").append(esc(r.headlineLine()))
        .append("</div>\n");
    b.append("<h1>What the vendor did with your key, and why</h1>\n<table class=\"meta\">");
    meta(b, "window", Formats.window(r.window()));
    meta(b, "vendor accounts", (r.vendorAccounts().isEmpty() ? "(none seen)" : String.join(", ", r.vendorAccounts()))
        + (r.vendorAccountsGiven() ? "" : " (every caller account other than the key's own)"));
    meta(b, "trail", in.trailSource() + ": " + h.kmsRecords() + " KMS records in the window");
    meta(b, "events", in.eventSource() + ": " + in.events() + " audit events in the window");
    meta(b, "generated", Formats.time(r.generatedAt()));
    b.append("</table>\n");

    b.append("<h2>Unexplained calls: ").append(h.unexplained()).append("</h2>\n<p class=\"muted\">Cryptographic KMS "
        + "calls by the vendor's accounts that no audit event explains: uses of your key without a stated reason.</p>\n");
    if (!r.unexplained().isEmpty()) {
      b.append("<table><tr><th>time</th><th>requestID</th><th>operation</th><th>principal</th><th>encryption context</th></tr>\n");
      for (AuditReport.UnexplainedCall u : r.unexplained()) {
        row(b, Formats.time(u.eventTime()), u.requestID(), u.eventName(), u.principal(), Formats.context(u.encryptionContext()));
      }
      b.append("</table>\n");
      more(b, h.unexplained(), r.unexplained().size());
    }

    b.append("<h2>Key uses over time, per reason code</h2>\n");
    b.append(SvgCharts.usesOverTime(r.usesOverTime(), PALETTE));
    b.append("<h2>Revocation timeline</h2>\n<p class=\"muted\">Your DisableKey, EnableKey, PutKeyPolicy, "
        + "ScheduleKeyDeletion and CancelKeyDeletion calls beside the vendor's REVOKED and RESTORED events and the "
        + "calls KMS refused, with the time since your last change.</p>\n");
    b.append(SvgCharts.timeline(r.timeline()));
    if (!r.timeline().isEmpty()) {
      b.append("<table><tr><th>time</th><th>who</th><th>what</th><th>after your change</th><th>detail</th></tr>\n");
      for (AuditReport.TimelineEntry e : r.timeline()) {
        row(b, Formats.time(e.time()), e.party().name().toLowerCase(), e.what() + (e.count() > 1 ? " x" + e.count() : ""),
            Formats.since(e.sinceCustomerChange()), e.detail());
      }
      b.append("</table>\n");
    }

    b.append("<h2>KMS calls by the vendor, per operation and principal: ").append(h.vendorCalls()).append("</h2>\n");
    if (!r.calls().isEmpty()) {
      b.append("<table><tr><th>operation</th><th>principal</th><th>calls</th><th>failed</th><th>explained</th></tr>\n");
      for (AuditReport.CallCount c : r.calls()) {
        b.append("<tr><td>").append(esc(c.operation())).append("</td><td>").append(esc(c.principal())).append("</td>");
        num(b, c.calls());
        num(b, c.failed());
        num(b, c.explained());
        b.append("</tr>\n");
      }
      b.append("</table>\n");
    }

    b.append("<h2>Key uses per reason code, tenant and actor: ").append(h.keyUses()).append("</h2>\n");
    if (!r.uses().isEmpty()) {
      b.append("<table><tr><th>reason</th><th>tenant</th><th>actor</th><th>uses</th><th>from KMS</th><th>refused</th></tr>\n");
      for (AuditReport.KeyUse u : r.uses()) {
        b.append("<tr><td>").append(esc(u.reasonCode())).append("</td><td>").append(esc(u.tenant())).append("</td><td>")
            .append(esc(u.actor())).append("</td>");
        num(b, u.uses());
        num(b, u.fromKms());
        num(b, u.refused());
        b.append("</tr>\n");
      }
      b.append("</table>\n");
    }

    b.append("<h2>Denied calls: ").append(h.denied()).append("</h2>\n");
    if (!r.deniedSummary().isEmpty()) {
      b.append("<table><tr><th>operation</th><th>error code</th><th>calls</th><th>first</th><th>last</th></tr>\n");
      for (AuditReport.DeniedSummary d : r.deniedSummary()) {
        b.append("<tr><td>").append(esc(d.eventName())).append("</td><td>").append(esc(d.errorCode())).append("</td>");
        num(b, d.calls());
        b.append("<td>").append(esc(Formats.time(d.first()))).append("</td><td>").append(esc(Formats.time(d.last())))
            .append("</td></tr>\n");
      }
      b.append("</table>\n");
    }

    AuditReport.CacheEffect c = r.cache();
    b.append("<h2>Cache effect</h2>\n<p>").append(c.operations()).append(" operations, ").append(c.kmsCalls())
        .append(" KMS calls: <b>").append(esc(Formats.ratio(c.operationsPerKmsCall())))
        .append("</b> operations per KMS call (data key from the cache ").append(c.fromCache()).append(", from KMS ")
        .append(c.fromKms()).append(").</p>\n");
    if (!c.tenants().isEmpty()) {
      b.append("<table><tr><th>tenant</th><th>operations</th><th>from KMS</th><th>from the cache</th></tr>\n");
      for (AuditReport.TenantCache t : c.tenants()) {
        b.append("<tr><td>").append(esc(t.tenant())).append("</td>");
        num(b, t.operations());
        num(b, t.fromKms());
        num(b, t.fromCache());
        b.append("</tr>\n");
      }
      b.append("</table>\n");
    }

    b.append("<h2>Input</h2>\n<table class=\"meta\">");
    meta(b, "trail", in.trailSource() + ": " + in.logFilesRead() + " log files read, " + in.logFilesSkipped()
        + " unreadable, " + in.objectsIgnored() + " other objects ignored; " + in.records() + " records: "
        + in.kmsRecords() + " KMS in the window, " + in.recordsOutsideWindow() + " KMS outside it, "
        + in.otherServiceRecords() + " of other services (ignored), " + in.malformedRecords() + " malformed");
    meta(b, "events", in.eventSource() + ": " + in.events() + " used, " + in.eventLinesSkipped()
        + " lines not audit events, " + in.duplicateEvents() + " duplicates ignored, " + in.eventsOutsideWindow()
        + " outside the window, " + in.eventsWithUnknownFields() + " with unknown fields"
        + (in.unknownFields().isEmpty() ? "" : " (" + String.join(", ", in.unknownFields()) + ": ignored)"));
    b.append("</table>\n");
    if (!in.problems().isEmpty()) {
      b.append("<table><tr><th>skipped</th><th>why</th></tr>\n");
      for (AuditReport.Problem p : in.problems()) {
        row(b, p.where(), p.what());
      }
      b.append("</table>\n");
      if (in.problemsNotListed() > 0) {
        b.append("<p>... and ").append(in.problemsNotListed()).append(" more skipped.</p>\n");
      }
    }
    b.append("</body></html>\n");
    out.write(b.toString());
    out.flush();
  }

  private static void meta(StringBuilder b, String k, String v) {
    b.append("<tr><td class=\"muted\">").append(esc(k)).append("</td><td>").append(esc(v)).append("</td></tr>");
  }

  private static void row(StringBuilder b, String... cells) {
    b.append("<tr>");
    for (String c : cells) {
      b.append("<td>").append(esc(c)).append("</td>");
    }
    b.append("</tr>\n");
  }

  private static void num(StringBuilder b, long n) {
    b.append("<td class=\"n\">").append(n).append("</td>");
  }

  private static void more(StringBuilder b, long total, int listed) {
    if (total > listed) {
      b.append("<p>... and ").append(total - listed).append(" more not listed.</p>\n");
    }
  }

  /** HTML-escapes text for element content and double-quoted attributes. */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(Character.isISOControl(c) && c != '\n' && c != '\t' ? ' ' : c);
      }
    }
    return b.toString();
  }

  static List<String> palette() {
    return List.of(PALETTE);
  }
}
