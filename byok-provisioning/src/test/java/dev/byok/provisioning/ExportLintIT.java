package dev.byok.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exports and documents checked from outside, for every vendor profile (and the options case,
 * and a profile that widens the actions): cfn-lint reports no error on the CloudFormation template,
 * {@code terraform fmt -check} passes on the Terraform module (when terraform is on the PATH), and
 * parliament finds nothing in any policy document but its known false positives, listed in
 * {@link #KNOWN_FALSE_POSITIVES} with the reason for each. A case with a vendor key-event bus puts
 * the key-event rule, its target and its role before both linters. cfn-lint and parliament are the pinned
 * versions {@code ./scripts/install-emulators} installs into {@code .tools/lint}.
 */
class ExportLintIT {
  /** parliament's findings that are not problems in these documents, by issue, with the documents they may occur in and why. */
  private static final List<KnownFalsePositive> KNOWN_FALSE_POSITIVES = List.of(
      new KnownFalsePositive("RESOURCE_STAR", List.of(PolicyDocuments.KEY_POLICY, PolicyDocuments.LOG_KEY_POLICY),
          "in a key policy Resource \"*\" means the key the policy is attached to; parliament reads it as every resource"),
      new KnownFalsePositive("MALFORMED", List.of(PolicyDocuments.TRUST_POLICY, PolicyDocuments.KEY_EVENTS_TRUST_POLICY),
          "a role's trust policy has no Resource (the role is the resource); parliament expects one in every statement"));

  record KnownFalsePositive(String issue, List<String> documents, String reason) {}

  static Map<String, ProvisioningSpec> cases() {
    Map<String, ProvisioningSpec> out = new LinkedHashMap<>();
    for (String vendor : VendorProfile.BUILT_IN) {
      out.put(vendor, Specs.base(vendor).build());
    }
    out.put("slack-options", Specs.withOptions().toBuilder().tag("team", "security").logRetentionDays(365)
        .logGroupKmsKey("arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-0000-4000-8000-000000000001").build());
    out.put("widened", Specs.base("generic").vendor(VendorProfile.create("widened", "Widened SaaS",
        List.of("kms:GenerateDataKey*", "kms:Decrypt", "kms:DescribeKey", "kms:ReEncrypt*"), true, List.of())).build());
    // the rule on the default bus, its target (the vendor's bus) and the role EventBridge assumes
    out.put("slack-key-events", Specs.base("slack").tag("team", "security").vendorEventBus(KeyEventProvisioningTest.BUS).build());
    return out;
  }

  @Test
  void cfnLint_everyProfilesTemplate_noErrors(@TempDir Path dir) throws IOException {
    Path cfnLint = ExternalTools.lintTool("cfn-lint");
    Map<String, String> results = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, ProvisioningSpec> c : cases().entrySet()) {
      Path file = dir.resolve(c.getKey() + ".template.json");
      Files.writeString(file, Provisioner.export(c.getValue(), ExportFormat.CLOUDFORMATION).files().get("template.json"),
          StandardCharsets.UTF_8);
      ExternalTools.Result r = ExternalTools.run(dir, Map.of(), Duration.ofMinutes(3), cfnLint.toString(), "--format", "parseable",
          file.getFileName().toString());
      // cfn-lint's exit status is a bit mask: 2 errors, 4 warnings, 8 informational
      results.put(c.getKey(), "exit " + r.exit() + (r.output().isBlank() ? ", no findings" : ":\n" + r.output().strip()));
      if ((r.exit() & 2) != 0 || (r.exit() & ~(2 | 4 | 8)) != 0) {
        failures.add(c.getKey() + ": " + r.output());
      }
    }
    System.out.println("ExportLintIT: cfn-lint per profile:");
    results.forEach((k, v) -> System.out.println("  " + k + ": " + v));
    assertEquals(List.of(), failures, "cfn-lint errors");
  }

  @Test
  void terraformFmt_everyProfilesModule_unchanged(@TempDir Path dir) throws IOException {
    Optional<String> noTerraform = terraformOnPath(dir);
    if (noTerraform.isPresent()) {
      System.out.println("ExportLintIT: terraform fmt skipped: " + noTerraform.get());
      org.junit.jupiter.api.Assumptions.abort(noTerraform.get());
    }
    for (Map.Entry<String, ProvisioningSpec> c : cases().entrySet()) {
      Path module = dir.resolve(c.getKey());
      Provisioner.export(c.getValue(), ExportFormat.TERRAFORM).writeTo(module);
      ExternalTools.Result r = ExternalTools.run(module, Map.of("CHECKPOINT_DISABLE", "1"), Duration.ofMinutes(1), "terraform", "fmt",
          "-check", "-diff", "-no-color");
      assertEquals(0, r.exit(), c.getKey() + ": terraform fmt would change the module:\n" + r.output());
    }
    System.out.println("ExportLintIT: terraform fmt -check passed for " + cases().keySet());
  }

  @Test
  void parliament_everyDocumentOfEveryProfile_onlyKnownFalsePositives(@TempDir Path dir) throws IOException {
    Path parliament = ExternalTools.lintTool("parliament");
    Path docs = Files.createDirectories(dir.resolve("documents"));
    int count = 0;
    for (Map.Entry<String, ProvisioningSpec> c : cases().entrySet()) {
      ProvisioningSpec spec = c.getValue().toBuilder().account(Specs.ACCOUNT).externalId(Specs.EXTERNAL_ID).build();
      PolicyDocuments d = Provisioner.plan(spec).documents();
      for (String name : d.names()) {
        if (name.equals(PolicyDocuments.KEY_EVENT_PATTERN)) {
          continue; // an event pattern, not a policy: PolicyLinter's key-event-pattern rule and cfn-lint check it
        }
        Files.writeString(docs.resolve(c.getKey() + "." + name + ".json"), d.prettyJson(name), StandardCharsets.UTF_8);
        count++;
      }
      // revoke writes documents too: the key policy with both Deny statements
      var withDenies = (com.fasterxml.jackson.databind.node.ObjectNode) ExportedFiles.json(d.json(PolicyDocuments.KEY_POLICY));
      withDenies.withArray("Statement").add(PolicyDocuments.denyVendorStatement(spec))
          .add(PolicyDocuments.denyScopeStatement(spec, "tenant", "T0001"));
      Files.writeString(docs.resolve(c.getKey() + ".keyPolicyRevoked.json"), withDenies.toPrettyString(), StandardCharsets.UTF_8);
      count++;
    }
    ExternalTools.Result r = ExternalTools.run(dir, Map.of(), Duration.ofMinutes(3), parliament.toString(), "--directory",
        docs.toString(), "--include_policy_extension", "json", "--json");
    List<String> unexpected = new ArrayList<>();
    Map<String, Integer> allowed = new TreeMap<>();
    for (String line : r.output().split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode f = ExportedFiles.json(line);
      String file = Path.of(f.path("location").path("filepath").asText()).getFileName().toString();
      String document = file.substring(file.indexOf('.') + 1, file.length() - ".json".length());
      String issue = f.path("issue").asText();
      Optional<KnownFalsePositive> known = KNOWN_FALSE_POSITIVES.stream()
          .filter(k -> k.issue().equals(issue) && k.documents().contains(document.replace("Revoked", ""))).findFirst();
      if (known.isPresent() && (!issue.equals("MALFORMED") || f.path("detail").asText().contains("neither Resource nor NotResource"))) {
        allowed.merge(issue + " in " + document.replace("Revoked", ""), 1, Integer::sum);
      } else {
        unexpected.add(file + ": " + line);
      }
    }
    System.out.println("ExportLintIT: parliament over " + count + " documents (" + cases().size() + " profiles), exit " + r.exit()
        + "; known false positives allowed: " + allowed);
    KNOWN_FALSE_POSITIVES.forEach(k -> System.out.println("  " + k.issue() + " in " + k.documents() + ": " + k.reason()));
    assertTrue(r.exit() == 0 || r.exit() == 1, "parliament ran: exit " + r.exit() + "\n" + r.output());
    assertEquals(List.of(), unexpected, "parliament findings that are not known false positives");
    assertTrue(count >= 60, "documents checked: " + count);
  }

  private static Optional<String> terraformOnPath(Path dir) {
    try {
      ExternalTools.Result v = ExternalTools.run(dir, Map.of("CHECKPOINT_DISABLE", "1"), Duration.ofSeconds(60), "terraform", "version");
      return v.exit() == 0 ? Optional.empty() : Optional.of("'terraform version' exited with " + v.exit());
    } catch (java.io.UncheckedIOException e) {
      return Optional.of("terraform is not on PATH");
    }
  }
}
