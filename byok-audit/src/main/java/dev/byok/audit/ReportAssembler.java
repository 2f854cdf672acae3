package dev.byok.audit;

import dev.byok.audit.internal.CloudTrailRecord;
import dev.byok.audit.internal.EventLine;
import dev.byok.audit.internal.EventSink;
import dev.byok.audit.internal.TrailSink;
import dev.byok.core.audit.KeyUseEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The join and the counts of one report. The vendor's events are read first: each event that
 * carries a KMS request ID goes into an index (request ID to reason, tenant and a matched flag), the
 * others only into counts. Then the trail is streamed: each KMS record is counted, looked up in the
 * index and forgotten, so memory grows with the events that called KMS (and the listed findings),
 * not with the trail. Not thread-safe: one report.
 */
final class ReportAssembler implements TrailSink, EventSink {
  static final String KMS = "kms.amazonaws.com";
  /** KMS's cryptographic operations: the calls that use a key. */
  static final Set<String> CRYPTOGRAPHIC = Set.of("Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey",
      "GenerateDataKeyWithoutPlaintext", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext", "Sign", "Verify",
      "GenerateMac", "VerifyMac", "DeriveSharedSecret");
  /** The customer's changes shown on the revocation timeline. */
  static final Set<String> CUSTOMER_CHANGES = Set.of("DisableKey", "EnableKey", "PutKeyPolicy", "ScheduleKeyDeletion",
      "CancelKeyDeletion");
  static final int MAX_PROBLEMS_LISTED = 100;
  static final int MAX_UNKNOWN_FIELDS_LISTED = 20;
  static final String NONE = "(none)";

  private final Instant from;
  private final Instant to;
  private final Set<String> vendorAccounts;
  private final int maxListed;

  /** The events that called KMS, by request ID. */
  private static final class EventRef {
    final String reason;
    boolean matched;

    EventRef(String reason) {
      this.reason = reason;
    }
  }

  private record UseKey(String reason, String tenant, String actor) {}

  private record CallKey(String operation, String principal, String account) {}

  private record DeniedKey(String eventName, String errorCode) {}

  private final Map<String, EventRef> byRequestId = new HashMap<>();
  private final Set<String> eventIds = new HashSet<>();
  private final Map<UseKey, long[]> uses = new HashMap<>();
  private final Map<String, long[]> tenantCache = new TreeMap<>();
  private final TimeBuckets buckets = new TimeBuckets();
  private final List<AuditReport.TimelineEntry> rawTimeline = new ArrayList<>();
  private long timelineNotListed;

  private long events;
  private long eventLinesSkipped;
  private long duplicateEvents;
  private long eventsOutsideWindow;
  private long eventsWithUnknownFields;
  private final Set<String> unknownFields = new TreeSet<>();
  private long operations;
  private long keyUses;
  private long fromKms;
  private long fromCache;

  private long logFilesRead;
  private long logFilesSkipped;
  private long objectsIgnored;
  private long records;
  private long kmsRecords;
  private long otherServiceRecords;
  private long malformedRecords;
  private long recordsOutsideWindow;
  private final List<AuditReport.Problem> problems = new ArrayList<>();
  private long problemsNotListed;

  private long vendorCalls;
  private long vendorCryptoCalls;
  private long vendorCryptoSucceeded;
  private long explained;
  private long unexplainedCount;
  private long deniedCount;
  private final Set<String> derivedVendorAccounts = new TreeSet<>();
  private final List<AuditReport.UnexplainedCall> unexplained = new ArrayList<>();
  private final Map<CallKey, long[]> calls = new HashMap<>();
  private final List<AuditReport.DeniedCall> denied = new ArrayList<>();
  private final Map<DeniedKey, Object[]> deniedByKind = new TreeMap<>(
      Comparator.comparing(DeniedKey::eventName).thenComparing(DeniedKey::errorCode));

  ReportAssembler(Instant from, Instant to, Set<String> vendorAccounts, int maxListed) {
    this.from = from;
    this.to = to;
    this.vendorAccounts = Set.copyOf(vendorAccounts);
    this.maxListed = maxListed;
  }

  private boolean inWindow(Instant t) {
    return (from == null || !t.isBefore(from)) && (to == null || t.isBefore(to));
  }

  private void problem(String where, String what) {
    if (problems.size() < MAX_PROBLEMS_LISTED) {
      problems.add(new AuditReport.Problem(where, what));
    } else {
      problemsNotListed++;
    }
  }

  // ------------------------------------------------------------------------------------ events

  @Override
  public void event(EventLine.Parsed parsed) {
    KeyUseEvent e = parsed.event();
    if (!inWindow(e.time())) {
      eventsOutsideWindow++;
      return;
    }
    if (!eventIds.add(e.eventId())) {
      duplicateEvents++;
      return;
    }
    events++;
    if (!parsed.unknownFields().isEmpty()) {
      eventsWithUnknownFields++;
      for (String f : parsed.unknownFields()) {
        if (unknownFields.size() < MAX_UNKNOWN_FIELDS_LISTED) {
          unknownFields.add(f);
        }
      }
    }
    String reason = e.reasonCode() == null ? NONE : e.reasonCode();
    if (e.kmsRequestId() != null && !e.kmsRequestId().isEmpty()) {
      byRequestId.putIfAbsent(e.kmsRequestId(), new EventRef(reason));
    }
    switch (e.operation()) {
      case ENCRYPT, DECRYPT -> use(e, reason);
      case REVOKED, RESTORED -> timeline(new AuditReport.TimelineEntry(e.time(), AuditReport.Party.VENDOR,
          e.operation().name(), "tenant " + e.tenant() + (e.error() == null ? "" : ": " + shorten(e.error(), 120)),
          1, e.time(), null));
      default -> { }
    }
  }

  private void use(KeyUseEvent e, String reason) {
    operations++;
    String tenant = e.encryptionContext().getOrDefault("tenant", e.tenant());
    long[] u = uses.computeIfAbsent(new UseKey(reason, tenant, e.actor() == null ? NONE : e.actor()), k -> new long[3]);
    long[] c = tenantCache.computeIfAbsent(tenant, k -> new long[3]);
    c[0]++;
    if (e.dataKeySource() == KeyUseEvent.DataKeySource.KMS) {
      fromKms++;
      c[1]++;
    } else if (e.dataKeySource() == KeyUseEvent.DataKeySource.CACHE) {
      fromCache++;
      c[2]++;
    }
    if (e.outcome() == KeyUseEvent.Outcome.SUCCESS) {
      keyUses++;
      u[0]++;
      if (e.dataKeySource() == KeyUseEvent.DataKeySource.KMS) {
        u[1]++;
      }
      buckets.add(reason, e.time());
    } else {
      u[2]++;
    }
  }

  @Override
  public void lineSkipped(String where, String reason) {
    eventLinesSkipped++;
    problem(where, reason);
  }

  @Override
  public void sourceRead(String name, long lines) {
    // counted per event
  }

  // ------------------------------------------------------------------------------------- trail

  @Override
  public void fileRead(String name, long n) {
    logFilesRead++;
  }

  @Override
  public void fileSkipped(String name, String reason, long recordsRead) {
    logFilesSkipped++;
    problem(name, reason + (recordsRead > 0 ? " (its first " + recordsRead + " records were used)" : ""));
  }

  @Override
  public void objectIgnored(String name) {
    objectsIgnored++;
  }

  @Override
  public void record(CloudTrailRecord r) {
    records++;
    if (!KMS.equals(r.eventSource())) {
      otherServiceRecords++;
      return;
    }
    Instant t;
    try {
      t = r.eventTime() == null ? null : Instant.parse(r.eventTime());
    } catch (DateTimeParseException e) {
      t = null;
    }
    if (t == null || r.eventName() == null) {
      malformedRecords++;
      problem("KMS record " + (r.eventID() == null ? "(no eventID)" : r.eventID()),
          t == null ? "no valid eventTime: '" + r.eventTime() + "'" : "no eventName");
      return;
    }
    if (!inWindow(t)) {
      recordsOutsideWindow++;
      return;
    }
    kmsRecords++;
    String account = r.userIdentity() == null ? null : r.userIdentity().accountId();
    boolean vendor = isVendor(account, r);
    if (CUSTOMER_CHANGES.contains(r.eventName())) {
      timeline(new AuditReport.TimelineEntry(t, vendor ? AuditReport.Party.VENDOR : AuditReport.Party.CUSTOMER,
          r.eventName(), changeDetail(r), 1, t, null));
    }
    if (!vendor) {
      return;
    }
    derivedVendorAccounts.add(account);
    vendorCalls++;
    String principal = principal(r.userIdentity());
    long[] c = calls.computeIfAbsent(new CallKey(r.eventName(), principal, account), k -> new long[3]);
    c[0]++;
    EventRef ref = r.requestID() == null ? null : byRequestId.get(r.requestID());
    if (ref != null) {
      ref.matched = true;
      explained++;
      c[2]++;
    }
    boolean crypto = CRYPTOGRAPHIC.contains(r.eventName());
    if (crypto) {
      vendorCryptoCalls++;
    }
    if (r.errorCode() != null) {
      c[1]++;
      deniedCount++;
      if (denied.size() < maxListed) {
        denied.add(new AuditReport.DeniedCall(t, r.eventName(), principal, r.errorCode(), r.errorMessage(),
            r.requestID(), ref != null));
      }
      Instant at = t;
      Object[] d = deniedByKind.computeIfAbsent(new DeniedKey(r.eventName(), r.errorCode()),
          k -> new Object[] {new long[1], at, at});
      ((long[]) d[0])[0]++;
      d[1] = t.isBefore((Instant) d[1]) ? t : d[1];
      d[2] = t.isAfter((Instant) d[2]) ? t : d[2];
      timeline(new AuditReport.TimelineEntry(t, AuditReport.Party.VENDOR, r.eventName() + " denied", r.errorCode(),
          1, t, null));
      return;
    }
    if (crypto) {
      vendorCryptoSucceeded++;
      if (ref == null) {
        unexplainedCount++;
        if (unexplained.size() < maxListed) {
          Map<String, String> ctx = r.requestParameters() == null ? null : r.requestParameters().encryptionContext();
          unexplained.add(new AuditReport.UnexplainedCall(r.requestID(), t, r.eventName(), principal, account,
              keyId(r), ctx, r.awsRegion()));
        }
      }
    }
  }

  /** Whether the caller is the vendor: a given vendor account, or (none given) any account but the key's own. */
  private boolean isVendor(String account, CloudTrailRecord r) {
    if (account == null) {
      return false;
    }
    if (!vendorAccounts.isEmpty()) {
      return vendorAccounts.contains(account);
    }
    String owner = keyOwner(r);
    return owner != null && !owner.equals(account);
  }

  /** The account of the key: from the resource ARN, else the key ARN in the request, else the recipient account. */
  static String keyOwner(CloudTrailRecord r) {
    if (r.resources() != null) {
      for (CloudTrailRecord.Resource res : r.resources()) {
        String a = arnAccount(res.arn());
        if (a != null && res.arn().startsWith("arn:") && res.arn().contains(":kms:")) {
          return a;
        }
      }
    }
    if (r.requestParameters() != null) {
      String a = arnAccount(r.requestParameters().keyId());
      if (a != null) {
        return a;
      }
    }
    return r.recipientAccountId();
  }

  private static String arnAccount(String arn) {
    if (arn == null || !arn.startsWith("arn:")) {
      return null;
    }
    String[] parts = arn.split(":", 6);
    return parts.length >= 6 && parts[4].matches("\\d{12}") ? parts[4] : null;
  }

  static String principal(CloudTrailRecord.UserIdentity u) {
    if (u == null) {
      return NONE;
    }
    if (u.sessionContext() != null && u.sessionContext().sessionIssuer() != null
        && u.sessionContext().sessionIssuer().arn() != null) {
      return u.sessionContext().sessionIssuer().arn();
    }
    if (u.arn() != null) {
      return u.arn();
    }
    if (u.invokedBy() != null) {
      return u.invokedBy();
    }
    if (u.accountId() != null) {
      return "account " + u.accountId();
    }
    return u.principalId() != null ? u.principalId() : NONE;
  }

  private static String keyId(CloudTrailRecord r) {
    if (r.resources() != null) {
      for (CloudTrailRecord.Resource res : r.resources()) {
        if (res.arn() != null && res.arn().contains(":kms:")) {
          return res.arn();
        }
      }
    }
    return r.requestParameters() == null ? null : r.requestParameters().keyId();
  }

  private static String changeDetail(CloudTrailRecord r) {
    String key = keyId(r);
    StringBuilder b = new StringBuilder(key == null ? "key ?" : "key " + key.substring(key.lastIndexOf('/') + 1));
    if (r.requestParameters() != null && r.requestParameters().pendingWindowInDays() != null) {
      b.append(", pending window ").append(r.requestParameters().pendingWindowInDays()).append(" days");
    }
    if (r.errorCode() != null) {
      b.append(" (failed: ").append(r.errorCode()).append(')');
    }
    return b.toString();
  }

  private void timeline(AuditReport.TimelineEntry e) {
    if (rawTimeline.size() < 20L * maxListed) {
      rawTimeline.add(e);
    } else {
      timelineNotListed++;
    }
  }

  private static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }

  // ------------------------------------------------------------------------------------ result

  AuditReport result(Instant generatedAt, String trailSource, String eventSource) {
    long eventsWithoutTrail = byRequestId.values().stream().filter(r -> !r.matched).count();
    AuditReport.InputSummary input = new AuditReport.InputSummary(trailSource, logFilesRead, logFilesSkipped,
        objectsIgnored, records, kmsRecords, otherServiceRecords, malformedRecords, recordsOutsideWindow, eventSource,
        events, eventLinesSkipped, duplicateEvents, eventsOutsideWindow, eventsWithUnknownFields,
        List.copyOf(unknownFields), eventsWithoutTrail, problems, problemsNotListed);
    AuditReport.Headline headline = new AuditReport.Headline(kmsRecords, vendorCalls, vendorCryptoCalls, explained,
        unexplainedCount, deniedCount, keyUses);

    unexplained.sort(Comparator.comparing(AuditReport.UnexplainedCall::eventTime));
    denied.sort(Comparator.comparing(AuditReport.DeniedCall::eventTime));

    List<AuditReport.CallCount> callCounts = new ArrayList<>();
    calls.forEach((k, v) -> callCounts.add(new AuditReport.CallCount(k.operation(), k.principal(),
        k.account(), v[0], v[1], v[2])));
    callCounts.sort(Comparator.comparing(AuditReport.CallCount::operation).thenComparing(AuditReport.CallCount::principal));

    List<AuditReport.KeyUse> useList = new ArrayList<>();
    uses.forEach((k, v) -> useList.add(new AuditReport.KeyUse(k.reason(), k.tenant(), k.actor(), v[0], v[1], v[2])));
    useList.sort(Comparator.comparing(AuditReport.KeyUse::reasonCode).thenComparing(AuditReport.KeyUse::tenant)
        .thenComparing(AuditReport.KeyUse::actor));

    List<AuditReport.DeniedSummary> deniedSummary = new ArrayList<>();
    deniedByKind.forEach((k, d) -> deniedSummary.add(new AuditReport.DeniedSummary(k.eventName(), k.errorCode(),
        ((long[]) d[0])[0], (Instant) d[1], (Instant) d[2])));

    List<AuditReport.TenantCache> tenants = new ArrayList<>();
    tenantCache.forEach((t, c) -> tenants.add(new AuditReport.TenantCache(t, c[0], c[1], c[2])));
    AuditReport.CacheEffect cache = new AuditReport.CacheEffect(operations, vendorCryptoSucceeded, fromKms, fromCache,
        vendorCryptoSucceeded == 0 ? null : (double) operations / vendorCryptoSucceeded, tenants);

    List<String> accounts = vendorAccounts.isEmpty() ? List.copyOf(derivedVendorAccounts)
        : List.copyOf(new TreeSet<>(vendorAccounts));
    return new AuditReport(generatedAt, new AuditReport.Window(from, to), accounts, !vendorAccounts.isEmpty(), headline,
        input, unexplained, callCounts, useList, denied, deniedSummary, mergedTimeline(), cache, buckets.result());
  }

  /** Sorts the raw entries, merges runs of the same kind, and adds the time since the customer's last change. */
  private List<AuditReport.TimelineEntry> mergedTimeline() {
    rawTimeline.sort(Comparator.comparing(AuditReport.TimelineEntry::time)
        .thenComparing(e -> e.party() == AuditReport.Party.CUSTOMER ? 0 : 1));
    List<AuditReport.TimelineEntry> out = new ArrayList<>();
    Instant lastChange = null;
    int i = 0;
    while (i < rawTimeline.size()) {
      AuditReport.TimelineEntry first = rawTimeline.get(i);
      int j = i + 1;
      if (first.party() == AuditReport.Party.VENDOR) {
        while (j < rawTimeline.size() && rawTimeline.get(j).party() == first.party()
            && rawTimeline.get(j).what().equals(first.what())) {
          j++;
        }
      }
      Set<String> details = new LinkedHashSet<>();
      for (int k = i; k < j; k++) {
        details.add(rawTimeline.get(k).detail());
      }
      String detail = mergeDetails(details);
      AuditReport.TimelineEntry last = rawTimeline.get(j - 1);
      Duration since = first.party() == AuditReport.Party.VENDOR && lastChange != null
          ? Duration.between(lastChange, first.time()) : null;
      out.add(new AuditReport.TimelineEntry(first.time(), first.party(), first.what(), detail, j - i, last.time(), since));
      if (first.party() == AuditReport.Party.CUSTOMER) {
        lastChange = first.time();
      }
      i = j;
    }
    if (timelineNotListed > 0) {
      out.add(new AuditReport.TimelineEntry(out.isEmpty() ? Instant.EPOCH : out.get(out.size() - 1).lastTime(),
          AuditReport.Party.VENDOR, "not listed", timelineNotListed + " further entries beyond the listing limit",
          timelineNotListed, out.isEmpty() ? Instant.EPOCH : out.get(out.size() - 1).lastTime(), null));
    }
    return out;
  }

  /** One detail as is; several: "tenants a, b: suffix" when all are "tenant X[: suffix]" with one suffix, else a list. */
  private static String mergeDetails(Set<String> details) {
    if (details.size() == 1) {
      return details.iterator().next();
    }
    Set<String> tenants = new LinkedHashSet<>();
    Set<String> suffixes = new LinkedHashSet<>();
    for (String d : details) {
      if (!d.startsWith("tenant ")) {
        tenants = null;
        break;
      }
      int colon = d.indexOf(": ");
      tenants.add(colon < 0 ? d.substring("tenant ".length()) : d.substring("tenant ".length(), colon));
      suffixes.add(colon < 0 ? "" : d.substring(colon));
    }
    boolean byTenant = tenants != null && suffixes.size() == 1;
    List<String> shown = new ArrayList<>();
    for (String d : byTenant ? tenants : details) {
      if (shown.size() == 5) {
        break;
      }
      shown.add(d);
    }
    int total = byTenant ? tenants.size() : details.size();
    String more = total > 5 ? " and " + (total - 5) + " more" : "";
    return byTenant ? "tenants " + String.join(", ", shown) + more + suffixes.iterator().next()
        : String.join("; ", shown) + more;
  }

  @Override
  public String toString() {
    return "ReportAssembler{records=" + records + ", events=" + events + "}";
  }
}
