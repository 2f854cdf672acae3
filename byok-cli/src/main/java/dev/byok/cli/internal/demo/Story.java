package dev.byok.cli.internal.demo;

import dev.byok.audit.AuditReport;
import dev.byok.audit.EventSource;
import dev.byok.audit.KeyUseAudit;
import dev.byok.audit.ReportFormat;
import dev.byok.audit.TrailSource;
import dev.byok.core.AccessReason;
import dev.byok.core.AwsAccountId;
import dev.byok.core.ByokException;
import dev.byok.core.EncryptionContext;
import dev.byok.core.HandoffBundle;
import dev.byok.core.KeyAccessRevokedException;
import dev.byok.core.ReasonCode;
import dev.byok.core.audit.AuditSink;
import dev.byok.core.audit.KeyUseEvent;
import dev.byok.crypto.CachePolicy;
import dev.byok.crypto.RevocationPolicy;
import dev.byok.crypto.TenantCrypto;
import dev.byok.core.TenantDirectory;
import dev.byok.crypto.audit.FanOutAuditSink;
import dev.byok.crypto.audit.JsonLinesFileAuditSink;
import dev.byok.provisioning.Plan;
import dev.byok.provisioning.PolicyDocuments;
import dev.byok.provisioning.Provisioner;
import dev.byok.provisioning.ProvisioningSpec;
import dev.byok.provisioning.VendorProfile;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The BYOK story of {@code byok demo}, in five headed steps, on a {@link World}. Every figure of the
 * last line is counted while the story runs. Not thread-safe: one run.
 */
public final class Story {
  /** The vendor's tenants: three workspaces of the customer, one customer key, one context each. */
  static final List<String> TENANTS = List.of("acme-eng", "acme-sales", "acme-legal");
  static final String DENIED_TENANT = "acme-legal";
  private static final String DATA_CLASS = "messages";
  /** Pause between the vendor's operations while a revocation is measured. */
  private static final Duration PACE = Duration.ofMillis(5);
  /** Operations after the first refusal that must all be refused. */
  private static final int AFTER_REFUSAL_OPERATIONS = 30;
  /** How far past its bound a measurement may run before the demo gives up. */
  private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(10);
  /** Allowance for thread scheduling on a busy machine when checking the revalidation bound. */
  private static final Duration SCHEDULING_SLACK = Duration.ofSeconds(1);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  private static final AccessReason WRITE = AccessReason.of(ReasonCode.USER_REQUEST, null, "user:alice");
  private static final AccessReason INDEX = AccessReason.of(ReasonCode.SEARCH_INDEXING, null, "indexer");
  private static final AccessReason SUPPORT = AccessReason.of(ReasonCode.VENDOR_SUPPORT_ACCESS, "ticket 4711", "support:jdoe");

  private final World world;
  private final PrintWriter out;
  private final Settings settings;
  private final Map<String, byte[]> stored = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();
  private TenantCrypto crypto;
  private HandoffBundle bundle;
  private long operations;
  private long refused;
  private long leaked;
  private long unexpected;
  private int recordCounter;
  private String externalId;

  /** What the story may vary. Immutable. */
  public static final class Settings {
    final String company;
    final String app;
    final String env;
    final String region;
    final String vendorProfile;
    final AwsAccountId vendorAccount;
    final AwsAccountId customerAccount;
    final Duration revalidateAfter;
    final Duration checkInterval;
    final Path workDir;
    final boolean workDirTemporary;
    final boolean verbose;

    public Settings(String company, String app, String env, String region, String vendorProfile,
        AwsAccountId vendorAccount, AwsAccountId customerAccount, Duration revalidateAfter, Duration checkInterval,
        Path workDir, boolean workDirTemporary, boolean verbose) {
      this.company = company;
      this.app = app;
      this.env = env;
      this.region = region;
      this.vendorProfile = vendorProfile;
      this.vendorAccount = vendorAccount;
      this.customerAccount = customerAccount;
      this.revalidateAfter = revalidateAfter;
      this.checkInterval = checkInterval;
      this.workDir = workDir;
      this.workDirTemporary = workDirTemporary;
      this.verbose = verbose;
    }
  }

  /** The measured figures of one run. */
  public static final class Result {
    public final int tenants;
    public final long operations;
    public final long kmsCalls;
    public final long revokedAfterMs;
    public final long refused;
    public final long leaked;
    public final boolean restored;
    public final long auditEvents;
    /** The customer's report over the whole run: unexplained, explained and denied KMS calls of the vendor. */
    public final long unexplained;
    public final long explained;
    public final long denied;
    public final long pushRevokedAfterMs;
    public final List<String> problems;

    Result(int tenants, long operations, long kmsCalls, long revokedAfterMs, long refused, long leaked,
        boolean restored, long auditEvents, AuditReport.Headline report, long pushRevokedAfterMs, List<String> problems) {
      this.tenants = tenants;
      this.operations = operations;
      this.kmsCalls = kmsCalls;
      this.revokedAfterMs = revokedAfterMs;
      this.refused = refused;
      this.leaked = leaked;
      this.restored = restored;
      this.auditEvents = auditEvents;
      this.unexplained = report.unexplained();
      this.explained = report.explained();
      this.denied = report.denied();
      this.pushRevokedAfterMs = pushRevokedAfterMs;
      this.problems = List.copyOf(problems);
    }

    public boolean ok() {
      return problems.isEmpty();
    }

    /** The last line, for scripts. */
    public String lastLine() {
      return "demo: " + (ok() ? "ok" : "failed") + " tenants=" + tenants + " operations=" + operations
          + " kms_calls=" + kmsCalls + " revoked_after_ms=" + revokedAfterMs + " refused_after_revoke=" + refused
          + " leaked_after_revoke=" + leaked + " restored=" + restored + " audit_events=" + auditEvents
          + " unexplained=" + unexplained + " explained=" + explained + " denied=" + denied
          + " push_revoked_after_ms=" + pushRevokedAfterMs;
    }
  }

  public Story(World world, PrintWriter out, Settings settings) {
    this.world = world;
    this.out = out;
    this.settings = settings;
  }

  /** Runs the five steps. */
  public Result run() throws Exception {
    out.println("byok demo: the bring-your-own-key story on " + world.describe());
    out.println("revocation is measured in real time against revalidateAfter = " + settings.revalidateAfter.toMillis()
        + " ms (probe every " + settings.checkInterval.toMillis() + " ms); "
        + (settings.workDirTemporary
            ? "the bundle, audit events and report go to a temporary folder removed at the end (--work-dir DIR keeps them)"
            : "files in " + settings.workDir)
        + (settings.verbose ? "" : "; --verbose prints the policy documents and the bundle"));

    heading(1, "Customer: plan the guide's set-up, create the key, write the hand-off bundle");
    Plan plan = stepPlan();
    Path bundleFile = settings.workDir.resolve("handoff-bundle.json");
    HandoffBundle written = world.setUp(plan, out);
    written.write(bundleFile);
    Plan applied = resolved(plan, written);
    if (settings.customerAccount == null) {
      printNames(applied, ", in the account apply resolved");
    }
    if (settings.verbose) {
      printDocuments(applied);
    }
    out.println("  wrote the hand-off bundle for the vendor (key ARN, region, log role, log group, external ID)"
        + (settings.workDirTemporary ? "" : ": " + bundleFile));
    if (settings.verbose) {
      out.println(indent("    ", Files.readString(bundleFile, StandardCharsets.UTF_8).strip()));
    }

    heading(2, "Vendor: load the bundle, encrypt and decrypt records of three tenants with reason codes");
    MemoryAuditSink memory = new MemoryAuditSink();
    Path auditFile = settings.workDir.resolve("audit-events.jsonl");
    JsonLinesFileAuditSink fileSink = JsonLinesFileAuditSink.open(auditFile);
    List<AuditSink> sinks = new ArrayList<>(List.of(memory, fileSink));
    bundle = HandoffBundle.read(bundleFile);
    Map<String, HandoffBundle> bundles = new LinkedHashMap<>();
    TenantDirectory.Builder dir = TenantDirectory.builder();
    for (String t : TENANTS) {
      dir.put(t, bundle);
      bundles.put(t, bundle);
    }
    TenantDirectory directory = dir.build();
    world.customerLogSink(bundles).ifPresent(sinks::add);
    AuditSink audit = FanOutAuditSink.of(sinks);
    boolean restored;
    long revokedAfterMs;
    long pushRevokedAfterMs;
    try {
      crypto = TenantCrypto.builder().keyService(world.vendorKeyService()).tenants(directory)
          .cachePolicy(CachePolicy.builder().revalidateAfter(settings.revalidateAfter).build())
          .revocationPolicy(RevocationPolicy.builder().checkInterval(settings.checkInterval).build())
          .auditSink(audit).build();
      stepVendor(memory);

      heading(3, "Customer's view: byok audit report, the key service's calls (CloudTrail records) joined with the "
          + "vendor's reason-coded events by request ID");
      fileSink.flush(Duration.ofSeconds(10));
      stepCustomerView(auditFile);

      heading(4, "Customer revokes and restores; the vendor's operations are refused, then resume");
      long[] measured = new long[2];
      restored = stepRevoke(measured, directory);
      revokedAfterMs = measured[0];
      pushRevokedAfterMs = measured[1];
    } finally {
      if (crypto != null) {
        crypto.close();
      }
      long undelivered = audit.close(Duration.ofSeconds(30));
      if (undelivered > 0) {
        problems.add(undelivered + " audit events were not delivered");
      }
    }

    heading(5, "Summary");
    List<KeyUseEvent> events = memory.events();
    long useEvents = events.stream().filter(e -> e.operation() == KeyUseEvent.Operation.ENCRYPT
        || e.operation() == KeyUseEvent.Operation.DECRYPT).count();
    if (useEvents != operations) {
      problems.add("audit events of encrypt/decrypt (" + useEvents + ") differ from the operations made (" + operations + ")");
    }
    long auditEvents = events.size();
    long delivered = world.deliveredAuditEvents(auditEvents);
    if (delivered >= 0) {
      out.println("  audit events delivered to the customer's log group " + bundle.logGroupName() + ": " + delivered
          + " (the vendor emitted " + auditEvents + ")");
      if (delivered < auditEvents) {
        problems.add("only " + delivered + " of " + auditEvents + " audit events reached the log group");
      }
      auditEvents = delivered;
    }
    long kmsCalls = world.calls().size();
    Map<String, Long> byOp = new TreeMap<>();
    for (KeyUseEvent e : events) {
      byOp.merge(e.operation().name(), 1L, Long::sum);
    }
    out.println("  tenants " + TENANTS.size() + ", vendor operations " + operations + ", key-service calls " + kmsCalls
        + " (" + callsByOperation() + ")");
    out.println("  audit events " + events.size() + " " + byOp + (settings.workDirTemporary ? "" : ", written to " + auditFile));
    out.println("  after a revocation: " + refused + " operations refused, " + leaked + " returned data; restored: " + restored);
    if (leaked > 0) {
      problems.add(leaked + " operations returned data after the first refusal");
    }
    if (unexpected > 0) {
      problems.add(unexpected + " operations failed unexpectedly");
    }
    if (!restored) {
      problems.add("access was not restored");
    }
    if (refused == 0) {
      problems.add("no operation was refused after revocation");
    }
    AuditReport whole = customerReport(auditFile, "trail-whole-run");
    Path html = settings.workDir.resolve("audit-report.html");
    Files.writeString(html, whole.render(ReportFormat.HTML), StandardCharsets.UTF_8);
    out.println("  the customer's report over the whole run" + (settings.workDirTemporary ? "" : " (HTML: " + html + ")") + ":");
    out.println("    " + whole.headlineLine());
    for (AuditReport.TimelineEntry e : whole.timeline()) {
      out.printf("    %s  %-8s  %-24s %-10s %s%n", TIME.format(e.time()), e.party().name().toLowerCase(),
          e.what() + (e.count() > 1 ? " x" + e.count() : ""), since(e), e.detail());
    }
    if (whole.hasUnexplained()) {
      problems.add(whole.headline().unexplained() + " KMS calls of the vendor have no audit event");
    }
    if (!whole.complete()) {
      problems.add("the customer's report was made from incomplete input: " + whole.incompleteReasons());
    }
    for (String p : problems) {
      out.println("  PROBLEM: " + p);
    }
    return new Result(TENANTS.size(), operations, kmsCalls, revokedAfterMs, refused, leaked, restored, auditEvents,
        whole.headline(), pushRevokedAfterMs, problems);
  }

  // ---------------------------------------------------------------------------------- step 1

  private Plan stepPlan() {
    byte[] ext = new byte[16];
    new SecureRandom().nextBytes(ext);
    externalId = HexFormat.of().formatHex(ext);
    Plan plan = Provisioner.plan(spec(settings.customerAccount));
    out.println("  company " + settings.company + ", app " + settings.app + ", environment " + settings.env
        + ", region " + settings.region + ", vendor " + plan.spec().vendor().displayName() + " (AWS account "
        + settings.vendorAccount.value() + ")");
    if (settings.customerAccount != null) {
      printNames(plan, "");
    } else {
      out.println("  names (the guide's conventions): printed once apply has resolved the account");
    }
    out.println("  lint: " + plan.documents().names().size() + " policy documents, " + plan.findings().size()
        + " findings" + (plan.lintPassed() ? " (size, no lock-out, no open principal, account IDs, vendor actions, "
        + "log resources, external ID: all pass)" : ""));
    plan.findings().forEach(f -> out.println("    LINT " + f));
    if (!plan.lintPassed()) {
      problems.add("the plan has lint findings");
    }
    if (!settings.verbose) {
      out.println("  policy documents: key policy, the log role's trust and permission policies, bucket policy, CloudTrail "
          + "log-key policy (--verbose or 'byok provision plan' prints them)");
    }
    return plan;
  }

  /** The guide's spec for this run, in {@code account} ({@code null}: the account apply resolves). */
  private ProvisioningSpec spec(AwsAccountId account) {
    ProvisioningSpec.Builder spec = ProvisioningSpec.builder().company(settings.company).app(settings.app)
        .env(settings.env).region(settings.region).vendor(VendorProfile.builtIn(settings.vendorProfile))
        .addVendorAccount(settings.vendorAccount).externalId(externalId);
    if (account != null) {
      spec.account(account);
    }
    return spec.build();
  }

  /**
   * The plan as applied: where the account was left for apply to resolve (AWS, emulators), the same
   * plan in the account of the log role apply created, so the documents show it, not a placeholder.
   */
  private Plan resolved(Plan plan, HandoffBundle applied) {
    if (settings.customerAccount != null) {
      return plan;
    }
    String[] arn = applied.roleArn().split(":", 6); // arn:aws:iam::ACCOUNT:role/NAME
    try {
      return Provisioner.plan(spec(AwsAccountId.of(arn[4])));
    } catch (RuntimeException e) {
      return plan;
    }
  }

  private void printNames(Plan plan, String where) {
    out.println("  names (the guide's conventions" + where + "):");
    plan.resources().forEach((k, v) -> out.printf("    %-13s %s%n", k, v));
  }

  private void printDocuments(Plan plan) {
    out.println("  the policy documents as applied:");
    printDocument(plan, PolicyDocuments.KEY_POLICY, "key policy of " + plan.names().keyAlias());
    printDocument(plan, PolicyDocuments.TRUST_POLICY, "trust policy of the log role " + plan.names().roleName()
        + " (the vendor assumes it with the external ID)");
    printDocument(plan, PolicyDocuments.LOG_POLICY, "permission policy " + plan.names().logPolicyName()
        + " of the log role (the guide's CloudWatch Logs policy)");
    out.println("  (bucket policy and CloudTrail log-key policy: rendered and linted too; 'byok provision plan' shows them)");
  }

  private void printDocument(Plan plan, String name, String title) {
    if (!plan.documents().has(name)) {
      return;
    }
    out.println("  " + title + ":");
    out.println(indent("    ", plan.documents().prettyJson(name).strip()));
  }

  // ---------------------------------------------------------------------------------- step 2

  private void stepVendor(MemoryAuditSink memory) {
    out.println("  loaded the bundle: key " + bundle.keyArn() + ", log group " + bundle.logGroupName()
        + ", role " + bundle.roleArn());
    out.println("  tenants " + String.join(", ", TENANTS) + " share the customer's key; each tenant's records are bound to "
        + "the encryption context {data-class=" + DATA_CLASS + ", tenant=TENANT}");
    int callsBefore = world.calls().size();
    for (String t : TENANTS) {
      int before = memory.events().size();
      int kmsBefore = world.calls().size();
      byte[] last = null;
      for (int i = 0; i < 4; i++) {
        last = crypto.encrypt(t, context(t), WRITE, record(t));
        operations++;
        byte[] back = crypto.decrypt(t, context(t), INDEX, last);
        operations++;
        if (back.length == 0) {
          problems.add("empty plaintext for " + t);
        }
      }
      crypto.decrypt(t, context(t), SUPPORT, last);
      operations++;
      stored.put(t, last);
      List<KeyUseEvent> mine = memory.events().subList(before, memory.events().size());
      long fromKms = mine.stream().filter(e -> e.dataKeySource() == KeyUseEvent.DataKeySource.KMS).count();
      long fromCache = mine.stream().filter(e -> e.dataKeySource() == KeyUseEvent.DataKeySource.CACHE).count();
      out.printf("    %-11s 4 x encrypt (USER_REQUEST), 4 x decrypt (SEARCH_INDEXING), 1 x decrypt (VENDOR_SUPPORT_ACCESS, "
          + "ticket 4711): %d operations, data key from cache %d, from KMS %d; key-service calls %d%n",
          t, mine.size(), fromCache, fromKms, world.calls().size() - kmsBefore);
    }
    out.println("  " + operations + " operations cost " + (world.calls().size() - callsBefore)
        + " key-service calls: the data-key cache serves the rest, for at most revalidateAfter after KMS confirmed access");
  }

  private EncryptionContext context(String tenant) {
    return EncryptionContext.of(Map.of("tenant", tenant, "data-class", DATA_CLASS));
  }

  private byte[] record(String tenant) {
    return ("{\"tenant\":\"" + tenant + "\",\"record\":" + (++recordCounter) + ",\"text\":\"quarterly numbers\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------------------------- step 3

  /**
   * The customer's view is {@code byok audit report}: the key service's calls as CloudTrail records
   * (what the customer's trail holds) joined with the vendor's audit-event file by request ID.
   */
  private void stepCustomerView(Path auditFile) throws Exception {
    AuditReport r = customerReport(auditFile, "trail-step-3");
    out.println("  from " + world.callLogSource() + ", written as CloudTrail records, and the vendor's audit events "
        + auditFile.getFileName() + "; the same as 'byok audit report --trail-logs TRAIL --events FILE':");
    String text = withoutWorkDir(r.render(ReportFormat.TEXT).stripTrailing());
    if (!settings.verbose) {
      // each section's first line carries its figures; the tables under them are for --verbose
      text = text.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)) && l.matches(".*[0-9].*"))
          .collect(java.util.stream.Collectors.joining("\n"))
          + "\n(--verbose prints the whole report: calls per operation and principal, uses per reason, tenant and actor, ...)";
    }
    out.println(indent("    ", text));
  }

  private AuditReport customerReport(Path auditFile, String name) throws Exception {
    Path trail = Files.createDirectories(settings.workDir.resolve(name));
    world.writeTrailRecords(trail.resolve("cloudtrail.json.gz"), settings.vendorAccount);
    return KeyUseAudit.builder().trail(TrailSource.local(trail)).events(EventSource.jsonLines(auditFile))
        .addVendorAccount(settings.vendorAccount).build().run();
  }

  /** {@code text} with the temporary work folder's path taken out of file names: it is gone after the run. */
  private String withoutWorkDir(String text) {
    return settings.workDirTemporary ? text.replace(settings.workDir + java.io.File.separator, "") : text;
  }

  private static String since(AuditReport.TimelineEntry e) {
    if (e.sinceCustomerChange() == null) {
      return "";
    }
    return "+" + e.sinceCustomerChange().toMillis() + " ms";
  }

  // ---------------------------------------------------------------------------------- step 4

  /** Measures the polled revocation into {@code revokedAfterMs[0]} and the pushed one into {@code revokedAfterMs[1]}. */
  private boolean stepRevoke(long[] revokedAfterMs, TenantDirectory tenants) throws Exception {
    Set<String> all = Set.copyOf(TENANTS);
    long bound = settings.revalidateAfter.toMillis();

    out.println("  4a. customer disables the key (DisableKey); no event is pushed to the vendor, so the cache's "
        + "revalidation has to find out");
    long r = measureRefusal(() -> world.disableKey(), all, false, "every tenant");
    revokedAfterMs[0] = r;
    checkBound(r, bound, "whole-key revocation");
    boolean restoredKey = measureRestore(() -> world.enableKey(), all, "EnableKey");

    boolean restoredPush;
    out.println("  4b. the same with the customer's DisableKey event pushed to the vendor");
    java.util.Optional<String> queue = world.startKeyEvents(tenants, crypto.keyAccess(), out);
    if (queue.isPresent()) {
      out.println("      customer disables the key again; its DisableKey event goes to the vendor's queue (on AWS: CloudTrail -> "
          + "the customer's rule -> the vendor's bus -> the queue), where " + queue.get() + " and revokes at once");
      String[] how = new String[1];
      long pushed = measureRefusal(() -> {
        world.disableKey();
        how[0] = world.pushKeyEvent("DisableKey");
      }, all, false, "every tenant");
      out.println("      the event was " + how[0]);
      out.println("      pushed through the queue: refused after " + pushed + " ms; polled (4a): " + r + " ms; bound without push: "
          + bound + " ms");
      revokedAfterMs[1] = pushed;
      restoredPush = measureRestore(() -> {
        world.enableKey();
        world.pushKeyEvent("EnableKey");
      }, all, "EnableKey (its event only makes the vendor check now; the probe finds the key enabled)");
      world.keyEventStats().ifPresent(st -> {
        out.println("      listener: " + st.received() + " events received, " + st.revoked() + " revoked, " + st.checked()
            + " checked, " + st.ignored() + " ignored, lag from the call " + st.lastLag().toMillis() + " ms");
        if (st.revoked() < 1) {
          problems.add("the pushed DisableKey event revoked nothing (listener: " + st + ")");
        }
      });
    } else {
      out.println("      customer disables the key again, and its DisableKey event is pushed to the vendor, which calls "
          + "keyAccess().revoke(keyArn) (the push hook; on AWS or the emulators the event comes through EventBridge and "
          + "an SQS queue to a KeyEventListener)");
      long pushed = measureRefusal(() -> {
        world.disableKey();
        crypto.keyAccess().revoke(bundle.keyArn(), "pushed: DisableKey event");
      }, all, true, "every tenant");
      out.println("      with the push hook: refused after " + pushed + " ms instead of up to " + bound + " ms");
      revokedAfterMs[1] = pushed;
      restoredPush = measureRestore(() -> world.enableKey(), all, "EnableKey");
    }

    boolean restoredScope = true;
    if (world.enforcesScopedDeny()) {
      out.println("  4c. customer adds a scoped Deny to the key policy: kms:EncryptionContext:tenant = " + DENIED_TENANT
          + " (the other tenants keep working)");
      long scoped = measureRefusal(() -> world.denyScope("tenant", DENIED_TENANT), Set.of(DENIED_TENANT), false,
          DENIED_TENANT);
      checkBound(scoped, bound, "scoped revocation");
      restoredScope = measureRestore(() -> world.undenyScope("tenant", DENIED_TENANT), Set.of(DENIED_TENANT),
          "removes the Deny");
    } else {
      out.println("  4c. scoped Deny on tenant " + DENIED_TENANT + ": skipped here, because this key service does not "
          + "evaluate key policies (the emulators don't); run 'byok demo' on the embedded key service to see it");
    }
    return restoredKey && restoredPush && restoredScope;
  }

  private void checkBound(long measuredMs, long boundMs, String what) {
    boolean within = measuredMs <= boundMs;
    out.println("      " + what + ": first refusal " + measuredMs + " ms after the customer's change; revalidateAfter = "
        + boundMs + " ms -> " + (within ? "within the bound" : "over the bound by " + (measuredMs - boundMs)
        + " ms (scheduling delay)"));
    if (measuredMs > boundMs + SCHEDULING_SLACK.toMillis()) {
      problems.add(what + " took " + measuredMs + " ms, more than revalidateAfter " + boundMs + " ms + "
          + SCHEDULING_SLACK.toMillis() + " ms");
    }
  }

  /** A customer change; may throw. */
  private interface Change {
    void run() throws Exception;
  }

  /** The result of one vendor operation. */
  private enum Outcome { OK, REFUSED, ERROR }

  private Outcome operate(String tenant, boolean encrypt) {
    operations++;
    try {
      if (encrypt) {
        crypto.encrypt(tenant, context(tenant), WRITE, record(tenant));
      } else {
        crypto.decrypt(tenant, context(tenant), INDEX, stored.get(tenant));
      }
      return Outcome.OK;
    } catch (KeyAccessRevokedException e) {
      refused++;
      return Outcome.REFUSED;
    } catch (ByokException e) {
      unexpected++;
      out.println("      unexpected failure for " + tenant + ": " + e.getMessage());
      return Outcome.ERROR;
    }
  }

  /**
   * Makes the change, then keeps the vendor busy (all tenants in turn, encrypt and decrypt) until
   * the first refusal of an affected tenant; then checks that the next operations of affected
   * tenants are all refused and the others all work. Returns milliseconds from the change to the
   * first refusal.
   */
  private long measureRefusal(Change change, Set<String> affected, boolean push, String who) throws Exception {
    long bound = settings.revalidateAfter.toMillis() + GIVE_UP_AFTER.toMillis();
    long t0 = System.nanoTime();
    change.run();
    long firstRefusal = -1;
    int servedBefore = 0;
    int othersOk = 0;
    int i = 0;
    while (firstRefusal < 0) {
      if ((System.nanoTime() - t0) / 1_000_000 > bound) {
        problems.add("no refusal for " + who + " within " + bound + " ms");
        out.println("      no refusal within " + bound + " ms");
        return bound;
      }
      String t = TENANTS.get(i % TENANTS.size());
      Outcome o = operate(t, (i / TENANTS.size()) % 2 == 0);
      i++;
      if (affected.contains(t)) {
        if (o == Outcome.REFUSED) {
          firstRefusal = System.nanoTime();
        } else if (o == Outcome.OK) {
          servedBefore++;
        }
      } else if (o == Outcome.OK) {
        othersOk++;
      } else if (o == Outcome.REFUSED) {
        unexpected++;
      }
      if (firstRefusal < 0 && !push) {
        Thread.sleep(PACE.toMillis());
      }
    }
    long ms = (firstRefusal - t0) / 1_000_000;
    int after = 0;
    int afterRefused = 0;
    for (int j = 0; j < AFTER_REFUSAL_OPERATIONS; j++, i++) {
      String t = TENANTS.get(i % TENANTS.size());
      Outcome o = operate(t, (i / TENANTS.size()) % 2 == 0);
      if (affected.contains(t)) {
        after++;
        if (o == Outcome.OK) {
          leaked++;
        } else if (o == Outcome.REFUSED) {
          afterRefused++;
        }
      } else if (o == Outcome.OK) {
        othersOk++;
      } else if (o == Outcome.REFUSED) {
        unexpected++;
      }
    }
    out.println("      vendor: " + servedBefore + " operations of " + who + " were served from cached keys before the "
        + "first refusal at +" + ms + " ms; then " + (afterRefused == after ? "all " + after + " of its next operations"
        : afterRefused + " of its next " + after + " operations") + " were refused"
        + (affected.size() < TENANTS.size() ? "; other tenants: " + othersOk + " operations, all fine" : ""));
    return ms;
  }

  /** Makes the restoring change and waits for the vendor's probe to find access back. */
  private boolean measureRestore(Change change, Set<String> affected, String what) throws Exception {
    long t0 = System.nanoTime();
    change.run();
    long bound = settings.checkInterval.toMillis() + GIVE_UP_AFTER.toMillis();
    String probeTenant = affected.iterator().next();
    int attempts = 0;
    while (true) {
      attempts++;
      Outcome o = operate(probeTenant, false);
      if (o == Outcome.OK) {
        break;
      }
      if ((System.nanoTime() - t0) / 1_000_000 > bound) {
        out.println("      customer " + what + ": access did not return within " + bound + " ms");
        return false;
      }
      Thread.sleep(20);
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    boolean all = true;
    for (String t : TENANTS) {
      all &= operate(t, true) == Outcome.OK;
      all &= operate(t, false) == Outcome.OK;
    }
    out.println("      customer " + what + ": the vendor's probe (every " + settings.checkInterval.toMillis()
        + " ms) found access back after " + ms + " ms (" + attempts + " attempts); every tenant works again: "
        + (all ? "yes" : "NO"));
    return all;
  }

  // ---------------------------------------------------------------------------------- output

  private void heading(int n, String title) {
    out.println();
    out.println("== Step " + n + ". " + title + " ==");
  }

  private String callsByOperation() {
    Map<String, Integer> m = new TreeMap<>();
    for (World.Call c : world.calls()) {
      m.merge(c.operation, 1, Integer::sum);
    }
    StringBuilder b = new StringBuilder();
    m.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
    return b.toString();
  }

  private static String indent(String prefix, String text) {
    StringBuilder b = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      if (b.length() > 0) {
        b.append('\n');
      }
      b.append(prefix).append(line);
    }
    return b.toString();
  }
}
