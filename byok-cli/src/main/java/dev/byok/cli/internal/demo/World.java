package dev.byok.cli.internal.demo;

import dev.byok.core.AwsAccountId;
import dev.byok.aws.events.KeyEventStats;
import dev.byok.core.HandoffBundle;
import dev.byok.core.KeyAccessActions;
import dev.byok.core.TenantDirectory;
import dev.byok.core.audit.AuditSink;
import dev.byok.core.keys.KeyService;
import dev.byok.provisioning.Plan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the demo's story happens: the embedded key service ({@link LocalWorld}) or AWS and its
 * emulators ({@link AwsWorld}). The customer side sets up and revokes; the vendor side gets a key
 * service and, where there is one, an audit sink to the customer's log group. Not thread-safe
 * except {@link #vendorKeyService()}, which the library calls from its threads.
 */
interface World extends AutoCloseable {

  /** One line of what the demo calls "a world", for the output. */
  String describe();

  /** Carries out the customer's set-up of {@code plan}; returns the hand-off bundle. */
  HandoffBundle setUp(Plan plan, PrintWriter out) throws Exception;

  /** The key service the vendor's library uses. */
  KeyService vendorKeyService();

  /** An extra audit sink (the customer's log group), or empty. */
  Optional<AuditSink> customerLogSink(Map<String, HandoffBundle> bundles);

  /** The key-service calls of the vendor, oldest first: what the customer's CloudTrail shows. */
  List<Call> calls();

  /** Where {@link #calls()} come from, for the output. */
  String callLogSource();

  /**
   * Writes the key-service calls (and, where known, the customer's key changes) as a CloudTrail log
   * file, for the customer's report; {@code vendor} is the vendor's account.
   */
  void writeTrailRecords(Path file, AwsAccountId vendor) throws Exception;

  void disableKey() throws Exception;

  void enableKey() throws Exception;

  /** Whether a scoped Deny on an encryption-context pair is enforced here (emulators: no). */
  boolean enforcesScopedDeny();

  void denyScope(String key, String value) throws Exception;

  void undenyScope(String key, String value) throws Exception;

  /**
   * Sets up pushed key events (the vendor's bus and this instance's queue, the customer's rule to
   * the bus) and starts the vendor's {@code KeyEventListener} on the queue, acting through
   * {@code actions}; returns a line saying where events come from, or empty where there is no queue
   * (the embedded key service: the push hook is called directly there).
   */
  Optional<String> startKeyEvents(TenantDirectory tenants, KeyAccessActions actions, PrintWriter out) throws Exception;

  /**
   * Delivers the customer's KMS call {@code eventName} on the key to the vendor's queue as its
   * CloudTrail event, where no CloudTrail does (the emulators); returns how it went, for the output.
   */
  String pushKeyEvent(String eventName) throws Exception;

  /** The key-event listener's counters, when one runs. */
  Optional<KeyEventStats> keyEventStats();

  /** Audit events found at the customer's end after delivery, or -1 when there is no log group. */
  long deliveredAuditEvents(long expected) throws Exception;

  @Override
  void close() throws Exception;

  /** One key-service call as the customer sees it. */
  final class Call {
    final Instant time;
    final String operation;
    final Map<String, String> context;
    final String requestId;
    final boolean ok;
    final String error;

    Call(Instant time, String operation, Map<String, String> context, String requestId, boolean ok, String error) {
      this.time = time;
      this.operation = operation;
      this.context = context;
      this.requestId = requestId;
      this.ok = ok;
      this.error = error;
    }
  }
}
