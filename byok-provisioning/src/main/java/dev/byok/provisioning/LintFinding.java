package dev.byok.provisioning;

import java.util.Objects;

/**
 * One broken lint rule: which document, which statement (its Sid, or {@code #n} counting from 1, or
 * {@code (document)} for the whole document), which rule, and what is wrong.
 *
 * <p>Immutable and thread-safe.
 *
 * @param document the {@link PolicyDocuments} name of the document
 * @param statement the statement's Sid, {@code #n}, or {@code (document)}
 * @param rule the rule broken
 * @param message what is wrong
 */
public record LintFinding(String document, String statement, LintRule rule, String message) {
  /** Checks that no part is null. */
  public LintFinding {
    Objects.requireNonNull(document, "document");
    Objects.requireNonNull(statement, "statement");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(message, "message");
  }

  /**
   * {@code keyPolicy statement 'AllowVendorUseOfTheKey' breaks rule vendor-actions: ...}, or for a
   * {@linkplain LintRule#warning() warning} {@code ... warns by rule vendor-action-wildcard: ...}.
   */
  @Override
  public String toString() {
    return document + " statement '" + statement + "' " + (rule.warning() ? "warns by" : "breaks") + " rule " + rule.id() + ": " + message;
  }
}
