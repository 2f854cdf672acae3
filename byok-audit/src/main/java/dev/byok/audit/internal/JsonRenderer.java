package dev.byok.audit.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.byok.audit.AuditReport;
import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON report: one object whose first members are the text report's headline line and
 * {@code complete}, then the counts, the top-level {@code "unexplained"} array (one object per
 * unexplained call, each with its {@code requestID}) and the other parts, serialized from the
 * report's records. Times are ISO-8601 UTC, durations ISO-8601 ({@code PT1.352S}). Stateless.
 */
public final class JsonRenderer {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new SimpleModule("byok-audit-time")
          .addSerializer(Instant.class, ToStringSerializer.instance)
          .addSerializer(Duration.class, ToStringSerializer.instance))
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET);

  private JsonRenderer() {}

  /** Writes the report as JSON. */
  public static void write(AuditReport r, Writer out) throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("headline", r.headlineLine());
    doc.put("complete", r.complete());
    doc.put("incompleteReasons", r.incompleteReasons());
    doc.put("unexplainedCount", r.headline().unexplained());
    doc.put("counts", r.headline());
    doc.put("generatedAt", r.generatedAt());
    doc.put("window", r.window());
    doc.put("vendorAccounts", r.vendorAccounts());
    doc.put("vendorAccountsGiven", r.vendorAccountsGiven());
    doc.put("unexplained", r.unexplained());
    doc.put("calls", r.calls());
    doc.put("uses", r.uses());
    doc.put("denied", r.denied());
    doc.put("deniedSummary", r.deniedSummary());
    doc.put("timeline", r.timeline());
    doc.put("cache", r.cache());
    doc.put("usesOverTime", r.usesOverTime());
    doc.put("input", r.input());
    MAPPER.writeValue(out, doc);
    out.write('\n');
    out.flush();
  }
}
