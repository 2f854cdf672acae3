package dev.byok.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byok.core.AwsAccountId;
import dev.byok.core.ProvisioningException;
import dev.byok.provisioning.internal.Calls;
import dev.byok.provisioning.internal.Json;
import dev.byok.provisioning.internal.KeyEventForwarding;
import dev.byok.provisioning.internal.aws.AwsPorts;
import dev.byok.provisioning.internal.aws.EventsPort;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Completes a names-only spec ({@link ProvisioningSpec#namesOnly()}) from the live set-up, so that
 * revoke, restore, verify, destroy and bundle need no vendor flags: the vendor's accounts, actions
 * and encryption-context conditions from the key policy's vendor statements, whether it logs
 * through a role from the log role's existence, and the vendor's key-event bus from the key-event
 * rule's target. The profile is the built-in one with exactly those actions and log role, else a
 * profile named {@code live}. Without the key (nothing to revoke, verify fails anyway) the spec
 * keeps its stand-ins, with a log role and the key-event rule wherever they exist, so destroy still
 * removes everything. Package-private; stateless.
 */
final class LiveVendor {
  /** Name of the profile made from the key policy when no built-in one matches. */
  static final String LIVE_PROFILE = "live";

  private LiveVendor() {}

  /** {@code spec} itself when it is complete, else completed from what {@code aws} reads; nothing is written. */
  static ProvisioningSpec complete(ProvisioningSpec spec, AwsPorts aws, String operation, PropagationRetry retry) {
    if (!spec.namesOnly()) {
      return spec;
    }
    Calls calls = new Calls(operation, retry);
    String account = calls.read("sts:GetCallerIdentity", "caller", aws.sts()::callerAccount);
    ResourceNames names = ResourceNames.of(spec, AwsAccountId.of(account));
    boolean logsViaRole = calls.read("iam:GetRole", names.roleName(), () -> aws.iam().getRole(names.roleName())).isPresent();
    Optional<String> bus = spec.vendorEventBus().isPresent() ? spec.vendorEventBus() : liveBus(aws, calls, names);

    ProvisioningSpec.Builder b = spec.toBuilder();
    String keyId = calls.read("kms:ListAliases", "account", () -> aws.kms().listAliases()).get(names.keyAlias());
    if (keyId == null) {
      // no key: nothing to revoke or restore; destroy removes whatever else exists
      b.vendor(profile(VendorProfile.builtIn("generic").actions(), logsViaRole));
      bus.ifPresent(b::vendorEventBus);
      return b.build();
    }
    JsonNode policy = Json.parsePolicy(calls.read("kms:GetKeyPolicy", names.keyAlias(), () -> aws.kms().getKeyPolicy(keyId)));
    Set<AwsAccountId> accounts = new LinkedHashSet<>();
    List<String> actions = new ArrayList<>();
    Map<String, String> context = new LinkedHashMap<>();
    for (JsonNode st : policy.path("Statement")) {
      String sid = st.path("Sid").asText("");
      if (!sid.equals(PolicyDocuments.SID_VENDOR) && !sid.equals(PolicyDocuments.SID_VENDOR_METADATA)) {
        continue;
      }
      for (String p : texts(st.path("Principal").path("AWS"))) {
        accounts.add(AwsAccountId.of(p.startsWith("arn:") ? p.split(":")[4] : p));
      }
      for (String a : texts(st.path("Action"))) {
        if (!actions.contains(a)) {
          actions.add(a);
        }
      }
      st.path("Condition").path("StringEquals").properties().forEach(e -> {
        if (e.getKey().startsWith("kms:EncryptionContext:")) {
          context.put(e.getKey().substring("kms:EncryptionContext:".length()), e.getValue().asText());
        }
      });
    }
    if (accounts.isEmpty() || actions.isEmpty()) {
      throw new ProvisioningException(operation + ": the key policy of " + names.keyAlias() + " has no " + PolicyDocuments.SID_VENDOR
          + " statement to read the vendor from; give the vendor (--vendor, --vendor-account) or --spec FILE");
    }
    b.vendor(profile(actions, logsViaRole));
    b.vendorAccounts(List.copyOf(accounts));
    if (spec.encryptionContext().isEmpty()) {
      context.forEach(b::encryptionContextCondition);
    }
    bus.ifPresent(b::vendorEventBus);
    return b.build();
  }

  /** The built-in profile with exactly {@code actions} (any order) and {@code logsViaRole}, else one named {@link #LIVE_PROFILE}. */
  static VendorProfile profile(List<String> actions, boolean logsViaRole) {
    Set<String> wanted = new HashSet<>(actions);
    for (String name : VendorProfile.BUILT_IN) {
      VendorProfile p = VendorProfile.builtIn(name);
      if (p.logsViaRole() == logsViaRole && new HashSet<>(p.actions()).equals(wanted)) {
        return p;
      }
    }
    return VendorProfile.create(LIVE_PROFILE, "the vendor (read from the key policy)", actions, logsViaRole, List.of());
  }

  private static Optional<String> liveBus(AwsPorts aws, Calls calls, ResourceNames names) {
    String rule = names.keyEventRuleName();
    if (calls.read("events:DescribeRule", rule, () -> aws.events().describeRule(EventsPort.DEFAULT_BUS, rule)).isEmpty()) {
      return Optional.empty();
    }
    return calls.read("events:ListTargetsByRule", rule, () -> aws.events().listTargets(EventsPort.DEFAULT_BUS, rule)).stream()
        .filter(t -> t.id().equals(KeyEventForwarding.TARGET_ID)).map(EventsPort.TargetInfo::arn).findFirst();
  }

  private static List<String> texts(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n.isTextual()) {
      out.add(n.asText());
    } else {
      n.forEach(e -> out.add(e.asText()));
    }
    return out;
  }
}
