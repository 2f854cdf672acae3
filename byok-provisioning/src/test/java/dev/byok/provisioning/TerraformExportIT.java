package dev.byok.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byok.core.AwsAccountId;
import dev.byok.core.HandoffBundle;
import dev.byok.core.TenantDirectory;
import dev.byok.testing.Emulators;
import dev.byok.testing.WithEmulators;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported Terraform module applied to moto with {@code terraform init} and {@code terraform
 * apply} through the AWS provider's endpoint settings, then {@code verify} passes, a second
 * {@code terraform plan} shows no changes, and {@code bundle} writes a bundle the vendor library
 * loads. Before that, {@code terraform fmt -check} and {@code terraform validate} pass on the module.
 *
 * <p>Needs {@code terraform} on the PATH and a local filesystem mirror of the {@code hashicorp/aws}
 * provider ({@link ExternalTools#providerMirror()}): no registry serves providers here. The test
 * writes a CLI configuration whose {@code provider_installation} uses only that mirror. When either
 * is missing it prints the reason and is skipped. Every endpoint, the keys' KMS included, is moto's,
 * for the reason {@link CloudFormationExportIT} gives.
 */
@WithEmulators
class TerraformExportIT {
  private static final String EXTERNAL_ID = "tf-external-id-0001";
  private static final Duration STEP = Duration.ofMinutes(5);

  private static ProvisioningSpec spec() {
    return ProvisioningSpec.builder().company("acme").app("slack").env("sandbox").region("us-east-1")
        .vendor(VendorProfile.builtIn("slack")).addVendorAccount(AwsAccountId.of("111122223333")).tag("team", "security")
        .logRetentionDays(365).externalId(EXTERNAL_ID).build();
  }

  @Test
  void module_appliedOnMoto_verifyPassesSecondPlanEmptyBundleLoads(Emulators emu, @TempDir Path dir) throws Exception {
    Optional<String> missing = ExternalTools.terraformMissing(dir);
    if (missing.isPresent()) {
      System.out.println("TerraformExportIT skipped: " + missing.get());
    }
    Assumptions.assumeTrue(missing.isEmpty(), () -> "skipped: " + missing.orElse(""));
    Path mirror = ExternalTools.providerMirror().orElseThrow();
    System.out.println("TerraformExportIT: provider mirror " + mirror);

    ProvisioningSpec spec = spec();
    Path module = dir.resolve("module");
    Provisioner.export(spec, ExportFormat.TERRAFORM).writeTo(module);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CHECKPOINT_DISABLE", "1");
    env.put("TF_IN_AUTOMATION", "1");
    env.put("TF_INPUT", "0");
    env.put("TF_CLI_CONFIG_FILE", Files.writeString(dir.resolve("terraform.rc"), "provider_installation {\n  filesystem_mirror {\n    path    = \""
        + mirror.toAbsolutePath().toString().replace("\\", "\\\\") + "\"\n    include = [\"registry.terraform.io/hashicorp/aws\"]\n  }\n}\n",
        StandardCharsets.UTF_8).toString());
    env.put("TF_VAR_external_id", EXTERNAL_ID);

    ok(terraform(module, env, "fmt", "-check", "-diff", "-no-color"), "terraform fmt -check");
    Files.writeString(module.resolve("emulator_override.tf"), override(emu.motoEndpoint().toString()), StandardCharsets.UTF_8);
    ok(terraform(module, env, "init", "-input=false", "-no-color"), "terraform init");
    ok(terraform(module, env, "validate", "-no-color"), "terraform validate");
    ExternalTools.Result apply = ok(terraform(module, env, "apply", "-auto-approve", "-input=false", "-no-color"), "terraform apply");
    System.out.println("TerraformExportIT: terraform apply:\n" + tail(apply.output(), 12));

    try (AwsClients aws = AwsClients.builder().endpoint(emu.motoEndpoint()).region(emu.region().id()).credentials(emu.credentials()).build()) {
      Provisioner p = Provisioner.builder().spec(spec).clients(aws).build();
      VerifyReport report = p.verify();
      System.out.println("TerraformExportIT: verify on what Terraform made:\n" + report.toText());
      assertTrue(report.allPassed(), report.toText());
      assertEquals(List.of(), p.apply().changes(), "apply finds everything as it would have made it");

      ExternalTools.Result plan = terraform(module, env, "plan", "-detailed-exitcode", "-input=false", "-no-color");
      System.out.println("TerraformExportIT: second terraform plan:\n" + tail(plan.output(), 4));
      assertEquals(0, plan.exit(), "a second plan shows no changes (exit 0, 2 means changes):\n" + plan.output());

      JsonNode outputs = ExportedFiles.json(ok(terraform(module, env, "output", "-json", "-no-color"), "terraform output").output());
      HandoffBundle bundle = p.bundle();
      assertEquals(outputs.path("YOUR_CMK_ARN").path("value").asText(), bundle.keyArn().toString());
      assertEquals(outputs.path("YOUR_ROLE_ARN").path("value").asText(), bundle.roleArn());
      assertEquals(outputs.path("YOUR_LOG_GROUP_NAME").path("value").asText(), bundle.logGroupName());
      assertEquals(EXTERNAL_ID, bundle.externalId());
      Path bundles = Files.createDirectories(dir.resolve("bundles"));
      bundle.write(bundles.resolve("acme.json"));
      assertEquals(bundle.keyArn(), TenantDirectory.fromBundleDirectory(bundles).find("acme").orElseThrow().keyArn(),
          "the vendor library loads the bundle");
    }
  }

  private static ExternalTools.Result terraform(Path module, Map<String, String> env, String... args) {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "terraform";
    System.arraycopy(args, 0, cmd, 1, args.length);
    return ExternalTools.run(module, env, STEP, cmd);
  }

  private static ExternalTools.Result ok(ExternalTools.Result r, String what) {
    assertEquals(0, r.exit(), what + " failed:\n" + r.output());
    return r;
  }

  /** Points the provider at moto: an override file merges into the module's provider block. */
  private static String override(String endpoint) {
    StringBuilder b = new StringBuilder();
    b.append("provider \"aws\" {\n");
    b.append("  access_key                  = \"testing\"\n");
    b.append("  secret_key                  = \"testing\"\n");
    b.append("  skip_credentials_validation = true\n");
    b.append("  skip_metadata_api_check     = true\n");
    b.append("  skip_requesting_account_id  = true\n");
    b.append("  s3_use_path_style           = true\n\n");
    b.append("  endpoints {\n");
    for (String service : List.of("cloudtrail", "cloudwatchlogs", "iam", "kms", "s3", "sts")) {
      b.append("    ").append(service).append(" = \"").append(endpoint).append("\"\n");
    }
    b.append("  }\n}\n");
    return b.toString();
  }

  private static String tail(String text, int lines) {
    String[] l = text.strip().split("\n");
    return String.join("\n", java.util.Arrays.copyOfRange(l, Math.max(0, l.length - lines), l.length));
  }
}
