package dev.byok.provisioning.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.core.AwsAccountId;
import dev.byok.provisioning.Change;
import dev.byok.provisioning.PolicyDocuments;
import dev.byok.provisioning.PolicyLinter;
import dev.byok.provisioning.PropagationRetry;
import dev.byok.provisioning.Provisioner;
import dev.byok.provisioning.ProvisioningSpec;
import dev.byok.provisioning.ResourceNames;
import dev.byok.provisioning.VendorProfile;
import dev.byok.provisioning.internal.aws.FakeAws;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One part test's world: the fake AWS account, the guide's spec for acme / slack / sandbox in that
 * account (external ID given, so the documents are final), its names and documents, and a retry
 * policy whose waits are recorded instead of slept.
 */
final class Fixture {
  static final String VENDOR_ACCOUNT = "111122223333";
  static final String EXTERNAL_ID = "test-external-id-0001";

  final FakeAws aws = new FakeAws();
  final List<Duration> slept = new ArrayList<>();
  final PropagationRetry retry = PropagationRetry.builder().sleeper(slept::add).build();
  final ProvisioningSpec spec;
  final ResourceNames names;
  final PolicyDocuments docs;
  final PolicyLinter linter;

  Fixture() {
    this(base().build());
  }

  Fixture(ProvisioningSpec spec) {
    this.spec = spec;
    this.names = ResourceNames.of(spec, AwsAccountId.of(FakeAws.ACCOUNT));
    this.docs = Provisioner.plan(spec).documents();
    this.linter = PolicyLinter.forSpec(spec, names, false);
  }

  static ProvisioningSpec.Builder base() {
    return ProvisioningSpec.builder().company("acme").app("slack").env("sandbox").region(FakeAws.REGION)
        .vendor(VendorProfile.builtIn("slack")).addVendorAccount(AwsAccountId.of(VENDOR_ACCOUNT)).account(AwsAccountId.of(FakeAws.ACCOUNT))
        .externalId(EXTERNAL_ID).tag("team", "security").logRetentionDays(365);
  }

  /** A planned document as a tree (the parts take trees). */
  ObjectNode doc(String name) {
    return (ObjectNode) Json.parsePolicy(docs.json(name));
  }

  Calls calls(String operation) {
    return new Calls(operation, retry);
  }

  KmsKeys keys(Calls calls) {
    return new KmsKeys(aws.ports().kms(), calls, linter);
  }

  /** The customer key as apply wants it. */
  KmsKeys.Wanted customerKey() {
    return new KmsKeys.Wanted("key", names.keyAlias(), PolicyDocuments.KEY_POLICY, doc(PolicyDocuments.KEY_POLICY), spec.keyDescription(),
        spec.multiRegionKey(), spec.keyRotation(), true, spec.tags());
  }

  static List<String> calls(List<Change> changes) {
    return changes.stream().map(Change::call).toList();
  }
}
