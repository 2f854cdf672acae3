/**
 * Not API: the infrastructure-as-code export. {@link dev.byok.provisioning.internal.iac.Setup} holds
 * the plan's names and documents with the account, partition, region, vendor accounts and external
 * ID marked as references; {@link dev.byok.provisioning.internal.iac.CloudFormationTemplate} and
 * {@link dev.byok.provisioning.internal.iac.TerraformModule} write them in each tool's syntax.
 */
package dev.byok.provisioning.internal.iac;
