package dev.byok.cli.internal;

/** How a command prints its result: for people, or as JSON for scripts. */
public enum OutputFormat {
  /** Aligned text for people. */
  text,
  /** One JSON document on standard output, for scripts. */
  json
}
