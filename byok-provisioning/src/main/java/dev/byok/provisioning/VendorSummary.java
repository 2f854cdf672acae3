package dev.byok.provisioning;

import dev.byok.core.AwsAccountId;
import dev.byok.core.HandoffBundle;
import java.util.ArrayList;
import java.util.List;

/**
 * The readable note for the vendor's technical contact: what to configure on their side (the
 * guide's YOUR_CMK_ARN, YOUR_ROLE_ARN, YOUR_LOG_GROUP_NAME), the external ID, and what the key
 * policy allows them. Stateless.
 */
final class VendorSummary {
  private VendorSummary() {}

  static String render(ProvisioningSpec spec, ResourceNames names, HandoffBundle b) {
    StringBuilder s = header(spec);
    s.append("  Key ARN (YOUR_CMK_ARN):           ").append(b.keyArn()).append('\n');
    s.append("  Region:                           ").append(b.region()).append('\n');
    s.append("  Log role ARN (YOUR_ROLE_ARN):     ").append(b.roleArn()).append('\n');
    s.append("  Log group (YOUR_LOG_GROUP_NAME):  ").append(b.logGroupName()).append('\n');
    s.append("  External ID for sts:AssumeRole:   ").append(b.externalId()).append('\n');
    footer(spec, s);
    s.append("- Assume ").append(b.roleArn()).append(" with the external ID to write key-use logs to ")
        .append(b.logGroupName()).append(" (").append(String.join(", ", PolicyDocuments.LOG_ACTIONS)).append(").\n");
    s.append("- Send the external ID over a channel you trust; it keeps other customers of the vendor from using this role.\n");
    return s.toString();
  }

  static String renderWithoutRole(ProvisioningSpec spec, String keyArn) {
    StringBuilder s = header(spec);
    s.append("  Key ARN (YOUR_CMK_ARN):  ").append(keyArn).append('\n');
    s.append("  Region:                  ").append(spec.region()).append('\n');
    footer(spec, s);
    return s.toString();
  }

  private static StringBuilder header(ProvisioningSpec spec) {
    StringBuilder s = new StringBuilder();
    s.append("For the ").append(spec.vendor().displayName()).append(" technical contact\n");
    s.append("Please configure ").append(spec.company()).append("'s BYOK key for ").append(spec.app()).append(" (")
        .append(spec.env()).append("):\n");
    return s;
  }

  private static void footer(ProvisioningSpec spec, StringBuilder s) {
    List<String> accounts = new ArrayList<>();
    for (AwsAccountId a : spec.vendorAccounts()) {
      accounts.add(a.value());
    }
    s.append("What the key policy allows:\n");
    s.append("- AWS accounts ").append(String.join(", ", accounts)).append(" may call ").append(String.join(", ", spec.vendor().actions()))
        .append(" on the key");
    if (!spec.encryptionContext().isEmpty()) {
      s.append("; cryptographic calls only with encryption context ").append(spec.encryptionContext());
    }
    s.append(".\n");
    s.append("- Nothing else: no administration, no kms:*. We may disable the key or deny your accounts at any time.\n");
  }
}
