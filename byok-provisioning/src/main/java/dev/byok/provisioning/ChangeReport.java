package dev.byok.provisioning;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.core.HandoffBundle;
import dev.byok.provisioning.internal.Json;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What apply, revoke, restore or destroy changed: the write calls made (none when everything was
 * already in place), notes, and for apply the {@link HandoffBundle} for the vendor.
 *
 * <p>Immutable and thread-safe.
 */
public final class ChangeReport {
  private final String operation;
  private final ResourceNames names;
  private final List<Change> changes;
  private final List<String> notes;
  private final @Nullable HandoffBundle bundle;
  private final @Nullable String vendorSummary;

  ChangeReport(String operation, ResourceNames names, List<Change> changes, List<String> notes, @Nullable HandoffBundle bundle,
      @Nullable String vendorSummary) {
    this.operation = operation;
    this.names = names;
    this.changes = List.copyOf(changes);
    this.notes = List.copyOf(notes);
    this.bundle = bundle;
    this.vendorSummary = vendorSummary;
  }

  /** {@code apply}, {@code revoke}, {@code restore} or {@code destroy}. */
  public String operation() { return operation; }
  /** The names of the set-up's resources, with the account filled in. */
  public ResourceNames names() { return names; }
  /** The write calls made, in order; empty when nothing needed changing. */
  public List<Change> changes() { return changes; }
  /** What the operation found worth saying (a revocation left in place, a generated external ID, ...). */
  public List<String> notes() { return notes; }
  /** For apply: the bundle for the vendor (absent when the vendor writes no logs through a role). */
  public Optional<HandoffBundle> handoffBundle() { return Optional.ofNullable(bundle); }
  /** For apply: what to send to the vendor's technical contact, as readable text. */
  public Optional<String> vendorSummary() { return Optional.ofNullable(vendorSummary); }

  /** The report as readable text: the calls made, the notes, for apply the vendor summary and the bundle. */
  public String toText() {
    StringBuilder b = new StringBuilder();
    b.append(operation).append(": ").append(changes.size()).append(changes.size() == 1 ? " change" : " changes")
        .append(changes.isEmpty() ? " (" + nothingChanged() + ")" : "").append('\n');
    int i = 0;
    for (Change c : changes) {
      b.append(String.format("  %2d. %s %s%n", ++i, c.call(), c.resource()));
    }
    for (String n : notes) {
      b.append("  note: ").append(n).append('\n');
    }
    if (vendorSummary != null) {
      b.append('\n').append(vendorSummary);
    }
    if (bundle != null) {
      b.append("\nHand-off bundle (JSON):\n").append(bundle.toJson()).append('\n');
    }
    return b.toString();
  }

  /** Why an operation changed nothing, in its own terms. */
  private String nothingChanged() {
    return switch (operation) {
      case "destroy" -> "nothing to delete: no resource of the set-up was found";
      case "restore" -> "nothing to restore: no revocation was found";
      case "revoke" -> "the revocation was already in effect";
      default -> "everything was already in place";
    };
  }

  ObjectNode toJsonTree() {
    ObjectNode n = Json.object();
    n.put("operation", operation);
    n.put("changes", changes.size());
    ArrayNode c = n.putArray("calls");
    changes.forEach(ch -> c.addObject().put("step", ch.step()).put("call", ch.call()).put("resource", ch.resource()));
    ArrayNode no = n.putArray("notes");
    notes.forEach(no::add);
    if (bundle != null) {
      n.set("handoffBundle", Json.parsePolicy(bundle.toJson()));
    }
    if (vendorSummary != null) {
      n.put("vendorSummary", vendorSummary);
    }
    return n;
  }

  /** The report as indented JSON: {@code operation}, {@code changes} (the count), {@code calls}, {@code notes} and, for apply, {@code handoffBundle} and {@code vendorSummary}. */
  public String toJson() {
    return Json.pretty(toJsonTree());
  }

  @Override
  public String toString() {
    return "ChangeReport{" + operation + ", changes=" + changes.size() + "}";
  }
}
