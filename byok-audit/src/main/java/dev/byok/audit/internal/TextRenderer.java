package dev.byok.audit.internal;

import dev.byok.audit.AuditReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * The text report: the headline first, then the unexplained calls, the vendor's calls, the key
 * uses, the denied calls, the revocation timeline, the cache's effect and the input. Stateless.
 */
public final class TextRenderer {
  private TextRenderer() {}

  /** The first line: completeness, the unexplained count, the vendor's calls. */
  public static String headlineLine(AuditReport r) {
    AuditReport.Headline h = r.headline();
    String state = r.complete() ? "complete input" : "INCOMPLETE INPUT (" + String.join(", ", r.incompleteReasons())
        + "; see Input)";
    return "byok audit report: " + state + "; unexplained=" + h.unexplained() + " vendor_kms_calls=" + h.vendorCalls()
        + " explained=" + h.explained() + " denied=" + h.denied() + " key_uses=" + h.keyUses()
        + (h.unexplained() > 0 ? "  << " + Formats.plural(h.unexplained(), "KMS call", "KMS calls")
        + " by the vendor without a reason" : "");
  }

  /** Writes the whole text report. */
  public static void write(AuditReport r, Writer w) throws IOException {
    PrintWriter out = new PrintWriter(w);
    AuditReport.Headline h = r.headline();
    AuditReport.InputSummary in = r.input();
    out.println(headlineLine(r));
    out.println("  window          " + Formats.window(r.window()));
    out.println("  vendor accounts " + (r.vendorAccounts().isEmpty() ? "(none seen)" : String.join(", ", r.vendorAccounts()))
        + (r.vendorAccountsGiven() ? "" : " (every caller account other than the key's own)"));
    out.println("  trail           " + in.trailSource() + ": " + h.kmsRecords() + " KMS records in the window");
    out.println("  events          " + in.eventSource() + ": " + in.events() + " audit events in the window");

    out.println();
    out.println("Unexplained calls: " + h.unexplained() + " cryptographic KMS calls by the vendor with no audit event"
        + (h.unexplained() == 0 ? "" : " (each is a use of the key without a stated reason)"));
    if (!r.unexplained().isEmpty()) {
      out.printf("  %-24s  %-36s  %-16s  %-40s  %s%n", "time", "requestID", "operation", "principal", "encryption context");
      for (AuditReport.UnexplainedCall u : r.unexplained()) {
        out.printf("  %-24s  %-36s  %-16s  %-40s  %s%n", Formats.time(u.eventTime()), u.requestID(), u.eventName(),
            u.principal(), Formats.context(u.encryptionContext()));
      }
      more(out, h.unexplained(), r.unexplained().size());
    }

    out.println();
    out.println("KMS calls by the vendor, per operation and principal: " + h.vendorCalls() + " ("
        + h.vendorCryptoCalls() + " cryptographic, " + h.explained() + " explained by an audit event)");
    if (!r.calls().isEmpty()) {
      out.printf("  %-20s  %-52s  %6s  %6s  %9s%n", "operation", "principal", "calls", "failed", "explained");
      for (AuditReport.CallCount c : r.calls()) {
        out.printf("  %-20s  %-52s  %6d  %6d  %9d%n", c.operation(), c.principal(), c.calls(), c.failed(), c.explained());
      }
    }

    out.println();
    out.println("Key uses per reason code, tenant and actor (the vendor's events; cache hits included): " + h.keyUses());
    if (!r.uses().isEmpty()) {
      out.printf("  %-24s  %-16s  %-20s  %6s  %8s  %7s%n", "reason", "tenant", "actor", "uses", "from KMS", "refused");
      for (AuditReport.KeyUse u : r.uses()) {
        out.printf("  %-24s  %-16s  %-20s  %6d  %8d  %7d%n", u.reasonCode(), u.tenant(), u.actor(), u.uses(), u.fromKms(),
            u.refused());
      }
    }

    out.println();
    out.println("Denied calls (KMS refused the vendor): " + h.denied());
    for (AuditReport.DeniedSummary d : r.deniedSummary()) {
      out.printf("  %-20s  %-28s  %6d  %s .. %s%n", d.eventName(), d.errorCode(), d.calls(), Formats.time(d.first()),
          Formats.time(d.last()));
    }
    for (AuditReport.DeniedCall d : r.denied()) {
      out.printf("    %-24s  %-16s  %-28s  request %s%s%n", Formats.time(d.eventTime()), d.eventName(), d.errorCode(),
          d.requestID(), d.hasEvent() ? "  (the vendor logged it)" : "  (no audit event)");
    }
    more(out, h.denied(), r.denied().size());

    out.println();
    out.println("Revocation timeline (the customer's key changes, the vendor's REVOKED/RESTORED events and denied calls)");
    if (r.timeline().isEmpty()) {
      out.println("  (no key changes, revocations or denied calls in the window)");
    }
    for (AuditReport.TimelineEntry e : r.timeline()) {
      out.printf("  %-24s  %-8s  %-24s  %-14s  %s%n", Formats.time(e.time()), e.party().name().toLowerCase(),
          e.what() + (e.count() > 1 ? " x" + e.count() : ""), Formats.since(e.sinceCustomerChange()), e.detail());
    }

    out.println();
    AuditReport.CacheEffect c = r.cache();
    out.println("Cache effect: " + c.operations() + " operations, " + c.kmsCalls() + " KMS calls: "
        + Formats.ratio(c.operationsPerKmsCall()) + " operations per KMS call (data key from the cache "
        + c.fromCache() + ", from KMS " + c.fromKms() + ")");
    for (AuditReport.TenantCache t : c.tenants()) {
      out.printf("  %-16s  %6d operations  %5d from KMS  %6d from the cache%n", t.tenant(), t.operations(), t.fromKms(),
          t.fromCache());
    }

    out.println();
    out.println("Input");
    out.println("  trail   " + in.trailSource() + ": " + in.logFilesRead() + " log files read, " + in.logFilesSkipped()
        + " unreadable, " + in.objectsIgnored() + " other objects ignored; " + in.records() + " records: "
        + in.kmsRecords() + " KMS in the window, " + in.recordsOutsideWindow() + " KMS outside it, "
        + in.otherServiceRecords() + " of other services (ignored), " + in.malformedRecords() + " malformed");
    out.println("  events  " + in.eventSource() + ": " + in.events() + " used, " + in.eventLinesSkipped()
        + " lines not audit events, " + in.duplicateEvents() + " duplicates ignored, " + in.eventsOutsideWindow()
        + " outside the window, " + in.eventsWithUnknownFields() + " with unknown fields"
        + (in.unknownFields().isEmpty() ? "" : " (" + String.join(", ", in.unknownFields()) + ": ignored)"));
    if (in.eventsWithoutTrailRecord() > 0) {
      out.println("  " + in.eventsWithoutTrailRecord() + " events carry a KMS request ID that no trail record in the "
          + "window has (trail delivery lags up to 15 minutes; cross-account calls KMS denied are logged in the "
          + "caller's account only)");
    }
    for (AuditReport.Problem p : in.problems()) {
      out.println("  SKIPPED " + p.where() + ": " + p.what());
    }
    if (in.problemsNotListed() > 0) {
      out.println("  ... and " + in.problemsNotListed() + " more skipped");
    }
    out.flush();
  }

  private static void more(PrintWriter out, long total, int listed) {
    if (total > listed) {
      out.println("  ... and " + (total - listed) + " more not listed");
    }
  }
}
