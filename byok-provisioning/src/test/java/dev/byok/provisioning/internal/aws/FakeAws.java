package dev.byok.provisioning.internal.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The services provisioning calls, in memory, in one account and region, with one call log.
 * Tests read and change the fakes' state directly. Not thread-safe.
 */
public final class FakeAws {
  /** The account the fake credentials belong to. */
  public static final String ACCOUNT = "123456789012";
  public static final String REGION = "us-east-1";

  private final FakeService.Shared shared = new FakeService.Shared();
  private final List<String> log = shared.log;
  public final FakeKms kms = new FakeKms(REGION, ACCOUNT, shared);
  public final FakeS3 s3 = new FakeS3(ACCOUNT, shared);
  public final FakeCloudTrail cloudTrail = new FakeCloudTrail(s3, shared);
  public final FakeLogs logs = new FakeLogs(shared);
  public final FakeIam iam = new FakeIam(ACCOUNT, shared);
  public final FakeEvents events = new FakeEvents(REGION, ACCOUNT, shared);
  public final FakeSns sns = new FakeSns(REGION, ACCOUNT, shared);
  public final FakeSqs sqs = new FakeSqs(REGION, ACCOUNT, shared);
  private final StsPort sts = () -> {
    log.add("sts:GetCallerIdentity");
    return ACCOUNT;
  };

  /** Makes the {@code k}-th write from now (1-based, any service) fail with {@code error}. */
  public void failWrite(int k, AwsCallException error) {
    shared.writes = 0;
    shared.failAtWrite = k;
    shared.writeError = error;
  }

  /** The fakes as the ports provisioning uses. */
  public AwsPorts ports() {
    return new AwsPorts(kms, s3, cloudTrail, logs, iam, sts, events, sns, sqs);
  }

  /** Every call made so far, {@code service:Operation}, in order. */
  public List<String> log() {
    return List.copyOf(log);
  }

  /** The calls so far that change something (not Get, List, Describe or Head). */
  public List<String> writes() {
    List<String> out = new ArrayList<>();
    for (String c : log) {
      if (FakeService.isWrite(c.substring(c.indexOf(':') + 1))) {
        out.add(c);
      }
    }
    return out;
  }

  /** Forgets the calls so far. */
  public void clearLog() {
    log.clear();
  }

  /**
   * Every resource that exists, one line each: aliases, keys with their state, buckets with their
   * object count, trails, log groups, managed policies and roles with their attachments.
   */
  public TreeSet<String> inventory() {
    TreeSet<String> out = new TreeSet<>();
    kms.aliases.forEach((a, k) -> out.add("kms alias " + a + " -> " + k));
    kms.keys.values().forEach(k -> out.add("kms key " + k.id + " " + k.state));
    s3.buckets.forEach((n, b) -> out.add("s3 bucket " + n + " (" + b.objects.size() + " objects)"));
    cloudTrail.trails.keySet().forEach(t -> out.add("cloudtrail trail " + t));
    logs.groups.keySet().forEach(g -> out.add("logs group " + g));
    iam.policies.keySet().forEach(p -> out.add("iam policy " + p));
    iam.roles.forEach((n, r) -> out.add("iam role " + n + " " + r.attached + (r.inline.isEmpty() ? "" : " inline " + r.inline.keySet())));
    events.buses.forEach((n, b) -> {
      if (!n.equals(EventsPort.DEFAULT_BUS)) {
        out.add("events bus " + n);
      }
      b.rules.forEach((rn, r) -> out.add("events rule " + n + "/" + rn + " " + r.targets.keySet()));
    });
    sns.topics.forEach((t, v) -> out.add("sns topic " + t + " (" + v.subscriptions.size() + " subscriptions)"));
    sqs.queues.keySet().forEach(q -> out.add("sqs queue " + q));
    return out;
  }
}
