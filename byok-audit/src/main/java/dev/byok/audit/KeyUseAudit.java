package dev.byok.audit;

import dev.byok.core.AwsAccountId;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The customer's audit of its key: joins the KMS records of its CloudTrail with the vendor's
 * reason-coded audit events on the KMS request ID ({@code requestID} in CloudTrail,
 * {@code kmsRequestId} in the event) and makes an {@link AuditReport}. Every cryptographic KMS call
 * by the vendor's accounts that no event explains is an <b>unexplained call</b>: a use of the key
 * without a stated reason.
 *
 * <pre>{@code
 * AuditReport report = KeyUseAudit.builder()
 *     .trail(TrailSource.s3(s3, "s3://acme-slack-sandbox-trail/byok"))
 *     .events(EventSource.logGroup(logs, "ACME_SLACK_SANDBOX_LOG_GROUP"))
 *     .addVendorAccount(AwsAccountId.of("444455556666"))
 *     .from(Instant.parse("2026-03-01T00:00:00Z"))
 *     .build()
 *     .run();
 * if (report.hasUnexplained()) { ... alert ... }
 * }</pre>
 *
 * <p>The events are read first and the request IDs of those that called KMS are kept; the trail is
 * then streamed record by record. Without vendor accounts, every caller account other than the
 * key's own (from the key ARN) counts as the vendor's.
 *
 * <p>Immutable and thread-safe; each {@link #run()} reads its sources anew.
 */
public final class KeyUseAudit {
  /** How many unexplained and denied calls a report lists by default (the counts are always exact). */
  public static final int DEFAULT_MAX_LISTED = 10_000;

  private final TrailSource trail;
  private final EventSource events;
  private final Set<String> vendorAccounts;
  private final Instant from;
  private final Instant to;
  private final int maxListed;
  private final Clock clock;

  private KeyUseAudit(Builder b) {
    this.trail = b.trail;
    this.events = b.events;
    this.vendorAccounts = Set.copyOf(b.vendorAccounts);
    this.from = b.from;
    this.to = b.to;
    this.maxListed = b.maxListed == null ? DEFAULT_MAX_LISTED : b.maxListed;
    this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
  }

  /** @return a new builder */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads both sources and makes the report.
   *
   * @return the report; {@link AuditReport#complete()} says whether every input was readable
   * @throws AuditInputException when a source cannot be read at all (missing, access denied, unreachable)
   */
  public AuditReport run() {
    ReportAssembler a = new ReportAssembler(from, to, vendorAccounts, maxListed);
    events.input().read(from, to, a);
    trail.input().read(from, to, a);
    return a.result(clock.instant(), trail.description(), events.description());
  }

  @Override
  public String toString() {
    return "KeyUseAudit{trail=" + trail.description() + ", events=" + events.description() + ", vendorAccounts="
        + new TreeSet<>(vendorAccounts) + ", from=" + from + ", to=" + to + "}";
  }

  /**
   * Builds a {@link KeyUseAudit}. {@link #trail} and {@link #events} are required. Each setter
   * fails on a bad value or when called twice ({@link IllegalStateException}); {@link #build()}
   * names a missing required value. Not thread-safe.
   */
  public static final class Builder {
    private TrailSource trail;
    private EventSource events;
    private final Set<String> vendorAccounts = new TreeSet<>();
    private Instant from;
    private Instant to;
    private Integer maxListed;
    private Clock clock;

    private Builder() {}

    private static void once(Object current, String what) {
      if (current != null) {
        throw new IllegalStateException("KeyUseAudit.Builder: " + what + " was already set");
      }
    }

    /**
     * Where the CloudTrail records come from (required).
     *
     * @param trail the source
     * @return this builder
     */
    public Builder trail(TrailSource trail) {
      once(this.trail, "trail");
      this.trail = Objects.requireNonNull(trail, "trail");
      return this;
    }

    /**
     * Where the vendor's audit events come from (required).
     *
     * @param events the source
     * @return this builder
     */
    public Builder events(EventSource events) {
      once(this.events, "events");
      this.events = Objects.requireNonNull(events, "events");
      return this;
    }

    /**
     * Adds an account whose calls are the vendor's; when none is added, every caller account other
     * than the key's own is.
     *
     * @param account the vendor's account
     * @return this builder
     * @throws IllegalStateException if the account was already added
     */
    public Builder addVendorAccount(AwsAccountId account) {
      Objects.requireNonNull(account, "account");
      if (!vendorAccounts.add(account.value())) {
        throw new IllegalStateException("KeyUseAudit.Builder: vendor account " + account.value() + " was already added");
      }
      return this;
    }

    /**
     * The start of the window, inclusive; open when not set.
     *
     * @param from the start
     * @return this builder
     */
    public Builder from(Instant from) {
      once(this.from, "from");
      this.from = Objects.requireNonNull(from, "from");
      return this;
    }

    /**
     * The end of the window, exclusive; open when not set.
     *
     * @param to the end
     * @return this builder
     */
    public Builder to(Instant to) {
      once(this.to, "to");
      this.to = Objects.requireNonNull(to, "to");
      return this;
    }

    /**
     * How many unexplained and denied calls a report lists (default {@value #DEFAULT_MAX_LISTED}, at least 1).
     *
     * @param n the limit
     * @return this builder
     */
    public Builder maxListed(int n) {
      once(this.maxListed, "maxListed");
      if (n < 1) {
        throw new IllegalArgumentException("maxListed: must be at least 1, got " + n);
      }
      this.maxListed = n;
      return this;
    }

    /**
     * The clock for the report's {@code generatedAt} (default: the UTC system clock).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      once(this.clock, "clock");
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the audit.
     *
     * @return the audit
     * @throws IllegalStateException naming {@code trail} or {@code events} when missing, or when
     *     {@code from} is not before {@code to}
     */
    public KeyUseAudit build() {
      if (trail == null) {
        throw new IllegalStateException("KeyUseAudit.Builder: trail is required");
      }
      if (events == null) {
        throw new IllegalStateException("KeyUseAudit.Builder: events is required");
      }
      if (from != null && to != null && !from.isBefore(to)) {
        throw new IllegalStateException("KeyUseAudit.Builder: from (" + from + ") must be before to (" + to + ")");
      }
      return new KeyUseAudit(this);
    }
  }
}
