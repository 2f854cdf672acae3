package dev.byok.crypto.internal.revocation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.byok.crypto.Scheduler;
import dev.byok.crypto.Ticker;
import dev.byok.core.EncryptionContext;
import dev.byok.core.InvalidCiphertextException;
import dev.byok.core.KeyAccessRevokedException;
import dev.byok.core.KeyArn;
import dev.byok.core.KeyServiceUnavailableException;
import dev.byok.core.ReasonCode;
import dev.byok.core.audit.AuditSink;
import dev.byok.core.audit.KeyUseEvent;
import dev.byok.core.keys.DecryptedDataKey;
import dev.byok.core.keys.EncryptedDataKey;
import dev.byok.core.keys.GeneratedDataKey;
import dev.byok.core.keys.KeyDescription;
import dev.byok.core.keys.KeyService;
import dev.byok.core.keys.KeyServiceException;
import dev.byok.core.keys.KeyServiceException.ErrorClass;
import dev.byok.core.keys.KeyState;
import dev.byok.crypto.KeyAccessStatus;
import dev.byok.crypto.CryptoMetrics;
import dev.byok.crypto.internal.CryptoSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every key-service call goes through here. Classifies failures (by the key service's
 * {@link ErrorClass}) and acts on them:
 *
 * <ul>
 *   <li><b>definitive</b>: the customer key is revoked at once, its cached data keys are purged, and
 *       later calls fail fast in {@link #checkAccess} without calling the key service. An
 *       AccessDenied on a data-key call is narrowed first: the key is probed with DescribeKey, and
 *       if that is allowed and the key is enabled, only the encryption-context scope of the denied
 *       call is revoked (a key policy denying {@code kms:EncryptionContext:tenant = acme}); if
 *       DescribeKey is denied too, or the key is not enabled, the whole key is;
 *   <li><b>a message's context</b>: a Decrypt is sent with the encryption context of a message header,
 *       which nobody has authenticated yet. A definitive failure of a Decrypt whose context KMS has
 *       never accepted with this key (no GenerateDataKey or Decrypt with it succeeded; a bounded
 *       set of {@value #MAX_CONFIRMED_CONTEXTS} per key is kept) fails that call only, with a
 *       {@link KeyAccessRevokedException} for the message: no revocation, no scope, no probe, so a
 *       crafted message (a copied data key under a narrower or empty context) cannot change anyone's
 *       access. Access state changes only from calls whose context the library chose (encrypt, a
 *       probe) or had seen confirmed (a re-confirmation, a Decrypt of a known context);
 *   <li><b>transient</b>: {@link KeyServiceUnavailableException}; never a revocation;
 *   <li><b>bad input</b>: {@link InvalidCiphertextException} on decrypt, the error itself otherwise.
 * </ul>
 *
 * <p>A revoked key or scope is probed every {@code checkInterval} (on the injected scheduler and
 * executor) and restored only when the operation that was denied succeeds again: the same
 * GenerateDataKey (same context) or the same Decrypt (same encrypted data key and context). A key
 * revoked by {@link #revoke(KeyArn, String)} (no call was denied) is probed with a GenerateDataKey
 * under a context KMS accepted before with this key, or, when none is known, with DescribeKey
 * (enabled).
 * {@link #revoke(KeyArn, String)} takes pushed events (e.g. the customer's CloudTrail DisableKey
 * via EventBridge). Every revocation, restoration, probe and failed revalidation is an audit event.
 *
 * <p>Thread-safe. The hot path ({@link #checkAccess}) is a map look-up and volatile reads.
 */
public final class RevocationMonitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RevocationMonitor.class);
  private static final String OP_GENERATE = "GenerateDataKey";
  private static final String OP_DECRYPT = "Decrypt";
  private static final String OP_DESCRIBE = "DescribeKey";

  /** How many contexts KMS accepted are remembered per customer key (least recently confirmed dropped). */
  static final int MAX_CONFIRMED_CONTEXTS = 1024;

  /** Drops cached data keys of a key, or of one scope of it ({@code scope} non-null). */
  @FunctionalInterface
  public interface Purger {
    void purge(KeyArn keyArn, @Nullable EncryptionContext scope);
  }

  private final KeyService keys;
  private final long checkIntervalNanos;
  private final Ticker ticker;
  private final Clock clock;
  private final Scheduler scheduler;
  private final Executor executor;
  private final @Nullable AuditSink audit; // null = auditing off
  private final CryptoMetrics metrics;
  private final Purger purger;
  private final ConcurrentHashMap<KeyArn, KeyRecord> records = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param settings the key service, the check interval ({@code revocationPolicy}), the ticker,
   *     clock, scheduler and executor of probes, the audit sink and the metrics
   * @param purger drops the cached data keys of a revoked key or scope
   */
  public RevocationMonitor(CryptoSettings settings, Purger purger) {
    this.keys = settings.keyService();
    this.checkIntervalNanos = settings.revocationPolicy().checkInterval().toNanos();
    this.ticker = settings.ticker();
    this.clock = settings.clock();
    this.scheduler = settings.scheduler();
    this.executor = settings.executor();
    this.audit = settings.auditSink();
    this.metrics = settings.metrics();
    this.purger = Objects.requireNonNull(purger, "purger");
  }

  // ------------------------------------------------------------------------------------ hot path

  /**
   * Fails fast when {@code keyArn} is revoked, or {@code context} falls in a revoked scope of it.
   *
   * @throws KeyAccessRevokedException without calling the key service
   */
  public void checkAccess(String tenant, KeyArn keyArn, EncryptionContext context) {
    KeyRecord r = records.get(keyArn);
    if (r == null) {
      r = record(keyArn, tenant);
    } else if (!r.tenants.contains(tenant)) {
      r.tenants.add(tenant);
    }
    Revocation whole = r.whole;
    if (whole != null) {
      throw new KeyAccessRevokedException(keyArn.toString(), null, whole.reason);
    }
    List<Revocation> scopes = r.scopes;
    for (int i = 0; i < scopes.size(); i++) {
      Revocation s = scopes.get(i);
      if (context.containsAll(s.scope)) {
        throw new KeyAccessRevokedException(keyArn.toString(), scopeText(s.scope), s.reason);
      }
    }
  }

  private KeyRecord record(KeyArn keyArn, @Nullable String tenant) {
    KeyRecord r = records.computeIfAbsent(keyArn, a -> {
      KeyRecord n = new KeyRecord(a);
      metrics.keyState(a, n, KeyRecord::stateCode);
      return n;
    });
    if (tenant != null) {
      r.tenants.add(tenant);
    }
    return r;
  }

  // ---------------------------------------------------------------------------- key-service calls

  /** GenerateDataKey, with failures classified and acted on. */
  public GeneratedDataKey generateDataKey(String tenant, KeyArn keyArn, EncryptionContext context) {
    checkAccess(tenant, keyArn, context);
    try {
      GeneratedDataKey g = keys.generateDataKey(keyArn, context);
      metrics.keyServiceCall(OP_GENERATE, "success");
      records.get(keyArn).confirmed(context);
      return g;
    } catch (RuntimeException e) {
      throw failed(new ProbeCall(OP_GENERATE, context, null), tenant, keyArn, e);
    }
  }

  /**
   * Decrypt of a message's data key, {@code context} being the message header's (unauthenticated)
   * context, with failures classified; a definitive failure changes access state only when KMS had
   * accepted {@code context} with this key before (see the class comment).
   */
  public DecryptedDataKey decryptDataKey(String tenant, KeyArn keyArn, EncryptedDataKey edk, EncryptionContext context) {
    return decrypt(tenant, keyArn, edk, context, false);
  }

  private DecryptedDataKey decrypt(String tenant, KeyArn keyArn, EncryptedDataKey edk, EncryptionContext context,
      boolean contextConfirmed) {
    checkAccess(tenant, keyArn, context);
    KeyRecord r = records.get(keyArn);
    try {
      DecryptedDataKey d = keys.decryptDataKey(keyArn, edk, context);
      metrics.keyServiceCall(OP_DECRYPT, "success");
      r.confirmed(context);
      return d;
    } catch (KeyServiceException e) {
      if (e.errorClass() == ErrorClass.DEFINITIVE && !contextConfirmed && !r.isConfirmed(context)) {
        metrics.keyServiceCall(OP_DECRYPT, "definitive");
        EncryptionContext scope = context.withoutReserved();
        LOG.debug("Decrypt under {} denied ({}) for a message context KMS never accepted with this key: that message fails, "
            + "access state unchanged", keyArn, e.errorCode());
        return throwDenied(keyArn, scope, e);
      }
      throw failed(new ProbeCall(OP_DECRYPT, context, edk), tenant, keyArn, e);
    } catch (RuntimeException e) {
      throw failed(new ProbeCall(OP_DECRYPT, context, edk), tenant, keyArn, e);
    }
  }

  private static DecryptedDataKey throwDenied(KeyArn keyArn, EncryptionContext scope, KeyServiceException e) {
    KeyAccessRevokedException denied = new KeyAccessRevokedException(keyArn.toString(),
        scope.isEmpty() ? "(empty context)" : scopeText(scope),
        e.errorCode() + " for this message's context, which KMS never accepted with this key; access state unchanged");
    denied.initCause(e);
    throw denied;
  }

  /**
   * Re-confirms access to a cached data key (a KMS Decrypt of its encrypted data key), for the
   * cache's revalidation. Success is a PROBE audit event carrying the call's KMS request ID (so the
   * customer can explain the Decrypt in its CloudTrail); a failure is a REVALIDATION_FAILED audit
   * event and is thrown. Only a transient failure ({@link KeyServiceUnavailableException}) leaves the
   * cached keys of {@code context} in place, for {@code outageGrace}; any other failure purges them.
   */
  public void reconfirm(String tenant, KeyArn keyArn, EncryptedDataKey edk, EncryptionContext context) {
    try {
      // The context of a cached key: KMS accepted it when the key was loaded.
      DecryptedDataKey d = decrypt(tenant, keyArn, edk, context, true);
      d.plaintext().destroy(); // the cache already holds the key; this call only confirms access
      emit(KeyUseEvent.builder().tenant(tenant).operation(KeyUseEvent.Operation.PROBE).keyArn(keyArn.toString())
          .encryptionContext(context.withoutReserved()).dataKeySource(KeyUseEvent.DataKeySource.KMS)
          .kmsRequestId(d.requestId()).outcome(KeyUseEvent.Outcome.SUCCESS));
    } catch (RuntimeException e) {
      emit(KeyUseEvent.builder().tenant(tenant).operation(KeyUseEvent.Operation.REVALIDATION_FAILED).keyArn(keyArn.toString())
          .encryptionContext(context.withoutReserved()).dataKeySource(KeyUseEvent.DataKeySource.KMS)
          .kmsRequestId(e instanceof KeyServiceException ? ((KeyServiceException) e).requestId() : requestIdOf(e))
          .outcome(e instanceof KeyAccessRevokedException ? KeyUseEvent.Outcome.DENIED : KeyUseEvent.Outcome.FAILURE)
          .error(e.getMessage()));
      if (!(e instanceof KeyServiceUnavailableException)) {
        // Not an outage (bad input, say): outageGrace must not keep serving this key, so it goes now.
        // (A definitive failure has purged it already, through the revocation.)
        purger.purge(keyArn, context);
      }
      throw e;
    }
  }

  private static @Nullable String requestIdOf(Throwable e) {
    Throwable c = e.getCause();
    return c instanceof KeyServiceException ? ((KeyServiceException) c).requestId() : null;
  }

  private RuntimeException failed(ProbeCall call, String tenant, KeyArn keyArn, RuntimeException e) {
    String op = call.operation;
    if (!(e instanceof KeyServiceException)) {
      metrics.keyServiceCall(op, "error");
      return new KeyServiceUnavailableException(op + " for " + keyArn + " failed unexpectedly: " + e, e);
    }
    KeyServiceException k = (KeyServiceException) e;
    switch (k.errorClass()) {
      case DEFINITIVE:
        metrics.keyServiceCall(op, "definitive");
        return onDefinitive(tenant, keyArn, call, k);
      case TRANSIENT:
        metrics.keyServiceCall(op, "transient");
        return new KeyServiceUnavailableException(op + " for " + keyArn + " failed, try again later: " + k.getMessage(), k);
      default:
        metrics.keyServiceCall(op, "bad_input");
        if (OP_DECRYPT.equals(op)) {
          return new InvalidCiphertextException("the encrypted data key could not be decrypted under the tenant's key", k);
        }
        return k;
    }
  }

  private KeyAccessRevokedException onDefinitive(String tenant, KeyArn keyArn, ProbeCall call, KeyServiceException e) {
    EncryptionContext scope = call.context.withoutReserved();
    if (isAccessDenied(e.errorCode()) && !scope.isEmpty()) {
      String wholeReason = null;
      try {
        KeyDescription d = keys.describeKey(keyArn);
        metrics.keyServiceCall(OP_DESCRIBE, "success");
        if (d.state() != KeyState.ENABLED) {
          wholeReason = "key state " + d.state();
        }
      } catch (KeyServiceException de) {
        metrics.keyServiceCall(OP_DESCRIBE, de.errorClass().name().toLowerCase(java.util.Locale.ROOT));
        if (de.errorClass() == ErrorClass.DEFINITIVE) {
          wholeReason = de.errorCode();
        }
      } catch (RuntimeException de) {
        metrics.keyServiceCall(OP_DESCRIBE, "error");
      }
      if (wholeReason == null) {
        revokeScope(tenant, keyArn, scope, e.errorCode(), e.requestId(), call);
        return new KeyAccessRevokedException(keyArn.toString(), scopeText(scope), e.errorCode());
      }
      revokeKey(tenant, keyArn, e.errorCode() + " (DescribeKey: " + wholeReason + ")", call, e.requestId());
      return new KeyAccessRevokedException(keyArn.toString(), null, e.errorCode());
    }
    revokeKey(tenant, keyArn, e.errorCode(), call, e.requestId());
    return new KeyAccessRevokedException(keyArn.toString(), null, e.errorCode());
  }

  private static boolean isAccessDenied(@Nullable String code) {
    return code != null && code.startsWith("AccessDenied");
  }

  // --------------------------------------------------------------------------- state transitions

  /**
   * Revokes {@code keyArn} at once, as on a pushed revocation event: purges its cached keys and
   * fails later calls fast until a probe finds access restored.
   */
  public void revoke(KeyArn keyArn, @Nullable String reason) {
    Objects.requireNonNull(keyArn, "keyArn");
    revokeKey(null, keyArn, reason == null ? "revoked by the application" : reason, null, null);
  }

  private void revokeKey(@Nullable String tenant, KeyArn keyArn, String reason, @Nullable ProbeCall probeCall,
      @Nullable String requestId) {
    KeyRecord r = record(keyArn, tenant);
    Revocation rev;
    synchronized (r) {
      if (r.whole != null) {
        return;
      }
      rev = new Revocation(null, reason, probeCall, clock.instant());
      r.whole = rev;
      r.scopes = List.of(); // the whole key covers them
    }
    purger.purge(keyArn, null);
    metrics.revoked(keyArn, false);
    LOG.warn("access to customer key {} revoked ({}): cached data keys purged; calls fail until a probe finds access restored",
        keyArn, reason);
    emitForTenants(r, tenant, KeyUseEvent.Operation.REVOKED, null, KeyUseEvent.Outcome.DENIED, reason, requestId);
    schedule(r, rev);
  }

  private void revokeScope(String tenant, KeyArn keyArn, EncryptionContext scope, String reason, @Nullable String requestId,
      ProbeCall probeCall) {
    KeyRecord r = record(keyArn, tenant);
    Revocation rev;
    synchronized (r) {
      if (r.whole != null) {
        return;
      }
      for (Revocation s : r.scopes) {
        if (scope.containsAll(s.scope)) {
          return;
        }
      }
      rev = new Revocation(scope, reason, probeCall, clock.instant());
      List<Revocation> next = new ArrayList<>(r.scopes);
      next.add(rev);
      r.scopes = List.copyOf(next);
    }
    purger.purge(keyArn, scope);
    metrics.revoked(keyArn, true);
    LOG.warn("access to customer key {} revoked for encryption-context scope {} ({}): its cached data keys purged",
        keyArn, scopeText(scope), reason);
    emitForTenants(r, tenant, KeyUseEvent.Operation.REVOKED, scope, KeyUseEvent.Outcome.DENIED, reason, requestId);
    schedule(r, rev);
  }

  private void restore(KeyRecord r, Revocation rev, @Nullable String requestId) {
    synchronized (r) {
      if (r.whole == rev) {
        r.whole = null;
      } else if (r.scopes.contains(rev)) {
        List<Revocation> next = new ArrayList<>(r.scopes);
        next.remove(rev);
        r.scopes = List.copyOf(next);
      } else {
        return;
      }
    }
    metrics.restored(r.keyArn);
    LOG.info("access to customer key {}{} restored", r.keyArn, rev.scope == null ? "" : " for scope " + scopeText(rev.scope));
    emitForTenants(r, null, KeyUseEvent.Operation.RESTORED, rev.scope, KeyUseEvent.Outcome.SUCCESS, null, requestId);
  }

  // ------------------------------------------------------------------------------------- probes

  private void schedule(KeyRecord r, Revocation rev) {
    if (closed) {
      return;
    }
    rev.nextProbeAt = ticker.read() + checkIntervalNanos;
    rev.pending = scheduler.schedule(executor, () -> probeScheduled(r, rev), Duration.ofNanos(checkIntervalNanos));
  }

  private void probeScheduled(KeyRecord r, Revocation rev) {
    if (closed || !r.isActive(rev)) {
      return;
    }
    if (!probe(r, rev)) {
      schedule(r, rev);
    }
  }

  /** Probes every revoked key and scope now, on the calling thread; returns how many were restored. */
  public int checkNow() {
    int restored = 0;
    for (KeyRecord r : records.values()) {
      restored += checkNow(r);
    }
    return restored;
  }

  /** Probes the revocations of {@code keyArn} (whole key and scopes) now, on the calling thread; returns how many were restored. */
  public int checkNow(KeyArn keyArn) {
    KeyRecord r = records.get(Objects.requireNonNull(keyArn, "keyArn"));
    return r == null ? 0 : checkNow(r);
  }

  private int checkNow(KeyRecord r) {
    List<Revocation> active = new ArrayList<>(r.scopes);
    if (r.whole != null) {
      active.add(r.whole);
    }
    int restored = 0;
    for (Revocation rev : active) {
      if (r.isActive(rev) && probe(r, rev)) {
        restored++;
      }
    }
    return restored;
  }

  /** One probe; true when access returned and the revocation was lifted. */
  private boolean probe(KeyRecord r, Revocation rev) {
    KeyArn keyArn = r.keyArn;
    String requestId = null;
    String result;
    boolean ok = false;
    try {
      ProbeCall call = rev.probeCall != null ? rev.probeCall : r.anyConfirmedGenerate();
      if (call == null) {
        // A pushed revocation of a key not used here yet: no denied call to repeat, no known context.
        KeyDescription d = keys.describeKey(keyArn);
        metrics.keyServiceCall(OP_DESCRIBE, "success");
        requestId = d.requestId();
        result = "key state " + d.state();
        if (d.state() == KeyState.ENABLED) {
          ok = true;
          result = "ok";
        }
      } else {
        requestId = repeat(keyArn, call);
        ok = true;
        result = "ok";
      }
    } catch (KeyServiceException e) {
      result = e.errorCode();
      requestId = e.requestId();
      if (rev.scope != null && e.errorClass() == ErrorClass.DEFINITIVE && !isAccessDenied(e.errorCode())) {
        // The key itself is gone or disabled now: widen the scope to the whole key.
        revokeKey(null, keyArn, e.errorCode(), rev.probeCall, e.requestId());
      }
    } catch (RuntimeException e) {
      result = e.getClass().getSimpleName();
    }
    rev.lastProbe = clock.instant();
    rev.lastProbeResult = result;
    emitForTenants(r, null, KeyUseEvent.Operation.PROBE, rev.scope,
        ok ? KeyUseEvent.Outcome.SUCCESS : KeyUseEvent.Outcome.DENIED, ok ? null : result, requestId);
    if (ok) {
      restore(r, rev, requestId);
    }
    return ok;
  }

  /** Makes {@code call} again (the probe); returns its request ID, or throws its failure. */
  private @Nullable String repeat(KeyArn keyArn, ProbeCall call) {
    try {
      String requestId;
      if (OP_DECRYPT.equals(call.operation)) {
        DecryptedDataKey d = keys.decryptDataKey(keyArn, Objects.requireNonNull(call.edk), call.context);
        d.plaintext().destroy();
        requestId = d.requestId();
      } else {
        GeneratedDataKey g = keys.generateDataKey(keyArn, call.context);
        g.plaintext().destroy();
        requestId = g.requestId();
      }
      metrics.keyServiceCall(call.operation, "success");
      return requestId;
    } catch (KeyServiceException e) {
      metrics.keyServiceCall(call.operation, e.errorClass().name().toLowerCase(java.util.Locale.ROOT));
      throw e;
    }
  }

  /**
   * The data-key call whose denial caused a revocation, repeated by its probes: access is back only
   * when that same call succeeds. {@code edk} is set for a Decrypt.
   */
  static final class ProbeCall {
    final String operation;
    final EncryptionContext context;
    final @Nullable EncryptedDataKey edk;

    ProbeCall(String operation, EncryptionContext context, @Nullable EncryptedDataKey edk) {
      this.operation = operation;
      this.context = context;
      this.edk = edk;
    }
  }

  // ------------------------------------------------------------------------------------- status

  /** What is known about access to {@code keyArn} now. */
  public AccessState status(KeyArn keyArn) {
    KeyRecord r = records.get(keyArn);
    if (r == null) {
      return AccessState.ACTIVE;
    }
    Revocation whole = r.whole;
    List<Revocation> scopes = r.scopes;
    if (whole != null) {
      return new AccessState(KeyAccessStatus.State.REVOKED, whole.reason, whole.since, List.of(), whole.lastProbe,
          whole.lastProbeResult);
    }
    if (scopes.isEmpty()) {
      return AccessState.ACTIVE;
    }
    List<EncryptionContext> revoked = new ArrayList<>();
    Revocation first = scopes.get(0);
    Revocation latestProbe = first;
    for (Revocation s : scopes) {
      revoked.add(Objects.requireNonNull(s.scope));
      if (s.lastProbe != null && (latestProbe.lastProbe == null || s.lastProbe.isAfter(latestProbe.lastProbe))) {
        latestProbe = s;
      }
    }
    return new AccessState(KeyAccessStatus.State.SCOPE_REVOKED, first.reason, first.since, revoked,
        latestProbe.lastProbe, latestProbe.lastProbeResult);
  }

  // ------------------------------------------------------------------------------------- events

  private void emitForTenants(KeyRecord r, @Nullable String tenant, KeyUseEvent.Operation op,
      @Nullable EncryptionContext scope, KeyUseEvent.Outcome outcome, @Nullable String error, @Nullable String requestId) {
    if (audit == null) {
      return;
    }
    Set<String> tenants = tenant != null ? Set.of(tenant) : r.tenants.isEmpty() ? Set.of("*") : Set.copyOf(r.tenants);
    for (String t : tenants) {
      emit(KeyUseEvent.builder().tenant(t).operation(op).keyArn(r.keyArn.toString())
          .encryptionContext(scope == null ? EncryptionContext.empty() : scope)
          .dataKeySource(requestId == null ? KeyUseEvent.DataKeySource.NONE : KeyUseEvent.DataKeySource.KMS)
          .kmsRequestId(requestId).outcome(outcome).error(error));
    }
  }

  private void emit(KeyUseEvent.Builder b) {
    if (audit == null) {
      return;
    }
    b.time(clock.instant()).reasonCode(ReasonCode.REVOCATION_CHECK.value());
    try {
      audit.emit(b.build());
    } catch (RuntimeException e) {
      LOG.error("audit sink refused a key-access event", e);
    }
  }

  static String scopeText(EncryptionContext scope) {
    StringBuilder sb = new StringBuilder();
    scope.asMap().forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k).append('=').append(v));
    return sb.toString();
  }

  /**
   * After a restore from a snapshot (CRaC, Lambda SnapStart): the ticker's deadlines say nothing about
   * the time the process was frozen, so every pending probe is cancelled and each revoked key or scope
   * is probed again at once, on the executor, and then every {@code checkInterval} from now.
   *
   * @return how many revocations were re-scheduled
   */
  public int afterRestore() {
    int n = 0;
    for (KeyRecord r : records.values()) {
      List<Revocation> active = new ArrayList<>(r.scopes);
      if (r.whole != null) {
        active.add(r.whole);
      }
      for (Revocation rev : active) {
        Future<?> p = rev.pending;
        if (p != null) {
          p.cancel(false);
        }
        if (!closed && r.isActive(rev)) {
          rev.nextProbeAt = ticker.read();
          rev.pending = scheduler.schedule(executor, () -> probeScheduled(r, rev), Duration.ZERO);
          n++;
        }
      }
    }
    return n;
  }

  /** Stops probing. */
  @Override
  public void close() {
    closed = true;
    for (KeyRecord r : records.values()) {
      Revocation w = r.whole;
      if (w != null && w.pending != null) {
        w.pending.cancel(false);
      }
      for (Revocation s : r.scopes) {
        if (s.pending != null) {
          s.pending.cancel(false);
        }
      }
    }
  }

  @Override
  public String toString() {
    return "RevocationMonitor{keys=" + records.size() + "}";
  }

  /** What is known about one customer key. */
  static final class KeyRecord {
    final KeyArn keyArn;
    final Set<String> tenants = ConcurrentHashMap.newKeySet();
    volatile Revocation whole;
    volatile List<Revocation> scopes = List.of();
    /** Contexts (as sent to KMS) with which a data-key call on this key succeeded; bounded. */
    private final Cache<EncryptionContext, Boolean> confirmedContexts = Caffeine.newBuilder()
        .maximumSize(MAX_CONFIRMED_CONTEXTS).executor(Runnable::run).build();

    KeyRecord(KeyArn keyArn) {
      this.keyArn = keyArn;
    }

    void confirmed(EncryptionContext context) {
      if (confirmedContexts.getIfPresent(context) == null) {
        confirmedContexts.put(context, Boolean.TRUE);
      }
    }

    boolean isConfirmed(EncryptionContext context) {
      return confirmedContexts.getIfPresent(context) != null;
    }

    /** A GenerateDataKey under some context KMS accepted with this key, or {@code null} when none is known. */
    @Nullable ProbeCall anyConfirmedGenerate() {
      java.util.Iterator<EncryptionContext> known = confirmedContexts.asMap().keySet().iterator();
      return known.hasNext() ? new ProbeCall(OP_GENERATE, known.next(), null) : null;
    }

    boolean isActive(Revocation rev) {
      return whole == rev || scopes.contains(rev);
    }

    double stateCode() {
      return whole != null ? 2 : scopes.isEmpty() ? 0 : 1;
    }
  }

  /** One revocation of a whole key ({@code scope == null}) or of one context scope. */
  static final class Revocation {
    final @Nullable EncryptionContext scope;
    final String reason;
    final @Nullable ProbeCall probeCall; // null: a pushed revocation, no call was denied
    final Instant since;
    volatile long nextProbeAt;
    volatile Future<?> pending;
    volatile Instant lastProbe;
    volatile String lastProbeResult;

    Revocation(@Nullable EncryptionContext scope, String reason, @Nullable ProbeCall probeCall, Instant since) {
      this.scope = scope;
      this.reason = reason;
      this.probeCall = probeCall;
      this.since = since;
    }
  }
}
