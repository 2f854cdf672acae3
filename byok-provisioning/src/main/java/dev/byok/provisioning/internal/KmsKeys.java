package dev.byok.provisioning.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.core.ProvisioningException;
import dev.byok.provisioning.Check;
import dev.byok.provisioning.LintFinding;
import dev.byok.provisioning.PolicyDocuments;
import dev.byok.provisioning.PolicyLinter;
import dev.byok.provisioning.Revocation;
import dev.byok.provisioning.internal.aws.AwsCallException;
import dev.byok.provisioning.internal.aws.KmsPort;
import dev.byok.provisioning.internal.aws.KmsPort.KeyInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The KMS keys of the set-up, each found by its alias: creation with policy, alias, rotation,
 * description and tags (apply), the checks of verify, the state and policy changes of revoke and
 * restore, and deletion (destroy). A key whose alias was never created (an apply that stopped
 * part-way) is found again by its {@link #ALIAS_TAG} tag. Not thread-safe: one per operation.
 */
public final class KmsKeys {
  /** Tag that finds a key again when its alias was not created (an apply that stopped part-way). */
  public static final String ALIAS_TAG = "byok:alias";
  /** Tag on every key byok creates. */
  public static final String MANAGED_TAG = "byok:managed-by";

  /**
   * What apply wants of one key.
   *
   * @param step the step its changes are recorded under ({@code key}, {@code logKey})
   * @param document the {@link PolicyDocuments} name of its policy, which selects the lint rules
   * @param keepsRevocations whether revoke statements found in its policy are kept (the customer key)
   * @param tags the spec's tags; the byok tags are added
   */
  public record Wanted(String step, String alias, String document, ObjectNode policy, String description, boolean multiRegion,
      boolean rotation, boolean keepsRevocations, Map<String, String> tags) {}

  /** A key's ID and ARN. */
  public record Ref(String id, String arn) {}

  private final KmsPort kms;
  private final Calls calls;
  private final PolicyLinter linter;
  private @Nullable Map<String, String> aliases;
  /** The region keys must be made in, once {@link #checkRegion} has run. */
  private @Nullable String region;

  /** Keys read and written through {@code kms}; policies are linted with {@code linter} before each write. */
  public KmsKeys(KmsPort kms, Calls calls, PolicyLinter linter) {
    this.kms = kms;
    this.calls = calls;
    this.linter = linter;
  }

  /** The ID of the key {@code alias} points to (ListAliases is read once per operation). */
  public Optional<String> keyId(String alias) {
    return Optional.ofNullable(aliases().get(alias));
  }

  // ---- apply ----

  /**
   * Before the first write: checks that the KMS endpoint serves {@code region}, from the ARN of an
   * alias or key it lists (an emulator started for another region makes keys there, and the rest of
   * the set-up would not match). Nothing to compare when it lists none; {@link #ensure} then checks
   * the ARN of the key it creates.
   *
   * @throws ProvisioningException naming both regions; nothing was changed
   */
  public void checkRegion(String region) {
    this.region = region;
    Optional<String> arn = calls.read("kms:ListAliases", "account", kms::anyArn);
    arn.ifPresent(a -> {
      String served = regionOf(a);
      if (served != null && !served.equals(region)) {
        throw new ProvisioningException(calls.operation() + ": the KMS endpoint serves region " + served + " (it lists " + a
            + "), but the spec's region is " + region + "; nothing was changed. " + regionHint(served, region));
      }
    });
  }

  private static String regionHint(String served, String region) {
    return "Give --region " + served + ", or a KMS endpoint for " + region + " (local-kms takes its region from KMS_REGION)";
  }

  /** The region of an ARN, or null when it is not an ARN with one. */
  private static @Nullable String regionOf(String arn) {
    String[] p = arn.split(":", 6);
    return p.length == 6 && p[0].equals("arn") && !p[3].isEmpty() ? p[3] : null;
  }

  /** Creates the key or converges it to {@code w}; a revocation in force is left in place (and noted). */
  public Ref ensure(Wanted w) {
    String alias = w.alias();
    String keyId = aliases().get(alias);
    boolean aliasMissing = keyId == null;
    if (keyId == null) {
      keyId = keysTagged(alias).stream().findFirst().orElse(null);
      if (keyId != null) {
        calls.note("found key " + keyId + " by its " + ALIAS_TAG + " tag (an earlier apply stopped before its alias was created)");
      }
    }
    KeyInfo md;
    if (keyId == null) {
      KmsPort.NewKey key = new KmsPort.NewKey(w.policy().toString(), w.description(), w.multiRegion(), tags(w));
      md = calls.write(w.step(), "kms:CreateKey", alias, () -> calls.retrying("kms:CreateKey", false, () -> kms.createKey(key)));
      keyId = md.keyId();
      String served = regionOf(md.arn());
      if (region != null && served != null && !served.equals(region)) {
        throw new ProvisioningException(calls.operation() + ": the KMS endpoint made key " + md.arn() + " in region " + served
            + ", but the spec's region is " + region + "; " + calls.madeSoFar() + ". " + regionHint(served, region)
            + " (apply finds the key made by its " + ALIAS_TAG + " tag)");
      }
    } else {
      String id = keyId;
      md = calls.read("kms:DescribeKey", alias, () -> kms.describeKey(id));
      if (md.pendingDeletion()) {
        throw new ProvisioningException(calls.operation() + ": key " + md.arn() + " (" + alias + ") is pending deletion; run 'provision"
            + " restore schedule-deletion' to cancel the deletion, or 'provision destroy' and apply again for a new key");
      }
      if (md.state().equals(KeyInfo.DISABLED)) {
        calls.note(alias + " is disabled (a revocation?); apply leaves it disabled; 'provision restore disable' enables it");
      }
      if (md.multiRegion() != null && md.multiRegion() != w.multiRegion()) {
        calls.note(alias + " is " + (md.multiRegion() ? "multi-Region" : "single-Region") + " but the spec asks otherwise; a key's"
            + " Region setting cannot change, so it is kept");
      }
    }
    String id = keyId;
    if (aliasMissing) {
      calls.write(w.step(), "kms:CreateAlias", alias, () -> kms.createAlias(alias, id));
      aliases().put(alias, id);
    }
    convergePolicy(w, id);
    boolean on = calls.read("kms:GetKeyRotationStatus", alias, () -> kms.getKeyRotationStatus(id));
    if (w.rotation() && !on) {
      calls.write(w.step(), "kms:EnableKeyRotation", alias, () -> kms.enableKeyRotation(id));
    } else if (!w.rotation() && on) {
      calls.write(w.step(), "kms:DisableKeyRotation", alias, () -> kms.disableKeyRotation(id));
    }
    if (!Objects.equals(md.description(), w.description())) {
      calls.write(w.step(), "kms:UpdateKeyDescription", alias, () -> kms.updateKeyDescription(id, w.description()));
    }
    Map<String, String> have = calls.read("kms:ListResourceTags", alias, () -> kms.listResourceTags(id));
    Map<String, String> missing = new LinkedHashMap<>();
    tags(w).forEach((k, v) -> {
      if (!v.equals(have.get(k))) {
        missing.put(k, v);
      }
    });
    if (!missing.isEmpty()) {
      calls.write(w.step(), "kms:TagResource", alias, () -> kms.tagResource(id, missing));
    }
    return new Ref(id, md.arn());
  }

  private void convergePolicy(Wanted w, String id) {
    JsonNode current = Json.parsePolicy(calls.read("kms:GetKeyPolicy", w.alias(), () -> kms.getKeyPolicy(id)));
    ObjectNode desired = w.policy().deepCopy();
    List<String> kept = new ArrayList<>();
    if (w.keepsRevocations()) {
      for (JsonNode s : current.path("Statement")) {
        String sid = s.path("Sid").asText("");
        if (sid.startsWith(PolicyDocuments.REVOKE_SID_PREFIX)) {
          desired.withArray("Statement").add(s);
          kept.add(sid);
        }
      }
    }
    if (!kept.isEmpty()) {
      calls.note("revocation in effect on " + w.alias() + " (" + String.join(", ", kept) + "); apply keeps it; 'provision restore' removes it");
    }
    if (!Json.samePolicy(current, desired)) {
      linter.check(w.document(), desired.toString());
      String text = desired.toString();
      calls.write(w.step(), "kms:PutKeyPolicy", w.alias(), () -> calls.retrying("kms:PutKeyPolicy", false, () -> kms.putKeyPolicy(id, text)));
    }
  }

  private static Map<String, String> tags(Wanted w) {
    return tags(w.alias(), w.tags());
  }

  /** The tags of the key {@code alias}: the spec's {@code tags} plus {@link #ALIAS_TAG} and {@link #MANAGED_TAG}. */
  public static Map<String, String> tags(String alias, Map<String, String> tags) {
    Map<String, String> t = new LinkedHashMap<>(tags);
    t.put(ALIAS_TAG, alias);
    t.put(MANAGED_TAG, "byok");
    return t;
  }

  /** The ARN of key {@code keyId}. */
  public String arn(String keyId) {
    return calls.read("kms:DescribeKey", keyId, () -> kms.describeKey(keyId)).arn();
  }

  // ---- verify ----

  /**
   * Adds the checks of one key under {@code label}: enabled, symmetric encrypt/decrypt, rotation as
   * wanted, every statement of {@code expected} present and unchanged, for the customer key no
   * revocation, and the policy's lint. Returns the key's ARN.
   */
  public String verify(List<Check> checks, String label, String keyId, ObjectNode expected, String document, boolean rotation) {
    KeyInfo md = calls.read("kms:DescribeKey", keyId, () -> kms.describeKey(keyId));
    checks.add(new Check(label + " enabled", md.state().equals(KeyInfo.ENABLED), "state " + md.state()));
    checks.add(new Check(label + " type", KeyInfo.SYMMETRIC_DEFAULT.equals(md.keySpec()) && KeyInfo.ENCRYPT_DECRYPT.equals(md.keyUsage()),
        md.keySpec() + ", " + md.keyUsage()));
    boolean on = calls.read("kms:GetKeyRotationStatus", keyId, () -> kms.getKeyRotationStatus(keyId));
    checks.add(new Check(label + " rotation", on == rotation, "automatic rotation " + (on ? "on" : "off")));
    JsonNode policy = Json.parsePolicy(calls.read("kms:GetKeyPolicy", keyId, () -> kms.getKeyPolicy(keyId)));
    Map<String, JsonNode> have = new LinkedHashMap<>();
    for (JsonNode s : policy.path("Statement")) {
      have.put(s.path("Sid").asText(""), s);
    }
    for (JsonNode s : expected.path("Statement")) {
      String sid = s.path("Sid").asText();
      JsonNode h = have.get(sid);
      boolean same = h != null && Json.normalizeStatement(h).equals(Json.normalizeStatement(s));
      checks.add(new Check(label + " policy statement " + sid, same, h == null ? "missing" : same ? "as planned" : "differs from the plan"));
    }
    List<String> revokes = have.keySet().stream().filter(s -> s.startsWith(PolicyDocuments.REVOKE_SID_PREFIX)).toList();
    if (document.equals(PolicyDocuments.KEY_POLICY)) {
      checks.add(new Check(label + " policy has no revocation", revokes.isEmpty(), revokes.isEmpty() ? "none" : "revoke statements " + revokes));
    }
    List<LintFinding> lint = linter.lint(document, policy.toString());
    checks.add(new Check(label + " policy lint", lint.isEmpty(), lint.isEmpty() ? "no findings" : lint.get(0).toString()));
    return md.arn();
  }

  // ---- revoke / restore ----

  /**
   * Cuts the vendor off the customer key {@code alias}: DisableKey, ScheduleKeyDeletion, or
   * {@code statement} (a Deny from {@link PolicyDocuments}) added to the key policy. Changes nothing
   * that is already so.
   */
  public void revoke(String alias, String keyId, Revocation r, @Nullable ObjectNode statement) {
    switch (r.mode()) {
      case DISABLE -> {
        String s = state(alias, keyId);
        if (s.equals(KeyInfo.ENABLED)) {
          calls.write("revoke", "kms:DisableKey", alias, () -> kms.disableKey(keyId));
        } else {
          calls.note(alias + " is already " + s);
        }
      }
      case SCHEDULE_DELETION -> {
        if (state(alias, keyId).equals(KeyInfo.PENDING_DELETION)) {
          calls.note(alias + " is already pending deletion");
        } else {
          String when = calls.write("revoke", "kms:ScheduleKeyDeletion", alias + " (" + r.deletionDays() + " days)",
              () -> String.valueOf(kms.scheduleKeyDeletion(keyId, r.deletionDays())));
          calls.note(alias + " will be deleted at " + when + " unless 'provision restore schedule-deletion' cancels it");
        }
      }
      case DENY_VENDOR, DENY_SCOPE -> addStatement(alias, keyId, Objects.requireNonNull(statement, "statement"));
    }
  }

  private void addStatement(String alias, String keyId, ObjectNode add) {
    ObjectNode policy = policy(alias, keyId);
    ArrayNode st = policy.withArray("Statement");
    String sid = add.get("Sid").asText();
    for (int i = 0; i < st.size(); i++) {
      if (sid.equals(st.get(i).path("Sid").asText())) {
        if (Json.normalizeStatement(st.get(i)).equals(Json.normalizeStatement(add))) {
          calls.note(sid + " is already in the key policy of " + alias);
          return;
        }
        st.remove(i);
        break;
      }
    }
    st.add(add);
    putPolicy("revoke", alias, keyId, policy);
  }

  /**
   * Undoes {@code r} on the customer key, or with null every revocation found: removes the revoke
   * statements first (moto applies a Deny on kms:DescribeKey to every caller, ignoring principals),
   * then cancels a scheduled deletion and enables the key.
   */
  public void restore(String alias, String keyId, @Nullable Revocation r) {
    Revocation.@Nullable Mode mode = r == null ? null : r.mode();
    if (mode == null || mode == Revocation.Mode.DENY_VENDOR || mode == Revocation.Mode.DENY_SCOPE) {
      removeStatements(alias, keyId, revokeSids(r), r == null ? "revoke" : r.toString());
    }
    if (mode == null || mode == Revocation.Mode.SCHEDULE_DELETION || mode == Revocation.Mode.DISABLE) {
      String s = state(alias, keyId);
      if (s.equals(KeyInfo.PENDING_DELETION) && (mode == null || mode == Revocation.Mode.SCHEDULE_DELETION)) {
        calls.write("restore", "kms:CancelKeyDeletion", alias, () -> kms.cancelKeyDeletion(keyId));
        s = KeyInfo.DISABLED; // CancelKeyDeletion leaves the key disabled
      } else if (s.equals(KeyInfo.PENDING_DELETION)) {
        throw new ProvisioningException("restore: " + alias + " is pending deletion; run 'provision restore schedule-deletion' first");
      }
      if (s.equals(KeyInfo.DISABLED)) {
        calls.write("restore", "kms:EnableKey", alias, () -> kms.enableKey(keyId));
      } else if (r != null) {
        calls.note(alias + " is " + s + "; nothing to undo for " + r);
      }
    }
  }

  /** Which statement Sids restore removes for {@code r} (null: every revoke statement). */
  private static Predicate<String> revokeSids(@Nullable Revocation r) {
    if (r == null) {
      return sid -> sid.startsWith(PolicyDocuments.REVOKE_SID_PREFIX);
    }
    if (r.mode() == Revocation.Mode.DENY_VENDOR) {
      return PolicyDocuments.SID_DENY_VENDOR::equals;
    }
    if (r.scopeKey().isPresent()) {
      String wanted = PolicyDocuments.denyScopeSid(r.scopeKey().get(), r.scopeValue().orElseThrow());
      return wanted::equals;
    }
    return sid -> sid.startsWith(PolicyDocuments.SID_DENY_SCOPE_PREFIX);
  }

  private void removeStatements(String alias, String keyId, Predicate<String> match, String what) {
    ObjectNode policy = policy(alias, keyId);
    ArrayNode st = policy.withArray("Statement");
    List<String> removed = new ArrayList<>();
    for (int i = st.size() - 1; i >= 0; i--) {
      String sid = st.get(i).path("Sid").asText("");
      if (match.test(sid)) {
        removed.add(sid);
        st.remove(i);
      }
    }
    if (removed.isEmpty()) {
      calls.note("no " + what + " statement in the key policy of " + alias);
    } else {
      putPolicy("restore", alias, keyId, policy);
      calls.note("removed " + removed + " from the key policy of " + alias);
    }
  }

  private String state(String alias, String keyId) {
    return calls.read("kms:DescribeKey", alias, () -> kms.describeKey(keyId)).state();
  }

  private ObjectNode policy(String alias, String keyId) {
    return (ObjectNode) Json.parsePolicy(calls.read("kms:GetKeyPolicy", alias, () -> kms.getKeyPolicy(keyId)));
  }

  private void putPolicy(String step, String alias, String keyId, ObjectNode policy) {
    linter.check(PolicyDocuments.KEY_POLICY, policy.toString());
    String text = policy.toString();
    calls.write(step, "kms:PutKeyPolicy", alias, () -> calls.retrying("kms:PutKeyPolicy", false, () -> kms.putKeyPolicy(keyId, text)));
  }

  // ---- destroy ----

  /**
   * Deletes the alias and schedules deletion, after {@code days}, of the key it names and of every
   * key tagged for it that is not already pending deletion.
   */
  public void destroy(String step, String alias, int days) {
    String keyId = aliases().get(alias);
    if (keyId != null) {
      calls.write(step, "kms:DeleteAlias", alias, () -> kms.deleteAlias(alias));
    }
    List<String> keys = new ArrayList<>(keysTagged(alias));
    if (keyId != null && !keys.contains(keyId) && !state(alias, keyId).equals(KeyInfo.PENDING_DELETION)) {
      keys.add(keyId);
    }
    for (String k : keys) {
      calls.write(step, "kms:ScheduleKeyDeletion", alias + " key " + k + " (" + days + " days)", () -> kms.scheduleKeyDeletion(k, days));
    }
  }

  // ---- reads ----

  private Map<String, String> aliases() {
    if (aliases == null) {
      aliases = new HashMap<>(calls.read("kms:ListAliases", "account", kms::listAliases));
    }
    return aliases;
  }

  /** Keys tagged for {@code alias} that are not pending deletion. */
  private List<String> keysTagged(String alias) {
    return calls.read("kms:ListKeys", "account", () -> {
      List<String> out = new ArrayList<>();
      for (String k : kms.listKeys()) {
        try {
          if (!alias.equals(kms.listResourceTags(k).get(ALIAS_TAG))) {
            continue;
          }
          if (!kms.describeKey(k).pendingDeletion()) {
            out.add(k);
          }
        } catch (AwsCallException e) {
          if (!e.serviceError()) {
            throw e;
          }
          // Keys we may not read (AWS managed keys, other teams' keys) are not ours.
        }
      }
      return out;
    });
  }
}
