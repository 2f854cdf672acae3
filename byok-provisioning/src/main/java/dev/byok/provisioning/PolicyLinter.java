package dev.byok.provisioning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.core.AwsAccountId;
import dev.byok.core.ProvisioningException;
import dev.byok.provisioning.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Checks policy documents against the {@link LintRule}s before anything is written. Which rules
 * apply depends on the document: {@link LintRule#NO_LOCKOUT} and {@link LintRule#VENDOR_ACTIONS} to
 * key policies, {@link LintRule#LOG_POLICY_COVERAGE} to the log policy,
 * {@link LintRule#TRUST_EXTERNAL_ID} to the trust policy, {@link LintRule#SERVICE_TRUST_SOURCE} to
 * the key-event role's trust policy, only {@link LintRule#KEY_EVENT_PATTERN} to the key-event
 * pattern (not a policy), the others to all policies.
 *
 * <pre>{@code
 * PolicyLinter linter = PolicyLinter.forSpec(spec, names, false);
 * linter.check(PolicyDocuments.KEY_POLICY, json);   // throws ProvisioningException naming statement and rule
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class PolicyLinter {
  /** Size limits in bytes of the compact JSON. */
  static final int MAX_KEY_POLICY_BYTES = 32 * 1024;
  static final int MAX_BUCKET_POLICY_BYTES = 20 * 1024;
  static final int MAX_MANAGED_POLICY_BYTES = 6 * 1024;
  static final int MAX_TRUST_POLICY_BYTES = 2 * 1024;
  static final int MAX_INLINE_ROLE_POLICY_BYTES = 10 * 1024;
  /** EventBridge's default quota for an event pattern, in characters. */
  static final int MAX_EVENT_PATTERN_CHARS = 2048;
  /** The calls a key-event pattern must forward: every one that cuts the vendor's access. */
  static final List<String> DENY_LIKE_CALLS = List.of("DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy", "RevokeGrant");
  private static final Pattern KEY_ARN = Pattern.compile("arn:[a-z-]+:kms:[a-z0-9-]+:([^:]+):key/([^/]+)");

  private static final Pattern IAM_ARN_ACCOUNT = Pattern.compile("arn:[a-z-]+:(?:iam|sts)::([^:]*):.*");
  private static final Pattern ARN_ACCOUNT = Pattern.compile("arn:[a-z-]+:[a-z0-9-]+:[^:]*:([^:]*):.*");
  private static final Set<String> ACCOUNT_CONDITION_KEYS = Set.of("kms:calleraccount", "aws:sourceaccount", "aws:principalaccount");

  private final @Nullable VendorProfile vendor;
  private final Set<String> vendorPrincipals;
  private final Set<String> administrators;
  private final String logGroupName;
  private final boolean allowPlaceholders;
  private final int otherLimitBytes;

  private PolicyLinter(@Nullable VendorProfile vendor, Set<String> vendorPrincipals, Set<String> administrators, String logGroupName,
      boolean allowPlaceholders, int otherLimitBytes) {
    this.otherLimitBytes = otherLimitBytes;
    this.vendor = vendor;
    this.vendorPrincipals = vendorPrincipals;
    this.administrators = administrators;
    this.logGroupName = logGroupName;
    this.allowPlaceholders = allowPlaceholders;
  }

  /**
   * A linter for the documents of {@code spec}. With {@code allowPlaceholders} (an offline plan),
   * {@link ResourceNames#ACCOUNT_PLACEHOLDER} and {@link PolicyDocuments#EXTERNAL_ID_PLACEHOLDER}
   * count as valid; before a write they never do.
   */
  public static PolicyLinter forSpec(ProvisioningSpec spec, ResourceNames names, boolean allowPlaceholders) {
    Set<String> admins = new LinkedHashSet<>();
    admins.add(names.rootArn());
    admins.addAll(spec.keyAdministrators());
    return new PolicyLinter(spec.vendor(), new LinkedHashSet<>(PolicyDocuments.vendorRoots(spec, names.partition())), admins,
        names.logGroupName(), allowPlaceholders, MAX_MANAGED_POLICY_BYTES);
  }

  /**
   * A linter with only the rules every policy obeys (structure, size, principals, account IDs), for
   * documents outside a customer's set-up such as the vendor's key-event bus, topic and queue
   * policies; {@code limitBytes} is the service's size limit for them.
   */
  static PolicyLinter generic(int limitBytes) {
    return new PolicyLinter(null, Set.of(), Set.of(), "", false, limitBytes);
  }

  /** Lints every document of {@code docs}. */
  public List<LintFinding> lint(PolicyDocuments docs) {
    List<LintFinding> out = new ArrayList<>();
    for (String name : docs.names()) {
      out.addAll(lint(name, docs.get(name)));
    }
    return out;
  }

  /**
   * Lints one document given as JSON text; {@code name} is one of the {@link PolicyDocuments} names
   * and selects the rules. Text that is not JSON is one {@link LintRule#STRUCTURE} finding.
   */
  public List<LintFinding> lint(String name, String json) {
    JsonNode doc;
    try {
      doc = Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      return List.of(new LintFinding(name, "(document)", LintRule.STRUCTURE, "not valid JSON: " + e.getOriginalMessage()));
    }
    return lint(name, doc);
  }

  /** Lints one document given as a tree. */
  List<LintFinding> lint(String name, @Nullable JsonNode doc) {
    List<LintFinding> out = new ArrayList<>();
    if (name.equals(PolicyDocuments.KEY_EVENT_PATTERN)) {
      keyEventPattern(name, doc, out);
      return out;
    }
    boolean keyPolicy = name.equals(PolicyDocuments.KEY_POLICY) || name.equals(PolicyDocuments.LOG_KEY_POLICY);
    boolean identityPolicy = name.equals(PolicyDocuments.LOG_POLICY) || name.equals(PolicyDocuments.KEY_EVENTS_POLICY);
    if (!structure(name, doc, identityPolicy, out)) {
      return out;
    }
    size(name, doc, out);
    int i = 0;
    for (JsonNode s : doc.get("Statement")) {
      i++;
      String sid = s.hasNonNull("Sid") ? s.get("Sid").asText() : "#" + i;
      wildcardPrincipal(name, sid, s, out);
      accountIds(name, sid, s, out);
      if (name.equals(PolicyDocuments.KEY_POLICY)) {
        vendorActions(name, sid, s, out);
      }
      if (name.equals(PolicyDocuments.TRUST_POLICY)) {
        trustExternalId(name, sid, s, out);
      }
      if (name.equals(PolicyDocuments.KEY_EVENTS_TRUST_POLICY)) {
        serviceTrustSource(name, sid, s, out);
      }
    }
    if (keyPolicy) {
      noLockout(name, doc, out);
    }
    if (name.equals(PolicyDocuments.LOG_POLICY)) {
      logCoverage(name, doc, out);
    }
    return out;
  }

  /**
   * The warnings for {@code docs}: one {@link LintRule#VENDOR_ACTION_WILDCARD} finding for each
   * wildcard action that a statement of the key policy allows the vendor's accounts (a profile
   * that widened the least-privilege actions). Warnings never stop an operation; {@code kms:*}
   * and {@code *} stay errors of {@link LintRule#VENDOR_ACTIONS}.
   */
  public List<LintFinding> warnings(PolicyDocuments docs) {
    List<LintFinding> out = new ArrayList<>();
    if (!docs.has(PolicyDocuments.KEY_POLICY)) {
      return out;
    }
    int i = 0;
    for (JsonNode s : docs.get(PolicyDocuments.KEY_POLICY).path("Statement")) {
      i++;
      String sid = s.hasNonNull("Sid") ? s.get("Sid").asText() : "#" + i;
      if (!"Allow".equals(s.path("Effect").asText()) || !isVendorStatement(s)) {
        continue;
      }
      for (String a : values(s.get("Action"))) {
        if (a.contains("*") && !a.equals("*") && !a.equalsIgnoreCase("kms:*")) {
          out.add(new LintFinding(PolicyDocuments.KEY_POLICY, sid, LintRule.VENDOR_ACTION_WILDCARD, "action " + a + " grants "
              + wildcardMatches(a) + "; byok calls only " + String.join(", ", VendorProfile.LEAST_PRIVILEGE_ACTIONS)
              + " (name the actions the vendor needs instead)"));
        }
      }
    }
    return out;
  }

  private static List<String> wildcardMatches(String wildcard) {
    String prefix = wildcard.substring(0, wildcard.indexOf('*'));
    return VendorProfile.ALLOWED_ACTIONS.stream().filter(x -> !x.contains("*") && x.startsWith(prefix)).sorted().toList();
  }

  /**
   * Lints a document given as JSON text and throws on the first finding.
   *
   * @throws ProvisioningException whose message names the document, statement and rule
   */
  public void check(String name, String json) {
    throwFirst(lint(name, json));
  }

  /** Lints a tree and throws on the first finding. */
  void check(String name, JsonNode doc) {
    throwFirst(lint(name, doc));
  }

  private static void throwFirst(List<LintFinding> f) {
    if (!f.isEmpty()) {
      throw new ProvisioningException("lint: " + f.get(0) + (f.size() > 1 ? " (and " + (f.size() - 1) + " more)" : ""));
    }
  }

  /** Lints every document and throws on the first finding. */
  public void check(PolicyDocuments docs) {
    for (String n : docs.names()) {
      check(n, docs.get(n));
    }
  }

  // ---- rules ----

  private boolean structure(String name, @Nullable JsonNode doc, boolean identityPolicy, List<LintFinding> out) {
    String whole = "(document)";
    if (doc == null || !doc.isObject()) {
      out.add(new LintFinding(name, whole, LintRule.STRUCTURE, "not a JSON object"));
      return false;
    }
    if (!PolicyDocuments.VERSION.equals(doc.path("Version").asText())) {
      out.add(new LintFinding(name, whole, LintRule.STRUCTURE, "Version must be " + PolicyDocuments.VERSION));
    }
    JsonNode st = doc.get("Statement");
    if (st == null || !st.isArray() || st.isEmpty()) {
      out.add(new LintFinding(name, whole, LintRule.STRUCTURE, "Statement must be a non-empty array"));
      return false;
    }
    Set<String> sids = new HashSet<>();
    int i = 0;
    int before = out.size();
    for (JsonNode s : st) {
      i++;
      String sid = s.hasNonNull("Sid") ? s.get("Sid").asText() : "#" + i;
      if (!s.isObject()) {
        out.add(new LintFinding(name, sid, LintRule.STRUCTURE, "a statement must be a JSON object"));
        continue;
      }
      if (s.hasNonNull("Sid") && !sids.add(sid)) {
        out.add(new LintFinding(name, sid, LintRule.STRUCTURE, "Sid is used by more than one statement"));
      }
      String effect = s.path("Effect").asText("");
      if (!effect.equals("Allow") && !effect.equals("Deny")) {
        out.add(new LintFinding(name, sid, LintRule.STRUCTURE, "Effect must be Allow or Deny, got '" + effect + "'"));
      }
      if (values(s.get("Action")).isEmpty() && values(s.get("NotAction")).isEmpty()) {
        out.add(new LintFinding(name, sid, LintRule.STRUCTURE, "Action is missing"));
      }
      boolean hasPrincipal = s.has("Principal") || s.has("NotPrincipal");
      if (identityPolicy && hasPrincipal) {
        out.add(new LintFinding(name, sid, LintRule.STRUCTURE, "an identity policy statement must not have a Principal"));
      }
      if (!identityPolicy && !hasPrincipal) {
        out.add(new LintFinding(name, sid, LintRule.STRUCTURE, "a resource or trust policy statement needs a Principal"));
      }
      if (identityPolicy && values(s.get("Resource")).isEmpty()) {
        out.add(new LintFinding(name, sid, LintRule.STRUCTURE, "Resource is missing"));
      }
      if (s.has("Principal") && !(s.get("Principal").isObject() || "*".equals(s.get("Principal").asText()))) {
        out.add(new LintFinding(name, sid, LintRule.STRUCTURE, "Principal must be \"*\" or an object such as {\"AWS\": [...]}"));
      }
    }
    return out.size() == before;
  }

  private void size(String name, JsonNode doc, List<LintFinding> out) {
    int limit;
    switch (name) {
      case PolicyDocuments.KEY_POLICY:
      case PolicyDocuments.LOG_KEY_POLICY:
        limit = MAX_KEY_POLICY_BYTES;
        break;
      case PolicyDocuments.BUCKET_POLICY:
        limit = MAX_BUCKET_POLICY_BYTES;
        break;
      case PolicyDocuments.TRUST_POLICY:
      case PolicyDocuments.KEY_EVENTS_TRUST_POLICY:
        limit = MAX_TRUST_POLICY_BYTES;
        break;
      case PolicyDocuments.KEY_EVENTS_POLICY:
        limit = MAX_INLINE_ROLE_POLICY_BYTES;
        break;
      case PolicyDocuments.LOG_POLICY:
        limit = MAX_MANAGED_POLICY_BYTES;
        break;
      default:
        limit = otherLimitBytes;
    }
    int bytes = doc.toString().getBytes(StandardCharsets.UTF_8).length;
    if (bytes > limit) {
      out.add(new LintFinding(name, "(document)", LintRule.SIZE, bytes + " bytes is over the limit of " + limit + " bytes"));
    }
  }

  private void wildcardPrincipal(String name, String sid, JsonNode s, List<LintFinding> out) {
    if (principals(s).contains("*") && !hasCondition(s)) {
      out.add(new LintFinding(name, sid, LintRule.WILDCARD_PRINCIPAL, "principal * without a Condition applies to everyone"));
    }
  }

  private void accountIds(String name, String sid, JsonNode s, List<LintFinding> out) {
    for (String p : principals(s)) {
      Matcher m = IAM_ARN_ACCOUNT.matcher(p);
      if (m.matches()) {
        checkAccount(name, sid, m.group(1), "principal " + p, out);
      } else if (p.matches("[0-9]+")) {
        checkAccount(name, sid, p, "principal " + p, out);
      }
    }
    JsonNode cond = s.get("Condition");
    if (cond != null && cond.isObject()) {
      for (Map.Entry<String, JsonNode> op : iterable(cond)) {
        for (Map.Entry<String, JsonNode> kv : iterable(op.getValue())) {
          String key = kv.getKey().toLowerCase(java.util.Locale.ROOT);
          for (String v : values(kv.getValue())) {
            if (ACCOUNT_CONDITION_KEYS.contains(key)) {
              checkAccount(name, sid, v, kv.getKey(), out);
            } else if (key.equals("aws:sourcearn")) {
              Matcher m = ARN_ACCOUNT.matcher(v);
              if (m.matches() && !m.group(1).isEmpty()) {
                checkAccount(name, sid, m.group(1), "aws:SourceArn " + v, out);
              }
            }
          }
        }
      }
    }
  }

  private void checkAccount(String name, String sid, String account, String where, List<LintFinding> out) {
    if (allowPlaceholders && account.equals(ResourceNames.ACCOUNT_PLACEHOLDER)) {
      return;
    }
    try {
      AwsAccountId.of(account);
    } catch (IllegalArgumentException e) {
      out.add(new LintFinding(name, sid, LintRule.ACCOUNT_ID, "account ID '" + account + "' in " + where + " is not 12 digits"));
    }
  }

  private void vendorActions(String name, String sid, JsonNode s, List<LintFinding> out) {
    if (vendor == null || !"Allow".equals(s.path("Effect").asText())) {
      return;
    }
    if (!isVendorStatement(s)) {
      return;
    }
    if (s.has("NotAction")) {
      out.add(new LintFinding(name, sid, LintRule.VENDOR_ACTIONS, "NotAction grants the vendor everything else; list the profile's actions"));
    }
    for (String a : values(s.get("Action"))) {
      if (a.equals("*") || a.equalsIgnoreCase("kms:*")) {
        out.add(new LintFinding(name, sid, LintRule.VENDOR_ACTIONS, "the vendor must never get " + a));
      } else if (!vendor.actions().contains(a)) {
        out.add(new LintFinding(name, sid, LintRule.VENDOR_ACTIONS, "action " + a + " is not in the " + vendor.name()
            + " profile's actions " + vendor.actions()));
      }
    }
  }

  /** Whether statement {@code s} names the vendor's (or any foreign) account as a principal. */
  private boolean isVendorStatement(JsonNode s) {
    for (String p : principals(s)) {
      if (vendorPrincipals.contains(p) || (isAccountPrincipal(p) && !administrators.contains(p) && !isOwnAccount(p))) {
        return true;
      }
    }
    return false;
  }

  private boolean isAccountPrincipal(String p) {
    return p.matches("arn:[a-z-]+:iam::[^:]*:root") || p.matches("[0-9]{12}");
  }

  private boolean isOwnAccount(String p) {
    for (String a : administrators) {
      if (a.endsWith(":root") && a.equals(p)) {
        return true;
      }
    }
    return false;
  }

  private void noLockout(String name, JsonNode doc, List<LintFinding> out) {
    boolean managed = false;
    int i = 0;
    for (JsonNode s : doc.get("Statement")) {
      i++;
      String sid = s.hasNonNull("Sid") ? s.get("Sid").asText() : "#" + i;
      Set<String> ps = principals(s);
      Set<String> actions = values(s.get("Action"));
      boolean admin = false;
      for (String p : ps) {
        if (administrators.contains(p) || p.equals("*")) {
          admin = true;
        }
      }
      boolean touchesPolicy = actions.contains("kms:*") || actions.contains("*") || actions.contains("kms:PutKeyPolicy")
          || actions.contains("kms:Put*") || s.has("NotAction");
      String effect = s.path("Effect").asText();
      if (effect.equals("Deny") && admin && touchesPolicy && !hasCondition(s)) {
        out.add(new LintFinding(name, sid, LintRule.NO_LOCKOUT, "denies the account root or an administrator the right to change the key policy"));
      }
      if (effect.equals("Allow") && !hasCondition(s) && touchesPolicy && !s.has("NotAction")) {
        for (String p : ps) {
          if (administrators.contains(p)) {
            managed = true;
          }
        }
      }
    }
    if (!managed) {
      out.add(new LintFinding(name, "(document)", LintRule.NO_LOCKOUT,
          "no statement lets the account root or a key administrator change the key policy (kms:PutKeyPolicy); the key would be unmanageable"));
    }
  }

  private void logCoverage(String name, JsonNode doc, List<LintFinding> out) {
    boolean group = false;
    boolean streams = false;
    for (JsonNode s : doc.get("Statement")) {
      if (!"Allow".equals(s.path("Effect").asText()) || !values(s.get("Action")).containsAll(PolicyDocuments.LOG_ACTIONS)) {
        continue;
      }
      for (String r : values(s.get("Resource"))) {
        if (r.endsWith(":log-group:" + logGroupName)) {
          group = true;
        }
        if (r.endsWith(":log-group:" + logGroupName + ":log-stream:*")) {
          streams = true;
        }
      }
    }
    if (!group || !streams) {
      out.add(new LintFinding(name, "(document)", LintRule.LOG_POLICY_COVERAGE, "one statement must allow " + PolicyDocuments.LOG_ACTIONS
          + " on both the log group " + logGroupName + " and its streams (…:log-group:" + logGroupName + ":log-stream:*); missing "
          + (!group ? "the group" : "") + (!group && !streams ? " and " : "") + (!streams ? "the streams" : "")));
    }
  }

  private void trustExternalId(String name, String sid, JsonNode s, List<LintFinding> out) {
    if (!"Allow".equals(s.path("Effect").asText())) {
      return;
    }
    Set<String> actions = values(s.get("Action"));
    if (!(actions.contains("sts:AssumeRole") || actions.contains("sts:*") || actions.contains("*"))) {
      return;
    }
    JsonNode ids = s.path("Condition").path("StringEquals").get("sts:ExternalId");
    Set<String> vs = values(ids);
    boolean ok = !vs.isEmpty();
    for (String v : vs) {
      if (v.isEmpty() || (!allowPlaceholders && v.equals(PolicyDocuments.EXTERNAL_ID_PLACEHOLDER))) {
        ok = false;
      }
    }
    if (!ok) {
      out.add(new LintFinding(name, sid, LintRule.TRUST_EXTERNAL_ID, "sts:AssumeRole needs Condition StringEquals sts:ExternalId with the external ID"));
    }
  }

  private void serviceTrustSource(String name, String sid, JsonNode s, List<LintFinding> out) {
    if (!"Allow".equals(s.path("Effect").asText()) || values(s.path("Principal").get("Service")).isEmpty()) {
      return;
    }
    JsonNode cond = s.get("Condition");
    boolean named = false;
    if (cond != null && cond.isObject()) {
      for (Map.Entry<String, JsonNode> op : iterable(cond)) {
        for (Map.Entry<String, JsonNode> kv : iterable(op.getValue())) {
          String key = kv.getKey().toLowerCase(java.util.Locale.ROOT);
          if ((key.equals("aws:sourcearn") || key.equals("aws:sourceaccount")) && !values(kv.getValue()).isEmpty()) {
            named = true;
          }
        }
      }
    }
    if (!named) {
      out.add(new LintFinding(name, sid, LintRule.SERVICE_TRUST_SOURCE,
          "a service may assume the role for anyone's resources; add Condition aws:SourceArn (the rule) or aws:SourceAccount"));
    }
  }

  private void keyEventPattern(String name, @Nullable JsonNode p, List<LintFinding> out) {
    String whole = "(pattern)";
    if (p == null || !p.isObject()) {
      out.add(new LintFinding(name, whole, LintRule.KEY_EVENT_PATTERN, "not a JSON object"));
      return;
    }
    int chars = p.toString().length();
    if (chars > MAX_EVENT_PATTERN_CHARS) {
      out.add(new LintFinding(name, whole, LintRule.SIZE, chars + " characters is over EventBridge's default of " + MAX_EVENT_PATTERN_CHARS));
    }
    exactly(name, p.get("source"), "source", List.of("aws.kms"), out);
    exactly(name, p.get("detail-type"), "detail-type", List.of(PolicyDocuments.CLOUDTRAIL_DETAIL_TYPE), out);
    JsonNode detail = p.path("detail");
    exactly(name, detail.get("eventSource"), "detail.eventSource", List.of("kms.amazonaws.com"), out);
    List<String> calls = strings(detail.get("eventName"));
    if (calls == null || calls.isEmpty()) {
      out.add(new LintFinding(name, "detail.eventName", LintRule.KEY_EVENT_PATTERN, "must list the KMS calls to forward"));
    } else {
      for (String c : calls) {
        if (!PolicyDocuments.KEY_EVENT_NAMES.contains(c)) {
          out.add(new LintFinding(name, "detail.eventName", LintRule.KEY_EVENT_PATTERN, "call " + c
              + " changes no access; forward only " + PolicyDocuments.KEY_EVENT_NAMES));
        }
      }
      for (String c : DENY_LIKE_CALLS) {
        if (!calls.contains(c)) {
          out.add(new LintFinding(name, "detail.eventName", LintRule.KEY_EVENT_PATTERN, "call " + c
              + " cuts the vendor's access and must be forwarded"));
        }
      }
    }
    List<String> keys = strings(detail.path("requestParameters").get("keyId"));
    if (keys == null || keys.isEmpty()) {
      out.add(new LintFinding(name, "detail.requestParameters.keyId", LintRule.KEY_EVENT_PATTERN,
          "must name this key (its ID and ARN) so that only its events are forwarded"));
      return;
    }
    Set<String> ids = new LinkedHashSet<>();
    for (String k : keys) {
      Matcher m = KEY_ARN.matcher(k);
      if (m.matches()) {
        ids.add(m.group(2));
      } else if (k.startsWith("arn:") || k.startsWith("alias/")) {
        out.add(new LintFinding(name, "detail.requestParameters.keyId", LintRule.KEY_EVENT_PATTERN,
            "'" + k + "' is not a key ID or key ARN"));
      } else {
        ids.add(k);
      }
    }
    if (ids.size() > 1) {
      out.add(new LintFinding(name, "detail.requestParameters.keyId", LintRule.KEY_EVENT_PATTERN,
          "names more than one key " + ids + "; the rule must forward this key's events only"));
    }
    if (!allowPlaceholders && ids.contains(PolicyDocuments.KEY_ID_PLACEHOLDER)) {
      out.add(new LintFinding(name, "detail.requestParameters.keyId", LintRule.KEY_EVENT_PATTERN,
          "still names " + PolicyDocuments.KEY_ID_PLACEHOLDER + "; the key must exist first"));
    }
  }

  private static void exactly(String name, @Nullable JsonNode n, String field, List<String> wanted, List<LintFinding> out) {
    List<String> have = strings(n);
    if (!wanted.equals(have)) {
      out.add(new LintFinding(name, field, LintRule.KEY_EVENT_PATTERN, "must be " + wanted + ", got " + (n == null ? "nothing" : n)));
    }
  }

  /** The strings of an array of strings; null when {@code n} is not one (e.g. a content filter). */
  private static @Nullable List<String> strings(@Nullable JsonNode n) {
    if (n == null || !n.isArray()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : n) {
      if (!e.isTextual()) {
        return null;
      }
      out.add(e.asText());
    }
    return out;
  }

  // ---- helpers ----

  private static boolean hasCondition(JsonNode s) {
    JsonNode c = s.get("Condition");
    return c != null && c.isObject() && !c.isEmpty();
  }

  /** Every principal value of a statement (AWS, Service, Federated, CanonicalUser), or {@code *}. */
  static Set<String> principals(JsonNode s) {
    Set<String> out = new LinkedHashSet<>();
    JsonNode p = s.get("Principal");
    if (p == null) {
      return out;
    }
    if (p.isTextual()) {
      out.add(p.asText());
      return out;
    }
    for (Map.Entry<String, JsonNode> e : iterable(p)) {
      out.addAll(values(e.getValue()));
    }
    return out;
  }

  static Set<String> values(@Nullable JsonNode n) {
    Set<String> out = new LinkedHashSet<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (n.isArray()) {
      n.forEach(e -> out.add(e.asText()));
    } else {
      out.add(n.asText());
    }
    return out;
  }

  private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode n) {
    List<Map.Entry<String, JsonNode>> l = new ArrayList<>();
    if (n instanceof ObjectNode) {
      l.addAll(n.properties());
    }
    return l;
  }
}
