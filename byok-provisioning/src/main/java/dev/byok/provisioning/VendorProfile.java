package dev.byok.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What one SaaS vendor needs from the customer's key: the KMS actions its accounts may use, whether
 * it writes key-use logs into the customer's log group through a role, and notes for the customer.
 * Built-in profiles are JSON resources ({@link #BUILT_IN}); a customer may load their own with
 * {@link #fromJson}. No vendor AWS account ID is part of a built-in profile: the customer supplies
 * them. A vendor's own profile may name its key-event bus ({@link #eventBus()}), to which the
 * customer's EventBridge rule forwards the key's events.
 *
 * <p>Rules enforced at construction: actions are {@code kms:} actions, never {@code kms:*} or
 * {@code *}, and never key administration (policy, deletion, grants, key state).
 *
 * <p>Immutable and thread-safe.
 */
public final class VendorProfile {
  /** Names of the built-in profiles, in the order the guide lists the vendors. */
  public static final List<String> BUILT_IN =
      List.of("slack", "atlassian", "asana", "miro", "mural", "salesforce", "box", "generic");

  /** The actions byok's vendor library calls, which the built-in profiles grant and nothing more. */
  public static final List<String> LEAST_PRIVILEGE_ACTIONS = List.of("kms:GenerateDataKey", "kms:Decrypt", "kms:DescribeKey");

  /** Actions a vendor may be granted: key use, never administration. */
  static final Set<String> ALLOWED_ACTIONS = Set.of(
      "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKey*",
      "kms:GenerateDataKeyWithoutPlaintext", "kms:GenerateDataKeyPair", "kms:GenerateDataKeyPairWithoutPlaintext",
      "kms:ReEncrypt*", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:DescribeKey", "kms:GetPublicKey",
      "kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant");

  /** Actions whose requests carry an encryption context (so {@code kms:EncryptionContext:} conditions apply). */
  static final Set<String> CONTEXT_ACTIONS = Set.of(
      "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKey*",
      "kms:GenerateDataKeyWithoutPlaintext", "kms:GenerateDataKeyPair", "kms:GenerateDataKeyPairWithoutPlaintext",
      "kms:ReEncrypt*", "kms:ReEncryptFrom", "kms:ReEncryptTo");

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final String displayName;
  private final List<String> actions;
  private final boolean logsViaRole;
  private final List<String> notes;
  private final @Nullable String eventBus;

  private VendorProfile(String name, String displayName, List<String> actions, boolean logsViaRole, List<String> notes,
      @Nullable String eventBus) {
    this.name = name;
    this.displayName = displayName;
    this.actions = actions;
    this.logsViaRole = logsViaRole;
    this.notes = notes;
    this.eventBus = eventBus;
  }

  /**
   * Creates a profile after checking every rule.
   *
   * @throws IllegalArgumentException naming the profile and what is wrong
   */
  public static VendorProfile create(@Nullable String name, @Nullable String displayName, @Nullable List<String> actions, boolean logsViaRole,
      @Nullable List<String> notes) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("vendor profile: name must be 1-64 of a-z 0-9 - (starting with a letter or digit), got '" + name + "'");
    }
    if (displayName == null || displayName.isBlank()) {
      throw new IllegalArgumentException("vendor profile '" + name + "': displayName is missing");
    }
    if (actions == null || actions.isEmpty()) {
      throw new IllegalArgumentException("vendor profile '" + name + "': actions must list at least one kms: action");
    }
    Set<String> seen = new LinkedHashSet<>();
    for (String a : actions) {
      if (!ALLOWED_ACTIONS.contains(a)) {
        throw new IllegalArgumentException("vendor profile '" + name + "': action '" + a
            + "' is not a key-use action a vendor may get (never kms:* or administration); allowed: " + new java.util.TreeSet<>(ALLOWED_ACTIONS));
      }
      if (!seen.add(a)) {
        throw new IllegalArgumentException("vendor profile '" + name + "': action '" + a + "' is listed twice");
      }
    }
    return new VendorProfile(name, displayName.strip(), List.copyOf(actions), logsViaRole,
        notes == null ? List.of() : List.copyOf(notes), null);
  }

  /**
   * This profile with the vendor's key-event bus, {@code arn:PARTITION:events:REGION:ACCOUNT:event-bus/NAME}.
   *
   * @throws IllegalArgumentException naming the rule the ARN breaks
   */
  public VendorProfile withEventBus(String eventBusArn) {
    ResourceNames.checkEventBusArn(eventBusArn);
    return new VendorProfile(name, displayName, actions, logsViaRole, notes, eventBusArn);
  }

  /**
   * Loads a built-in profile by name.
   *
   * @throws IllegalArgumentException listing the built-in names when {@code name} is not one of them
   */
  public static VendorProfile builtIn(String name) {
    if (name == null || !BUILT_IN.contains(name)) {
      throw new IllegalArgumentException("unknown vendor profile '" + name + "': built-in profiles are " + BUILT_IN
          + " (or give a profile file)");
    }
    try (InputStream in = VendorProfile.class.getResourceAsStream("vendors/" + name + ".json")) {
      if (in == null) {
        throw new IllegalStateException("built-in vendor profile resource vendors/" + name + ".json is missing from the jar");
      }
      return fromJson(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a profile: {@code {"name":..,"displayName":..,"actions":[..],"logsViaRole":true,"notes":[..]}},
   * optionally with {@code "eventBus":"arn:aws:events:..."}.
   *
   * @throws IllegalArgumentException naming the field that is missing or wrong
   */
  public static VendorProfile fromJson(String json) {
    JsonNode n;
    try {
      n = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("vendor profile: not valid JSON: " + e.getMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("vendor profile: expected a JSON object");
    }
    String name = n.path("name").asText(null);
    JsonNode logs = n.get("logsViaRole");
    if (logs == null || !logs.isBoolean()) {
      throw new IllegalArgumentException("vendor profile '" + name + "': logsViaRole must be true or false");
    }
    VendorProfile p = create(name, n.path("displayName").asText(null), strings(n, "actions", name), logs.booleanValue(),
        strings(n, "notes", name));
    JsonNode bus = n.get("eventBus");
    if (bus == null || bus.isNull()) {
      return p;
    }
    if (!bus.isTextual()) {
      throw new IllegalArgumentException("vendor profile '" + name + "': eventBus must be an event bus ARN (a string)");
    }
    try {
      return p.withEventBus(bus.asText());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("vendor profile '" + name + "': " + e.getMessage(), e);
    }
  }

  private static List<String> strings(JsonNode n, String field, String profile) {
    JsonNode a = n.get(field);
    if (a == null) {
      return List.of();
    }
    if (!a.isArray()) {
      throw new IllegalArgumentException("vendor profile '" + profile + "': " + field + " must be an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : a) {
      if (!e.isTextual()) {
        throw new IllegalArgumentException("vendor profile '" + profile + "': " + field + " must be an array of strings");
      }
      out.add(e.asText());
    }
    return out;
  }

  /** The profile's name, such as {@code slack}. */
  public String name() { return name; }
  /** The vendor's name for people, such as {@code Slack}. */
  public String displayName() { return displayName; }
  /** The KMS actions the vendor's accounts may use, in profile order. */
  public List<String> actions() { return actions; }
  /** Whether the vendor writes key-use logs into the customer's log group through the log role. */
  public boolean logsViaRole() { return logsViaRole; }
  /** Notes for the customer (what the vendor documents about its BYOK set-up). */
  public List<String> notes() { return notes; }
  /** The vendor's key-event bus ARN, when the profile names one. */
  public Optional<String> eventBus() { return Optional.ofNullable(eventBus); }

  /** The profile's actions that carry an encryption context. */
  public List<String> contextActions() {
    List<String> out = new ArrayList<>();
    for (String a : actions) {
      if (CONTEXT_ACTIONS.contains(a)) {
        out.add(a);
      }
    }
    return Collections.unmodifiableList(out);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof VendorProfile)) {
      return false;
    }
    VendorProfile v = (VendorProfile) o;
    return name.equals(v.name) && displayName.equals(v.displayName) && actions.equals(v.actions)
        && logsViaRole == v.logsViaRole && notes.equals(v.notes) && java.util.Objects.equals(eventBus, v.eventBus);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(name, displayName, actions, logsViaRole, notes, eventBus);
  }

  @Override
  public String toString() {
    return "VendorProfile{" + name + ", actions=" + actions + ", logsViaRole=" + logsViaRole
        + (eventBus == null ? "" : ", eventBus=" + eventBus) + "}";
  }
}
