package dev.byok.cli.internal.demo;

import dev.byok.aws.events.KeyEventStats;
import dev.byok.core.AwsAccountId;
import dev.byok.core.KeyAccessActions;
import dev.byok.core.TenantDirectory;
import dev.byok.core.HandoffBundle;
import dev.byok.core.KeyArn;
import dev.byok.core.audit.AuditSink;
import dev.byok.core.keys.KeyService;
import dev.byok.local.LocalKeyCall;
import dev.byok.local.LocalKeyService;
import dev.byok.provisioning.Plan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The demo on the embedded {@link LocalKeyService}, in memory: no AWS, no network. The key policy
 * the plan renders is represented by the key's access list (the vendor account) and Deny rules.
 */
final class LocalWorld implements World {
  private final LocalKeyService keys;
  private final AwsAccountId vendor;
  private KeyArn key;

  LocalWorld(String region, AwsAccountId owner, AwsAccountId vendor) {
    this.keys = LocalKeyService.builder().region(region).ownerAccount(owner).build();
    this.vendor = vendor;
  }

  @Override
  public String describe() {
    return "the embedded key service (LocalKeyService, in memory; no AWS, no network)";
  }

  @Override
  public HandoffBundle setUp(Plan plan, PrintWriter out) {
    key = keys.createKey(plan.spec().keyDescription(), plan.names().keyAlias());
    out.println("  created key " + key + " (" + plan.names().keyAlias() + ") in the embedded key service");
    for (AwsAccountId a : plan.spec().vendorAccounts()) {
      keys.allowAccount(key.toString(), a);
      out.println("  key policy statement AllowVendorUseOfTheKey -> access list of the key: account " + a.value());
    }
    out.println("  (the trail, bucket, log group and log role exist only on AWS: 'byok demo --endpoint-url ...' creates them)");
    return HandoffBundle.builder().keyArn(key).region(key.region()).roleArn(plan.names().roleArn())
        .logGroupName(plan.names().logGroupName()).externalId(plan.spec().externalId().orElseThrow())
        .vendor(plan.spec().vendor().name()).build();
  }

  @Override
  public KeyService vendorKeyService() {
    return keys.clientFor(vendor);
  }

  @Override
  public Optional<AuditSink> customerLogSink(Map<String, HandoffBundle> bundles) {
    return Optional.empty();
  }

  @Override
  public List<Call> calls() {
    List<Call> out = new ArrayList<>();
    for (LocalKeyCall c : keys.callLog()) {
      if (c.callerAccount().equals(vendor)) {
        out.add(new Call(c.time(), c.operation().kmsName(), c.encryptionContext().asMap(), c.requestId(),
            c.outcome() == LocalKeyCall.Outcome.SUCCESS, c.errorCode().orElse(null)));
      }
    }
    return out;
  }

  @Override
  public String callLogSource() {
    return "the embedded key service's call log (its stand-in for CloudTrail)";
  }

  @Override
  public void writeTrailRecords(Path file, AwsAccountId vendorAccount) throws java.io.IOException {
    keys.writeCloudTrailRecords(file);
  }

  @Override
  public void disableKey() {
    keys.disableKey(key.toString());
  }

  @Override
  public void enableKey() {
    keys.enableKey(key.toString());
  }

  @Override
  public boolean enforcesScopedDeny() {
    return true;
  }

  @Override
  public void denyScope(String k, String v) {
    keys.addDenyRule(key.toString(), k, v);
  }

  @Override
  public void undenyScope(String k, String v) {
    keys.removeDenyRule(key.toString(), k, v);
  }

  @Override
  public Optional<String> startKeyEvents(TenantDirectory tenants, KeyAccessActions actions, PrintWriter out) {
    return Optional.empty();
  }

  @Override
  public String pushKeyEvent(String eventName) {
    return "no queue here";
  }

  @Override
  public Optional<KeyEventStats> keyEventStats() {
    return Optional.empty();
  }

  @Override
  public long deliveredAuditEvents(long expected) {
    return -1;
  }

  @Override
  public void close() {
    // in memory: nothing to release
  }
}
