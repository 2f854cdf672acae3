package dev.byok.provisioning.internal.iac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.core.AwsAccountId;
import dev.byok.provisioning.PolicyDocuments;
import dev.byok.provisioning.ProvisioningSpec;
import dev.byok.provisioning.ResourceNames;
import dev.byok.provisioning.internal.CloudTrailLogging;
import dev.byok.provisioning.internal.KeyEventForwarding;
import dev.byok.provisioning.internal.KmsKeys;
import dev.byok.provisioning.internal.LogAccess;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The plan's set-up as the exports need it: names and policy documents rendered with stand-ins
 * ({@code accountToken} for the customer's account, {@code externalIdToken} for the external ID,
 * {@link PolicyDocuments#KEY_ID_PLACEHOLDER} for the customer key's ID in the key-event pattern)
 * that {@link #parts} turns into {@link Part.Ref}s, with the partition, the region and the vendor
 * accounts in ARNs. Immutable.
 *
 * @param spec the spec exported
 * @param names the names, with {@code accountToken} as the account
 * @param documents every policy document, rendered with the stand-ins
 * @param accountToken the 12-digit stand-in for the customer's account; it occurs nowhere in the spec
 * @param externalIdToken the stand-in for the external ID
 */
public record Setup(ProvisioningSpec spec, ResourceNames names, Map<String, ObjectNode> documents, String accountToken,
    String externalIdToken) {

  /** Copies the documents. */
  public Setup {
    Map<String, ObjectNode> d = new LinkedHashMap<>();
    documents.forEach((k, v) -> d.put(k, v.deepCopy()));
    documents = java.util.Collections.unmodifiableMap(d);
  }

  /** One document (a copy). */
  public ObjectNode document(String name) {
    ObjectNode d = documents.get(name);
    if (d == null) {
      throw new IllegalArgumentException("no policy document '" + name + "'");
    }
    return d.deepCopy();
  }

  /** Whether the vendor writes logs through the role (so there are a log group, a log policy and a role). */
  public boolean logsViaRole() {
    return spec.vendor().logsViaRole();
  }

  /** The vendor's account IDs, in spec order. */
  public List<String> vendorAccounts() {
    return spec.vendorAccounts().stream().map(AwsAccountId::value).toList();
  }

  /** The customer key's tags, as apply writes them. */
  public Map<String, String> keyTags() {
    return KmsKeys.tags(names.keyAlias(), spec.tags());
  }

  /** The log key's tags, as apply writes them. */
  public Map<String, String> logKeyTags() {
    return KmsKeys.tags(names.logKeyAlias(), spec.tags());
  }

  /** The log key's description, as apply writes it. */
  public String logKeyDescription() {
    return CloudTrailLogging.logKeyDescription(names);
  }

  /** The log policy's description, as apply writes it. */
  public String logPolicyDescription() {
    return LogAccess.policyDescription(names);
  }

  /** The log role's description, as apply writes it. */
  public String roleDescription() {
    return LogAccess.roleDescription(names);
  }

  /** The vendor's key-event bus ARN, when the customer's key events are forwarded to it. */
  public Optional<String> vendorEventBus() {
    return spec.vendorEventBus();
  }

  /** The key-event rule's description, as apply writes it. */
  public String keyEventRuleDescription() {
    return KeyEventForwarding.ruleDescription(names);
  }

  /** The key-event role's description, as apply writes it. */
  public String keyEventRoleDescription() {
    return KeyEventForwarding.roleDescription(names);
  }

  /**
   * Splits {@code s} into literal text and references: the stand-ins become
   * {@link Part.Kind#ACCOUNT} and {@link Part.Kind#EXTERNAL_ID}; in an ARN the partition and the
   * region become references; a vendor account's root ARN becomes
   * {@code arn:<PARTITION>:iam::<VENDOR_ACCOUNT i>:root}; the customer key's ARN (with the
   * key-ID stand-in) becomes {@link Part.Kind#KEY_ARN}, the stand-in elsewhere
   * {@link Part.Kind#KEY_ID}; the vendor's key-event bus ARN stays literal (the vendor's
   * partition and region, not those where the files are applied).
   */
  public List<Part> parts(String s) {
    if (spec.vendorEventBus().filter(s::equals).isPresent()) {
      return List.of(new Part.Lit(s));
    }
    if (s.equals(names.keyArn(PolicyDocuments.KEY_ID_PLACEHOLDER))) {
      return List.of(Part.Ref.of(Part.Kind.KEY_ARN));
    }
    String partition = names.partition();
    List<String> vendors = vendorAccounts();
    for (int i = 0; i < vendors.size(); i++) {
      if (s.equals("arn:" + partition + ":iam::" + vendors.get(i) + ":root")) {
        return List.of(new Part.Lit("arn:"), Part.Ref.of(Part.Kind.PARTITION), new Part.Lit(":iam::"),
            new Part.Ref(Part.Kind.VENDOR_ACCOUNT, i), new Part.Lit(":root"));
      }
    }
    List<Part> out = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    boolean arn = s.startsWith("arn:");
    String partitionPart = ":" + partition + ":";
    String regionPart = ":" + names.region() + ":";
    int i = 0;
    while (i < s.length()) {
      if (s.startsWith(externalIdToken, i)) {
        flush(lit, out).add(Part.Ref.of(Part.Kind.EXTERNAL_ID));
        i += externalIdToken.length();
      } else if (s.startsWith(PolicyDocuments.KEY_ID_PLACEHOLDER, i)) {
        flush(lit, out).add(Part.Ref.of(Part.Kind.KEY_ID));
        i += PolicyDocuments.KEY_ID_PLACEHOLDER.length();
      } else if (s.startsWith(accountToken, i)) {
        flush(lit, out).add(Part.Ref.of(Part.Kind.ACCOUNT));
        i += accountToken.length();
      } else if (arn && i == 3 && s.startsWith(partitionPart, i)) {
        lit.append(':');
        flush(lit, out).add(Part.Ref.of(Part.Kind.PARTITION));
        lit.append(':');
        i += partitionPart.length();
      } else if (arn && s.startsWith(regionPart, i)) {
        lit.append(':');
        flush(lit, out).add(Part.Ref.of(Part.Kind.REGION));
        lit.append(':');
        i += regionPart.length();
      } else {
        lit.append(s.charAt(i));
        i++;
      }
    }
    flush(lit, out);
    return out;
  }

  private static List<Part> flush(StringBuilder lit, List<Part> out) {
    if (lit.length() > 0) {
      out.add(new Part.Lit(lit.toString()));
      lit.setLength(0);
    }
    return out;
  }

  /** Whether {@code parts} is only literal text. */
  public static boolean literal(List<Part> parts) {
    return parts.stream().allMatch(p -> p instanceof Part.Lit);
  }

  /** {@code parts} as plain text; only for literal parts. */
  public static String text(List<Part> parts) {
    StringBuilder b = new StringBuilder();
    for (Part p : parts) {
      if (!(p instanceof Part.Lit l)) {
        throw new IllegalStateException("not literal: " + parts);
      }
      b.append(l.text());
    }
    return b.toString();
  }

  /**
   * A copy of {@code node} in which every string is replaced by {@code leaf} of its parts, and an
   * array that {@code array} maps to a node (not null) is replaced by that node.
   */
  public JsonNode map(JsonNode node, Function<List<Part>, JsonNode> leaf, Function<ArrayNode, JsonNode> array) {
    if (node.isTextual()) {
      return leaf.apply(parts(node.asText()));
    }
    if (node.isArray()) {
      JsonNode replaced = array.apply((ArrayNode) node);
      if (replaced != null) {
        return replaced;
      }
      ArrayNode a = JsonNodeFactory.instance.arrayNode();
      node.forEach(e -> a.add(map(e, leaf, array)));
      return a;
    }
    if (node.isObject()) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      node.properties().forEach(e -> o.set(e.getKey(), map(e.getValue(), leaf, array)));
      return o;
    }
    return node.deepCopy();
  }

  /** Whether {@code a} is exactly the vendor accounts' root ARNs, in spec order. */
  public boolean isVendorRoots(ArrayNode a) {
    List<String> vendors = vendorAccounts();
    if (a.size() != vendors.size()) {
      return false;
    }
    for (int i = 0; i < vendors.size(); i++) {
      if (!a.get(i).asText().equals("arn:" + names.partition() + ":iam::" + vendors.get(i) + ":root")) {
        return false;
      }
    }
    return true;
  }
}
