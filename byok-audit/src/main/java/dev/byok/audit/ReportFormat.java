package dev.byok.audit;

/** The formats of an {@link AuditReport}. */
public enum ReportFormat {
  /** Aligned text for people; the first line is the headline. */
  TEXT,
  /** One JSON document for scripts, with a top-level {@code "unexplained"} array. */
  JSON,
  /** One self-contained HTML file: inline CSS and SVG charts, no external assets, no JavaScript. */
  HTML
}
