package dev.byok.provisioning;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.core.AwsAccountId;
import dev.byok.core.ProvisioningException;
import dev.byok.provisioning.internal.iac.CloudFormationTemplate;
import dev.byok.provisioning.internal.iac.Setup;
import dev.byok.provisioning.internal.iac.TerraformModule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes an {@link Export}: plans the spec (and refuses what plan refuses, with its message), renders
 * the names and documents once more with a stand-in account and external ID, and hands them to the
 * format's writer. Package-private: {@link Provisioner#export} is the API.
 */
final class Exports {
  /** Stand-ins for the customer's account: the first that occurs nowhere in the spec is used. */
  private static final List<String> ACCOUNT_TOKENS = List.of("000000000000", "999999999999", "000000000001", "999999999998");

  private Exports() {}

  static Export export(ProvisioningSpec spec, ExportFormat format) {
    Plan plan = Provisioner.plan(spec);
    List<LintFinding> f = plan.findings();
    if (!f.isEmpty()) {
      throw new ProvisioningException("lint: " + f.get(0) + (f.size() > 1 ? " (and " + (f.size() - 1) + " more)" : ""));
    }
    String account = accountToken(spec);
    ResourceNames names = ResourceNames.of(spec, AwsAccountId.of(account));
    PolicyDocuments docs = PolicyDocuments.render(spec, names, PolicyDocuments.EXTERNAL_ID_PLACEHOLDER);
    Map<String, ObjectNode> documents = new LinkedHashMap<>();
    docs.names().forEach(d -> documents.put(d, docs.get(d)));
    Setup setup = new Setup(spec, names, documents, account, PolicyDocuments.EXTERNAL_ID_PLACEHOLDER);
    Map<String, String> files = switch (format) {
      case CLOUDFORMATION -> Map.of(CloudFormationTemplate.FILE, CloudFormationTemplate.render(setup));
      case TERRAFORM -> TerraformModule.render(setup);
    };
    return new Export(format, files, notes(spec, names, format), plan.warnings());
  }

  private static String accountToken(ProvisioningSpec spec) {
    String json = spec.toJson();
    for (String t : ACCOUNT_TOKENS) {
      if (!json.contains(t)) {
        return t;
      }
    }
    throw new IllegalStateException("export: every stand-in account ID occurs in the spec");
  }

  private static List<String> notes(ProvisioningSpec spec, ResourceNames names, ExportFormat format) {
    List<String> n = new ArrayList<>();
    boolean cfn = format == ExportFormat.CLOUDFORMATION;
    n.add("The resources, names, settings and policy documents are those of 'byok provision plan' for the same spec;"
        + " the account ID, partition and region are resolved where the " + (cfn ? "stack is created" : "module is applied") + ".");
    n.add(cfn ? "Parameters: VendorAccount1.." + spec.vendorAccounts().size() + " (default: the spec's vendor accounts)"
        + (spec.vendor().logsViaRole() ? "; ExternalId (NoEcho, no default): the external ID agreed with the vendor" : "") + "."
        : "Variables: vendor_accounts (default: the spec's vendor accounts)"
        + (spec.vendor().logsViaRole() ? "; external_id (sensitive, no default): the external ID agreed with the vendor" : "")
        + "; region (default " + spec.region() + ").");
    if (spec.externalId().isPresent()) {
      n.add("The spec's external ID is not written into the files: pass it as " + (cfn ? "the ExternalId parameter." : "var.external_id."));
    }
    n.add("Outputs: " + (cfn ? "YourCmkArn (YOUR_CMK_ARN)" + (spec.vendor().logsViaRole()
        ? ", YourRoleArn (YOUR_ROLE_ARN), YourLogGroupName (YOUR_LOG_GROUP_NAME)" : "")
        : "YOUR_CMK_ARN" + (spec.vendor().logsViaRole() ? ", YOUR_ROLE_ARN, YOUR_LOG_GROUP_NAME" : "")) + ".");
    spec.vendorEventBus().ifPresent(bus -> n.add("Key events: the rule " + names.keyEventRuleName() + " on the default bus forwards this key's KMS calls (" + String.join(", ", PolicyDocuments.KEY_EVENT_NAMES)
        + ") to the vendor's bus " + bus + " through the role of the same name (events:PutEvents on that bus only); the pattern names the"
        + " key made by the same " + (cfn ? "stack" : "module") + ". The vendor's bus policy must allow this account."));
    n.add("After the apply: 'byok provision verify' with the same spec checks every resource (and later finds drift);"
        + " 'byok provision bundle --out FILE' writes the hand-off bundle for the vendor from the live resources.");
    return n;
  }
}
