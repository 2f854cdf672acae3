package dev.byok.cli.internal.demo;

import dev.byok.aws.events.KeyEventListener;
import dev.byok.aws.events.KeyEventStats;
import dev.byok.cli.internal.Endpoints;
import dev.byok.core.AwsAccountId;
import dev.byok.core.HandoffBundle;
import dev.byok.core.KeyAccessActions;
import dev.byok.core.audit.AuditSink;
import dev.byok.core.keys.KeyService;
import dev.byok.aws.logs.CloudWatchLogsAuditSink;
import dev.byok.core.TenantDirectory;
import dev.byok.aws.kms.AwsKmsKeyService;
import dev.byok.provisioning.AwsClients;
import dev.byok.provisioning.Change;
import dev.byok.provisioning.ChangeReport;
import dev.byok.provisioning.Plan;
import dev.byok.provisioning.Provisioner;
import dev.byok.provisioning.ProvisioningSpec;
import dev.byok.provisioning.Revocation;
import dev.byok.core.AwsAccountId;
import dev.byok.provisioning.VendorEventBus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;

/**
 * The demo on AWS or its emulators: provisioning applied for real (KMS key and policy, CloudTrail,
 * log group, IAM policy and role), the vendor on {@link AwsKmsKeyService}, audit events delivered
 * to the customer's log group by {@link CloudWatchLogsAuditSink} through the log role. Revocation
 * and restoration go through {@link Provisioner#revoke} / {@link Provisioner#restore}. Pushed key
 * events: the vendor's bus and this instance's queue ({@link VendorEventBus}, in the same account
 * here), the customer's rule to the bus (a second apply with the bus in the spec), and a
 * {@link KeyEventListener} on the queue. At the end {@link VendorEventBus#destroy} and
 * {@link Provisioner#destroy} remove what was created (keys scheduled for deletion in 7 days).
 */
final class AwsWorld implements World {
  private static final long DELIVERY_WAIT_MS = 30_000;

  private final String region;
  private final Endpoints endpoints;
  private final PrintWriter out;
  private final AwsClients clients;
  private final AwsKmsKeyService kms;
  private final RecordingKeyService recorder;
  private Provisioner provisioner;
  private HandoffBundle bundle;
  private final boolean keepResources;
  private CloudWatchLogsAuditSink sink;
  private ProvisioningSpec spec;
  private VendorEventBus vendorBus;
  private VendorEventBus.InstanceQueue queue;
  private KeyEventListener listener;
  private String eventBridgeAccount;

  AwsWorld(String region, Endpoints endpoints, PrintWriter out, boolean keepResources) {
    this.region = region;
    this.keepResources = keepResources;
    this.endpoints = endpoints;
    this.out = out;
    AwsClients.Builder b = AwsClients.builder().region(region);
    for (AwsClients.Service s : AwsClients.Service.values()) {
      endpoints.of(s.id()).ifPresent(u -> b.endpoint(s, u));
    }
    this.clients = b.build();
    AwsKmsKeyService.Builder k = AwsKmsKeyService.builder();
    endpoints.of("kms").ifPresent(k::endpointOverride);
    this.kms = k.build();
    this.recorder = new RecordingKeyService(kms);
  }

  @Override
  public String describe() {
    return endpoints.any() ? "AWS emulators (" + describeEndpoints() + "), region " + region
        : "AWS, region " + region + " (default credentials)";
  }

  private String describeEndpoints() {
    StringBuilder b = new StringBuilder();
    for (String s : List.of("kms", "iam", "sts", "logs", "s3", "cloudtrail")) {
      Optional<URI> u = endpoints.of(s);
      b.append(b.length() == 0 ? "" : ", ").append(s).append('=').append(u.map(URI::toString).orElse("AWS"));
    }
    return b.toString();
  }

  @Override
  public HandoffBundle setUp(Plan plan, PrintWriter o) {
    spec = plan.spec();
    provisioner = Provisioner.builder().spec(plan.spec()).clients(clients).build();
    ChangeReport r = provisioner.apply();
    o.println("  applied the plan: " + r.changes().size() + " calls");
    for (Change c : r.changes()) {
      o.println("    " + c.call() + "  " + c.resource());
    }
    bundle = r.handoffBundle().orElseThrow(() -> new IllegalStateException("apply returned no hand-off bundle"));
    return bundle;
  }

  @Override
  public KeyService vendorKeyService() {
    return recorder;
  }

  @Override
  public Optional<AuditSink> customerLogSink(Map<String, HandoffBundle> bundles) {
    CloudWatchLogsAuditSink.Builder b = CloudWatchLogsAuditSink.builder().tenants(TenantDirectory.of(bundles))
        .flushInterval(java.time.Duration.ofMillis(500));
    endpoints.of("sts").ifPresent(u -> b.stsClientCustomizer(s -> s.endpointOverride(u)));
    endpoints.of("logs").ifPresent(u -> b.logsClientCustomizer(l -> l.endpointOverride(u)));
    sink = b.build();
    out.println("  audit events go to the customer's log group " + bundle.logGroupName() + " through role "
        + bundle.roleArn() + " (STS AssumeRole with the external ID), and to a local JSON-lines file");
    return Optional.of(sink);
  }

  @Override
  public List<Call> calls() {
    return recorder.calls();
  }

  @Override
  public String callLogSource() {
    return "the vendor's record of its KMS calls (the customer's CloudTrail lists the same calls under the same "
        + "request IDs" + (recorder.standIns() > 0 ? "; this key service sent none, as local-kms does, so the record gave "
        + recorder.standIns() + " calls stand-ins, emulator-N, which AWS KMS would have sent" : "") + ")";
  }

  /**
   * The vendor's record of its KMS calls, written in CloudTrail's record format with the vendor's
   * account as the caller: what the customer's trail holds for them (the trail delivers the real
   * records within about 15 minutes, too late for the demo; the emulators keep no trail).
   */
  @Override
  public void writeTrailRecords(Path file, AwsAccountId vendor) throws java.io.IOException {
    TrailRecords.write(file, recorder.calls(), bundle.keyArn().toString(), vendor, region);
  }

  @Override
  public void disableKey() {
    provisioner.revoke(Revocation.disable());
  }

  @Override
  public void enableKey() {
    provisioner.restore(Revocation.disable());
  }

  @Override
  public boolean enforcesScopedDeny() {
    // The emulators store key policies without evaluating them.
    return !endpoints.of("kms").isPresent();
  }

  @Override
  public void denyScope(String key, String value) {
    provisioner.revoke(Revocation.denyScope(key, value));
  }

  @Override
  public void undenyScope(String key, String value) {
    provisioner.restore(Revocation.denyScope(key, value));
  }

  @Override
  public Optional<String> startKeyEvents(TenantDirectory tenants, KeyAccessActions actions, PrintWriter o) {
    eventBridgeAccount = clients.sts().getCallerIdentity().account();
    // moto's EventBridge cannot target SNS: on the emulators the rule targets the queue itself.
    vendorBus = VendorEventBus.builder().clients(clients).addCustomerAccount(AwsAccountId.of(eventBridgeAccount))
        .fanOut(endpoints.any() ? VendorEventBus.FanOut.RULE_TARGETS : VendorEventBus.FanOut.SNS).build();
    VendorEventBus.Report bus = vendorBus.apply();
    queue = vendorBus.addInstance("demo-1");
    o.println("      vendor: event bus " + vendorBus.busArn() + " (" + bus.changes().size() + " calls), this instance's queue "
        + queue.queueUrl() + " with a dead-letter queue");
    spec = spec.toBuilder().vendorEventBus(vendorBus.busArn()).build();
    provisioner = Provisioner.builder().spec(spec).clients(clients).build();
    ChangeReport r = provisioner.apply();
    o.println("      customer: apply again with --vendor-event-bus: " + r.changes().size() + " calls");
    for (Change c : r.changes()) {
      o.println("        " + c.call() + "  " + c.resource());
    }
    listener = KeyEventListener.builder().queueUrl(queue.queueUrl()).sqsClient(clients.sqs()).tenants(tenants).actions(actions)
        .name("demo-1").waitTime(Duration.ofSeconds(2)).build();
    listener.start();
    return Optional.of("the vendor's KeyEventListener demo-1 takes it");
  }

  @Override
  public String pushKeyEvent(String eventName) {
    if (!endpoints.any()) {
      return "CloudTrail puts it on the default bus itself";
    }
    Instant now = Instant.now();
    dev.byok.core.KeyArn key = bundle.keyArn();
    var record = CloudTrailEvents.record(eventName, key, now);
    if (key.account().value().equals(eventBridgeAccount)) {
      var put = clients.eventBridge().putEvents(b -> b.entries(software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry
          .builder().source("aws.kms").detailType("AWS API Call via CloudTrail").detail(record.toString()).build()));
      if (put.failedEntryCount() > 0) {
        throw new IllegalStateException("PutEvents refused the " + eventName + " event: " + put.entries());
      }
      return "put on the customer's default bus as CloudTrail would; its rule forwards it to the vendor's bus, whose rule "
          + "delivers it to the queue";
    }
    clients.sqs().sendMessage(b -> b.queueUrl(queue.queueUrl()).messageBody(CloudTrailEvents.event(record, key, now)));
    return "sent to the queue as EventBridge delivers it (here the key is in local-kms's account " + key.account().value()
        + " and moto's EventBridge would stamp its own account " + eventBridgeAccount + " on the event, which the listener "
        + "must refuse; the route through the rules is tested on moto by KeyEventsIT)";
  }

  @Override
  public Optional<KeyEventStats> keyEventStats() {
    return listener == null ? Optional.empty() : Optional.of(listener.stats());
  }

  @Override
  public long deliveredAuditEvents(long expected) throws InterruptedException {
    long deadline = System.currentTimeMillis() + DELIVERY_WAIT_MS;
    long n;
    do {
      n = countEvents(bundle.logGroupName());
      if (n >= expected) {
        return n;
      }
      Thread.sleep(250);
    } while (System.currentTimeMillis() < deadline);
    return n;
  }

  private long countEvents(String group) {
    long n = 0;
    String token = null;
    do {
      FilterLogEventsResponse r = clients.logs().filterLogEvents(
          FilterLogEventsRequest.builder().logGroupName(group).nextToken(token).build());
      n += r.events().size();
      token = r.nextToken();
    } while (token != null);
    return n;
  }

  @Override
  public void close() {
    if (listener != null) {
      listener.close();
    }
    try {
      if (vendorBus != null && !keepResources) {
        VendorEventBus.Report r = vendorBus.destroy();
        out.println("cleaned up the vendor's event bus and queues: " + r.changes().size() + " calls");
      }
    } catch (RuntimeException e) {
      out.println("clean-up of the vendor's event bus failed: " + e.getMessage());
    }
    try {
      if (provisioner != null && keepResources) {
        out.println("kept the resources (remove them with 'byok provision destroy --company acme --app slack --env sandbox ...')");
      } else if (provisioner != null) {
        ChangeReport r = provisioner.destroy(7);
        out.println("cleaned up: " + r.changes().size() + " calls (keys scheduled for deletion in 7 days)");
      }
    } catch (RuntimeException e) {
      out.println("clean-up failed (remove the resources with 'byok provision destroy'): " + e.getMessage());
    } finally {
      kms.close();
      clients.close();
    }
  }
}
