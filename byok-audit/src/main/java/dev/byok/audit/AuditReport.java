package dev.byok.audit;

import dev.byok.audit.internal.HtmlRenderer;
import dev.byok.audit.internal.JsonRenderer;
import dev.byok.audit.internal.TextRenderer;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The customer's report on what the vendor did with its key, made by {@link KeyUseAudit}: the
 * vendor's KMS calls from the customer's CloudTrail joined by KMS request ID with the vendor's
 * reason-coded audit events. Its parts:
 * <ul>
 *   <li>{@link #headline()}: KMS calls by the vendor, how many an audit event explains, and the
 *       <b>unexplained</b> ones: cryptographic calls by the vendor's accounts with no event;
 *   <li>{@link #unexplained()}: each of those, with its {@code requestID};
 *   <li>{@link #calls()}: the vendor's KMS calls per operation and principal;
 *   <li>{@link #uses()}: key uses per reason code, tenant (from the encryption context) and actor;
 *   <li>{@link #denied()} and {@link #deniedSummary()}: the vendor's refused calls with their error codes;
 *   <li>{@link #timeline()}: the customer's DisableKey, EnableKey, PutKeyPolicy, ScheduleKeyDeletion
 *       and CancelKeyDeletion beside the vendor's REVOKED and RESTORED events and its denied calls,
 *       each with the time since the customer's last change;
 *   <li>{@link #cache()}: operations per KMS call;
 *   <li>{@link #usesOverTime()}: uses per reason code in time buckets (the HTML chart);
 *   <li>{@link #input()}: what was read, skipped and ignored. A report from incomplete input
 *       ({@link #complete()} false) says so in its first line in every format.
 * </ul>
 * Lists are capped at the audit's {@code maxListed}; the counts are always exact.
 *
 * <p>Formats: {@link #render(ReportFormat)} or {@link #writeTo(ReportFormat, Writer)}; the JSON has a
 * top-level {@code "unexplained"} array with one object per unexplained call. Immutable and thread-safe.
 */
public final class AuditReport {

  /**
   * The time window of the report; either end may be {@code null} (open).
   *
   * @param from inclusive start
   * @param to exclusive end
   */
  public record Window(Instant from, Instant to) {}

  /**
   * The headline counts.
   *
   * @param kmsRecords KMS records in the window (every caller)
   * @param vendorCalls KMS calls by the vendor's accounts
   * @param vendorCryptoCalls of which cryptographic (Encrypt, Decrypt, GenerateDataKey, ...)
   * @param explained vendor calls whose request ID an audit event carries
   * @param unexplained successful cryptographic vendor calls with no audit event: key uses without a reason
   * @param denied vendor calls that KMS refused (any error code)
   * @param keyUses the vendor's encrypt and decrypt operations that succeeded (from its events, cache hits included)
   */
  public record Headline(long kmsRecords, long vendorCalls, long vendorCryptoCalls, long explained, long unexplained,
      long denied, long keyUses) {}

  /**
   * A note on input that could not be used.
   *
   * @param where the file, object, line or log event
   * @param what what was wrong
   */
  public record Problem(String where, String what) {}

  /**
   * What was read.
   *
   * @param trailSource where the CloudTrail records came from
   * @param logFilesRead log files (or LookupEvents pages) read whole
   * @param logFilesSkipped log files that could not be read, whole or in part (the report is incomplete)
   * @param objectsIgnored objects beside the logs that are not log files (digest files and the like)
   * @param records CloudTrail records read, every service
   * @param kmsRecords of which {@code kms.amazonaws.com} records in the window
   * @param otherServiceRecords records of other services, ignored
   * @param malformedRecords KMS records without a usable time (the report is incomplete)
   * @param recordsOutsideWindow KMS records outside the window
   * @param eventSource where the audit events came from
   * @param events audit events used (in the window, duplicates removed)
   * @param eventLinesSkipped lines that are not audit events (the report is incomplete)
   * @param duplicateEvents events seen again under the same {@code eventId} (delivery is at least once), ignored
   * @param eventsOutsideWindow events outside the window
   * @param eventsWithUnknownFields events with fields this version does not know (read; the fields ignored)
   * @param unknownFields the names of those fields
   * @param eventsWithoutTrailRecord events carrying a KMS request ID that no trail record of the window has
   * @param problems the first skipped files and lines, with what was wrong
   * @param problemsNotListed how many more there were
   */
  public record InputSummary(String trailSource, long logFilesRead, long logFilesSkipped, long objectsIgnored,
      long records, long kmsRecords, long otherServiceRecords, long malformedRecords, long recordsOutsideWindow,
      String eventSource, long events, long eventLinesSkipped, long duplicateEvents, long eventsOutsideWindow,
      long eventsWithUnknownFields, List<String> unknownFields, long eventsWithoutTrailRecord,
      List<Problem> problems, long problemsNotListed) {
    /**
     * Copies the lists.
     *
     * @param trailSource as described above
     * @param logFilesRead as described above
     * @param logFilesSkipped as described above
     * @param objectsIgnored as described above
     * @param records as described above
     * @param kmsRecords as described above
     * @param otherServiceRecords as described above
     * @param malformedRecords as described above
     * @param recordsOutsideWindow as described above
     * @param eventSource as described above
     * @param events as described above
     * @param eventLinesSkipped as described above
     * @param duplicateEvents as described above
     * @param eventsOutsideWindow as described above
     * @param eventsWithUnknownFields as described above
     * @param unknownFields as described above
     * @param eventsWithoutTrailRecord as described above
     * @param problems as described above
     * @param problemsNotListed as described above
     */
    public InputSummary {
      unknownFields = List.copyOf(unknownFields);
      problems = List.copyOf(problems);
    }
  }

  /**
   * A cryptographic KMS call by the vendor that no audit event explains.
   *
   * @param requestID CloudTrail's {@code requestID}
   * @param eventTime when
   * @param eventName the operation, e.g. {@code Decrypt}
   * @param principal who (the role behind a session, else the caller's ARN)
   * @param account the caller's account
   * @param keyId the key as named in the request (or the resource ARN)
   * @param encryptionContext the call's encryption context
   * @param awsRegion the region
   */
  public record UnexplainedCall(String requestID, Instant eventTime, String eventName, String principal,
      String account, String keyId, Map<String, String> encryptionContext, String awsRegion) {
    /**
     * Copies the context, sorted by key.
     *
     * @param requestID as described above
     * @param eventTime as described above
     * @param eventName as described above
     * @param principal as described above
     * @param account as described above
     * @param keyId as described above
     * @param encryptionContext as described above
     * @param awsRegion as described above
     */
    public UnexplainedCall {
      encryptionContext = encryptionContext == null ? Map.of()
          : Collections.unmodifiableMap(new TreeMap<>(encryptionContext));
    }
  }

  /**
   * The vendor's KMS calls of one operation by one principal.
   *
   * @param operation e.g. {@code GenerateDataKey}
   * @param principal who
   * @param account the caller's account
   * @param calls how many
   * @param failed of which refused
   * @param explained of which an audit event carries the request ID
   */
  public record CallCount(String operation, String principal, String account, long calls, long failed,
      long explained) {}

  /**
   * The vendor's encrypt and decrypt operations for one reason code, tenant and actor.
   *
   * @param reasonCode the stated reason ({@code (none)} when the event had none)
   * @param tenant the {@code tenant} of the encryption context, else the event's tenant
   * @param actor who asked ({@code (none)} when not given)
   * @param uses operations that succeeded
   * @param fromKms of which the data key came from a KMS call
   * @param refused operations that failed or were refused
   */
  public record KeyUse(String reasonCode, String tenant, String actor, long uses, long fromKms, long refused) {}

  /**
   * One KMS call by the vendor that KMS refused.
   *
   * @param eventTime when
   * @param eventName the operation
   * @param principal who
   * @param errorCode e.g. {@code DisabledException}, {@code AccessDenied}
   * @param errorMessage KMS's message
   * @param requestID the request ID
   * @param hasEvent whether an audit event carries the request ID
   */
  public record DeniedCall(Instant eventTime, String eventName, String principal, String errorCode,
      String errorMessage, String requestID, boolean hasEvent) {}

  /**
   * The vendor's refused calls of one operation and error code.
   *
   * @param eventName the operation
   * @param errorCode the error code
   * @param calls how many
   * @param first the first
   * @param last the last
   */
  public record DeniedSummary(String eventName, String errorCode, long calls, Instant first, Instant last) {}

  /** Who a timeline entry is about. */
  public enum Party {
    /** The key owner's change to its key (from the trail). */
    CUSTOMER,
    /** The vendor: its REVOKED/RESTORED events, and its calls KMS refused (from the trail). */
    VENDOR
  }

  /**
   * One entry of the revocation timeline; consecutive entries of the same kind are merged.
   *
   * @param time when (the first of merged entries)
   * @param party whose
   * @param what {@code DisableKey}, {@code REVOKED}, {@code Decrypt denied}, ...
   * @param detail key, tenants, error code
   * @param count how many entries were merged
   * @param lastTime the last of merged entries
   * @param sinceCustomerChange time since the customer's last change before it ({@code null} for the
   *     customer's own entries and before the first change)
   */
  public record TimelineEntry(Instant time, Party party, String what, String detail, long count, Instant lastTime,
      Duration sinceCustomerChange) {}

  /**
   * Operations of one tenant and where their data keys came from.
   *
   * @param tenant the tenant
   * @param operations encrypt and decrypt operations
   * @param fromKms of which the data key came from a KMS call
   * @param fromCache of which from the data-key cache
   */
  public record TenantCache(String tenant, long operations, long fromKms, long fromCache) {}

  /**
   * The data-key cache's effect: the vendor's operations per KMS call.
   *
   * @param operations the vendor's encrypt and decrypt operations (its events)
   * @param kmsCalls the vendor's cryptographic KMS calls (the trail)
   * @param fromKms operations whose data key came from KMS (events)
   * @param fromCache operations served from the cache (events)
   * @param operationsPerKmsCall {@code operations / kmsCalls}, or {@code null} without KMS calls
   * @param tenants per tenant
   */
  public record CacheEffect(long operations, long kmsCalls, long fromKms, long fromCache,
      Double operationsPerKmsCall, List<TenantCache> tenants) {
    /**
     * Copies the list.
     *
     * @param operations as described above
     * @param kmsCalls as described above
     * @param fromKms as described above
     * @param fromCache as described above
     * @param operationsPerKmsCall as described above
     * @param tenants as described above
     */
    public CacheEffect {
      tenants = List.copyOf(tenants);
    }
  }

  /**
   * Key uses per reason code in equal time buckets.
   *
   * @param bucket the width of a bucket
   * @param reasonCodes the reason codes, in the order of each bucket's counts
   * @param buckets the buckets, oldest first, without gaps
   */
  public record UsesOverTime(Duration bucket, List<String> reasonCodes, List<Bucket> buckets) {
    /**
     * Copies the lists.
     *
     * @param bucket as described above
     * @param reasonCodes as described above
     * @param buckets as described above
     */
    public UsesOverTime {
      reasonCodes = List.copyOf(reasonCodes);
      buckets = List.copyOf(buckets);
    }
  }

  /**
   * One time bucket.
   *
   * @param start its start
   * @param counts uses per reason code, in the order of {@link UsesOverTime#reasonCodes()}
   */
  public record Bucket(Instant start, List<Long> counts) {
    /**
     * Copies the list.
     *
     * @param start as described above
     * @param counts as described above
     */
    public Bucket {
      counts = List.copyOf(counts);
    }
  }

  private final Instant generatedAt;
  private final Window window;
  private final List<String> vendorAccounts;
  private final boolean vendorAccountsGiven;
  private final Headline headline;
  private final InputSummary input;
  private final List<UnexplainedCall> unexplained;
  private final List<CallCount> calls;
  private final List<KeyUse> uses;
  private final List<DeniedCall> denied;
  private final List<DeniedSummary> deniedSummary;
  private final List<TimelineEntry> timeline;
  private final CacheEffect cache;
  private final UsesOverTime usesOverTime;

  AuditReport(Instant generatedAt, Window window, List<String> vendorAccounts, boolean vendorAccountsGiven,
      Headline headline, InputSummary input, List<UnexplainedCall> unexplained, List<CallCount> calls,
      List<KeyUse> uses, List<DeniedCall> denied, List<DeniedSummary> deniedSummary, List<TimelineEntry> timeline,
      CacheEffect cache, UsesOverTime usesOverTime) {
    this.generatedAt = Objects.requireNonNull(generatedAt);
    this.window = Objects.requireNonNull(window);
    this.vendorAccounts = List.copyOf(vendorAccounts);
    this.vendorAccountsGiven = vendorAccountsGiven;
    this.headline = Objects.requireNonNull(headline);
    this.input = Objects.requireNonNull(input);
    this.unexplained = List.copyOf(unexplained);
    this.calls = List.copyOf(calls);
    this.uses = List.copyOf(uses);
    this.denied = List.copyOf(denied);
    this.deniedSummary = List.copyOf(deniedSummary);
    this.timeline = List.copyOf(timeline);
    this.cache = Objects.requireNonNull(cache);
    this.usesOverTime = Objects.requireNonNull(usesOverTime);
  }

  /** @return when the report was made (the audit's clock) */
  public Instant generatedAt() {
    return generatedAt;
  }

  /** @return the time window */
  public Window window() {
    return window;
  }

  /** @return the accounts treated as the vendor's: those given, else every caller account other than the key's own */
  public List<String> vendorAccounts() {
    return vendorAccounts;
  }

  /** @return whether {@link #vendorAccounts()} were given rather than derived */
  public boolean vendorAccountsGiven() {
    return vendorAccountsGiven;
  }

  /** @return the headline counts */
  public Headline headline() {
    return headline;
  }

  /** @return what was read, skipped and ignored */
  public InputSummary input() {
    return input;
  }

  /** @return the unexplained calls, oldest first (at most {@code maxListed}; the count is in the headline) */
  public List<UnexplainedCall> unexplained() {
    return unexplained;
  }

  /** @return the vendor's KMS calls per operation and principal */
  public List<CallCount> calls() {
    return calls;
  }

  /** @return key uses per reason code, tenant and actor */
  public List<KeyUse> uses() {
    return uses;
  }

  /** @return the vendor's refused calls, oldest first (at most {@code maxListed}) */
  public List<DeniedCall> denied() {
    return denied;
  }

  /** @return the vendor's refused calls per operation and error code */
  public List<DeniedSummary> deniedSummary() {
    return deniedSummary;
  }

  /** @return the revocation timeline, oldest first */
  public List<TimelineEntry> timeline() {
    return timeline;
  }

  /** @return the cache's effect */
  public CacheEffect cache() {
    return cache;
  }

  /** @return key uses per reason code over time */
  public UsesOverTime usesOverTime() {
    return usesOverTime;
  }

  /** @return whether any successful cryptographic call by the vendor has no audit event */
  public boolean hasUnexplained() {
    return headline.unexplained() > 0;
  }

  /** @return whether every input was read: no log file or event line was skipped, no record malformed */
  public boolean complete() {
    return input.logFilesSkipped() == 0 && input.malformedRecords() == 0 && input.eventLinesSkipped() == 0;
  }

  /** @return why the report is incomplete, one phrase per cause; empty when it is complete */
  public List<String> incompleteReasons() {
    List<String> out = new ArrayList<>();
    if (input.logFilesSkipped() > 0) {
      out.add(input.logFilesSkipped() + " trail log file" + (input.logFilesSkipped() == 1 ? "" : "s") + " unreadable");
    }
    if (input.malformedRecords() > 0) {
      out.add(input.malformedRecords() + " KMS record" + (input.malformedRecords() == 1 ? "" : "s") + " malformed");
    }
    if (input.eventLinesSkipped() > 0) {
      out.add(input.eventLinesSkipped() + " event line" + (input.eventLinesSkipped() == 1 ? "" : "s")
          + " not audit events");
    }
    return List.copyOf(out);
  }

  /**
   * The report's first line in text: whether the input was complete, the unexplained count, the
   * vendor's calls, explained and denied.
   *
   * @return one line, no line break
   */
  public String headlineLine() {
    return TextRenderer.headlineLine(this);
  }

  /**
   * The report in {@code format}.
   *
   * @param format text, JSON or HTML
   * @return the whole document
   */
  public String render(ReportFormat format) {
    StringWriter w = new StringWriter();
    try {
      writeTo(format, w);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  /**
   * Writes the report in {@code format} to {@code out} (not closed).
   *
   * @param format text, JSON or HTML
   * @param out where to
   * @throws IOException from {@code out}
   */
  public void writeTo(ReportFormat format, Writer out) throws IOException {
    switch (Objects.requireNonNull(format, "format")) {
      case TEXT -> TextRenderer.write(this, out);
      case JSON -> JsonRenderer.write(this, out);
      case HTML -> HtmlRenderer.write(this, out);
      default -> throw new IllegalArgumentException("format " + format);
    }
  }

  @Override
  public String toString() {
    return "AuditReport{" + headlineLine() + "}";
  }
}
