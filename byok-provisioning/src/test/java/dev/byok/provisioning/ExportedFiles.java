package dev.byok.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.byok.core.AwsAccountId;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads exported files back the way CloudFormation and Terraform would, for the tests: resolves a
 * template's {@code Ref} and {@code Fn::Sub} with given parameters and pseudo parameters, and fills
 * the Terraform policy heredocs with given values.
 */
final class ExportedFiles {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern HEREDOC = Pattern.compile("(\\w+) = jsonencode\\(jsondecode\\(<<-EOT\\n(.*?)\\n\\s*EOT\\n\\s*\\)\\)", Pattern.DOTALL);
  private static final Pattern SUB_VAR = Pattern.compile("\\$\\{(!?)([A-Za-z0-9:.]+)}");

  private ExportedFiles() {}

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The values a stack would see: the pseudo parameters for {@code account} and {@code region}, the parameters given. */
  static Map<String, String> stackValues(AwsAccountId account, String region, String externalId, List<AwsAccountId> vendors) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("AWS::AccountId", account.value());
    v.put("AWS::Partition", "aws");
    v.put("AWS::Region", region);
    v.put("ExternalId", externalId);
    for (int i = 0; i < vendors.size(); i++) {
      v.put("VendorAccount" + (i + 1), vendors.get(i).value());
    }
    return v;
  }

  /** {@code node} with every {@code Ref} to a value of {@code values} and every {@code Fn::Sub} resolved. */
  static JsonNode resolve(JsonNode node, Map<String, String> values) {
    if (node.isObject()) {
      if (node.size() == 1 && node.has("Ref") && values.containsKey(node.get("Ref").asText())) {
        return TextNode.valueOf(values.get(node.get("Ref").asText()));
      }
      if (node.size() == 1 && node.path("Fn::GetAtt").size() == 2) {
        String name = node.get("Fn::GetAtt").get(0).asText() + "." + node.get("Fn::GetAtt").get(1).asText();
        if (values.containsKey(name)) {
          return TextNode.valueOf(values.get(name));
        }
      }
      if (node.size() == 1 && node.has("Fn::Sub")) {
        Matcher m = SUB_VAR.matcher(node.get("Fn::Sub").asText());
        StringBuilder b = new StringBuilder();
        while (m.find()) {
          String rep = !m.group(1).isEmpty() ? "${" + m.group(2) + "}" : values.get(m.group(2));
          if (rep == null) {
            throw new AssertionError("Fn::Sub names " + m.group(2) + ", which has no value");
          }
          m.appendReplacement(b, Matcher.quoteReplacement(rep));
        }
        m.appendTail(b);
        return TextNode.valueOf(b.toString());
      }
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      node.properties().forEach(e -> o.set(e.getKey(), resolve(e.getValue(), values)));
      return o;
    }
    if (node.isArray()) {
      ArrayNode a = JsonNodeFactory.instance.arrayNode();
      node.forEach(e -> a.add(resolve(e, values)));
      return a;
    }
    return node;
  }

  /** The policy heredocs of a Terraform {@code main.tf}, by local name, filled in as Terraform would. */
  static Map<String, JsonNode> terraformPolicies(String mainTf, AwsAccountId account, String region, String externalId,
      List<AwsAccountId> vendors) {
    return terraformPolicies(mainTf, account, region, externalId, vendors, "<no key>", "<no key>");
  }

  /** The same, with the customer key's ID and ARN (the key-event pattern names them). */
  static Map<String, JsonNode> terraformPolicies(String mainTf, AwsAccountId account, String region, String externalId,
      List<AwsAccountId> vendors, String keyId, String keyArn) {
    ArrayNode roots = JsonNodeFactory.instance.arrayNode();
    vendors.forEach(v -> roots.add("arn:aws:iam::" + v.value() + ":root"));
    Map<String, JsonNode> out = new LinkedHashMap<>();
    Matcher m = HEREDOC.matcher(mainTf);
    while (m.find()) {
      String text = m.group(2)
          .replace("${jsonencode(local.vendor_roots)}", roots.toString())
          .replace("${local.account_id}", account.value())
          .replace("${local.partition}", "aws")
          .replace("${local.region}", region)
          .replace("${var.external_id}", externalId)
          .replace("${aws_kms_key.key.key_id}", keyId)
          .replace("${aws_kms_key.key.arn}", keyArn);
      for (int i = 0; i < vendors.size(); i++) {
        text = text.replace("${var.vendor_accounts[" + i + "]}", vendors.get(i).value());
      }
      if (text.replaceAll("\\$\\$\\{", "").contains("${")) {
        throw new AssertionError("an interpolation the test does not know in " + m.group(1) + ":\n" + text);
      }
      out.put(m.group(1), json(text.replace("$${", "${").replace("%%{", "%{")));
    }
    return out;
  }
}
