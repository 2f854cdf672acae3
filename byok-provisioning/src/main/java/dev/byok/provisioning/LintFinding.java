package dev.byok.provisioning;

import java.util.Objects;

/**
 * One broken lint rule: which document, which statement (its Sid, or {@code #n} counting from 1, or
 * {@code (document)} for the whole document), which rule, and what is wrong.
 *
 * <p>Immutable and thread-safe.
 */
public final class LintFinding {
  private final String document;
  private final String statement;
  private final LintRule rule;
  private final String message;

  LintFinding(String document, String statement, LintRule rule, String message) {
    this.document = Objects.requireNonNull(document);
    this.statement = Objects.requireNonNull(statement);
    this.rule = Objects.requireNonNull(rule);
    this.message = Objects.requireNonNull(message);
  }

  public String document() { return document; }
  public String statement() { return statement; }
  public LintRule rule() { return rule; }
  public String message() { return message; }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof LintFinding)) {
      return false;
    }
    LintFinding f = (LintFinding) o;
    return document.equals(f.document) && statement.equals(f.statement) && rule == f.rule && message.equals(f.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(document, statement, rule, message);
  }

  /** {@code keyPolicy statement 'AllowVendorUseOfTheKey' breaks rule vendor-actions: ...}. */
  @Override
  public String toString() {
    return document + " statement '" + statement + "' breaks rule " + rule.id() + ": " + message;
  }
}
