package dev.byok.crypto.internal.envelope;

import dev.byok.core.AccessReason;
import dev.byok.core.EncryptionContext;
import dev.byok.core.InvalidCiphertextException;
import dev.byok.core.KeyAccessRevokedException;
import dev.byok.core.KeyArn;
import dev.byok.core.audit.AuditSink;
import dev.byok.core.audit.AuditUnavailableException;
import dev.byok.core.audit.KeyUseEvent;
import dev.byok.core.internal.EventJson;
import dev.byok.core.keys.EncryptedDataKey;
import dev.byok.core.keys.GeneratedDataKey;
import dev.byok.core.keys.KeyService;
import dev.byok.core.keys.PlaintextDataKey;
import dev.byok.crypto.AlgorithmSuite;
import dev.byok.crypto.KeyAccessControl;
import dev.byok.crypto.TenantCrypto;
import dev.byok.core.TenantDirectory;
import dev.byok.core.TenantKey;
import dev.byok.crypto.internal.BackgroundExecutor;
import dev.byok.crypto.internal.CryptoSettings;
import dev.byok.crypto.internal.cache.DataKeyCache;
import dev.byok.crypto.internal.cache.Lease;
import dev.byok.crypto.internal.format.DecryptOptions;
import dev.byok.crypto.internal.format.EncryptionMaterials;
import dev.byok.crypto.internal.format.MessageContext;
import dev.byok.crypto.internal.format.MessageDecryptor;
import dev.byok.crypto.internal.format.MessageEncryptor;
import dev.byok.crypto.internal.format.MessageHeader;
import dev.byok.crypto.internal.revocation.RevocationMonitor;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.crac.Core;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The implementation of {@link TenantCrypto}: tenant directory → revocation check → data-key cache
 * (loading through the {@link RevocationMonitor}) → message format → audit event. Thread-safe.
 */
public final class EnvelopeCrypto implements TenantCrypto {
  private static final Logger LOG = LoggerFactory.getLogger(EnvelopeCrypto.class);
  private static final HexFormat HEX = HexFormat.of();
  private static final int MESSAGE_ID_OFFSET = 3;
  private static final int MESSAGE_ID_LENGTH = 32;

  private final KeyService keyService;
  private final TenantDirectory tenants;
  private final @Nullable AuditSink audit; // null = auditing off
  private final Clock clock;
  private final AlgorithmSuite suite;
  private final int frameLength;
  private final MessageEncryptor encryptor;
  private final MessageDecryptor decryptor;
  private final RevocationMonitor monitor;
  private final DataKeyCache<EncryptionMaterials> cache;
  private final DataKeyCache.EncryptLoader<EncryptionMaterials> encryptLoader = this::load;
  private final DataKeyCache.DecryptLoader decryptLoader;
  private final KeyAccessControl keyAccess;
  private final ThreadLocal<EdkChoice> lastEdkChoice = new ThreadLocal<>();
  private final Executor background; // shut down by close() when it is byok's own
  private final SnapshotHook snapshotHook; // held here: org.crac keeps it only weakly
  private volatile boolean closed;

  private EnvelopeCrypto(CryptoSettings settings,
      BiFunction<RevocationMonitor, Function<String, TenantKey>, KeyAccessControl> keyAccess) {
    this.keyService = settings.keyService();
    this.background = settings.executor();
    this.encryptor = MessageEncryptor.create(settings.cryptoProvider());
    this.decryptor = MessageDecryptor.create(settings.allowSignedStreamingDecrypt()
        ? DecryptOptions.builder().allowSignedStreaming(true).build() : DecryptOptions.defaults(),
        settings.cryptoProvider());
    settings.metrics().cryptoProvider(settings.cryptoProvider());
    this.tenants = settings.tenants();
    this.audit = settings.auditSink();
    this.clock = settings.clock();
    this.suite = settings.algorithmSuite();
    this.frameLength = settings.frameLength();
    this.monitor = new RevocationMonitor(settings, this::purge);
    this.cache = new DataKeyCache<>(settings, EncryptionMaterials::destroy, monitor::reconfirm);
    this.decryptLoader = monitor::decryptDataKey;
    this.keyAccess = keyAccess.apply(monitor, this::tenantKey);
    this.snapshotHook = new SnapshotHook(cache, monitor);
    Core.getGlobalContext().register(snapshotHook);
  }

  /**
   * A {@link TenantCrypto} with {@code settings} (already defaulted and validated by
   * {@link TenantCrypto.Builder}).
   *
   * @param keyAccess makes the operator's {@link KeyAccessControl} from the revocation monitor and
   *     the tenant look-up (which throws {@code IllegalArgumentException} for an unknown tenant)
   */
  public static EnvelopeCrypto create(CryptoSettings settings,
      BiFunction<RevocationMonitor, Function<String, TenantKey>, KeyAccessControl> keyAccess) {
    if (!settings.revocationPolicy().outageGrace().isZero()) {
      LOG.warn("outageGrace is {}: during a KMS outage cached data keys may be used up to {} after revalidateAfter ({}), "
          + "which delays a revocation made during the outage by as much", settings.revocationPolicy().outageGrace(),
          settings.revocationPolicy().outageGrace(), settings.cachePolicy().revalidateAfter());
    }
    return new EnvelopeCrypto(settings, keyAccess);
  }

  private void purge(KeyArn keyArn, @Nullable EncryptionContext scope) {
    DataKeyCache<EncryptionMaterials> c = cache;
    if (c != null) { // null only while constructing
      c.purge(keyArn, scope);
    }
  }

  private TenantKey tenantKey(String tenant) {
    Objects.requireNonNull(tenant, "tenant");
    if (closed) {
      throw new IllegalStateException("TenantCrypto is closed");
    }
    Optional<TenantKey> k = tenants.find(tenant);
    if (k.isEmpty()) {
      throw new IllegalArgumentException("unknown tenant '" + TenantKey.checkTenant(tenant) + "': not in the tenant directory");
    }
    return k.get();
  }

  // ------------------------------------------------------------------------------------- encrypt

  @Override
  public byte[] encrypt(String tenant, EncryptionContext context, AccessReason reason, byte[] plaintext) {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(plaintext, "plaintext");
    TenantKey tk = tenantKey(tenant);
    KeyArn keyArn = tk.keyArn();
    Lease<EncryptionMaterials> lease = null;
    boolean auditRefused = false;
    try {
      monitor.checkAccess(tenant, keyArn, context);
      lease = cache.encrypt(tenant, keyArn, suite, context, plaintext.length, encryptLoader);
      byte[] message = encryptor.encrypt(lease.materials(), plaintext, 0, plaintext.length);
      if (audit != null) {
        auditRefused = true; // until emit returns: a refused event fails the encrypt, without a second event
        emit(KeyUseEvent.Operation.ENCRYPT, tenant, keyArn, context, reason,
            HEX.formatHex(message, MESSAGE_ID_OFFSET, MESSAGE_ID_OFFSET + MESSAGE_ID_LENGTH), lease, null);
        auditRefused = false;
      }
      return message;
    } catch (RuntimeException e) {
      if (audit != null && !auditRefused) {
        emit(KeyUseEvent.Operation.ENCRYPT, tenant, keyArn, context, reason, null, lease, e);
      }
      throw e;
    } finally {
      if (lease != null) {
        lease.close();
      }
    }
  }

  private DataKeyCache.Loaded<EncryptionMaterials> load(String tenant, KeyArn keyArn, EncryptionContext context) {
    MessageContext mc = MessageContext.create(suite, context, encryptor.provider());
    GeneratedDataKey g = monitor.generateDataKey(tenant, keyArn, mc.context());
    try {
      EncryptionMaterials m = EncryptionMaterials.create(mc, g.plaintext(), List.of(g.encrypted()), frameLength);
      // The generated key itself becomes the decrypt-side twin (the materials hold their own copy).
      return new DataKeyCache.Loaded<>(m, g.encrypted(), mc.context(), g.plaintext(), g.requestId());
    } catch (RuntimeException e) {
      g.plaintext().destroy();
      throw e;
    }
  }

  @Override
  public OutputStream encryptingStream(String tenant, EncryptionContext context, AccessReason reason, OutputStream out) {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(out, "out");
    TenantKey tk = tenantKey(tenant);
    KeyArn keyArn = tk.keyArn();
    Lease<EncryptionMaterials> lease;
    try {
      monitor.checkAccess(tenant, keyArn, context);
      lease = cache.encrypt(tenant, keyArn, suite, context, -1, encryptLoader);
    } catch (RuntimeException e) {
      if (audit != null) {
        emit(KeyUseEvent.Operation.ENCRYPT, tenant, keyArn, context, reason, null, null, e);
      }
      throw e;
    }
    MessageIdTap tap = new MessageIdTap(out);
    OutputStream s;
    try {
      s = encryptor.encryptingStream(lease.materials(), tap);
    } catch (RuntimeException e) {
      lease.close();
      throw e;
    }
    return new FilterOutputStream(s) {
      private boolean closed;

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        this.out.write(b, off, len); // FilterOutputStream would write byte by byte
      }

      @Override
      public void close() throws IOException {
        if (closed) {
          return;
        }
        closed = true;
        Throwable failure = null;
        try {
          super.close();
        } catch (IOException | RuntimeException e) {
          failure = e;
          throw e;
        } finally {
          try {
            if (audit != null) {
              emit(KeyUseEvent.Operation.ENCRYPT, tenant, keyArn, context, reason, tap.messageId(), lease, failure);
            }
          } catch (AuditUnavailableException refused) {
            throw new IOException(refused.getMessage(), refused);
          } finally {
            lease.close();
          }
        }
      }

      @Override
      public String toString() {
        return "EncryptingStream{tenant=" + tenant + "}";
      }
    };
  }

  /** Passes bytes through and keeps the message ID (header bytes 3 to 35). */
  private static final class MessageIdTap extends FilterOutputStream {
    private final byte[] head = new byte[MESSAGE_ID_OFFSET + MESSAGE_ID_LENGTH];
    private int seen;

    MessageIdTap(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      if (seen < head.length) {
        head[seen++] = (byte) b;
      }
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      int n = Math.min(len, head.length - seen);
      if (n > 0) {
        System.arraycopy(b, off, head, seen, n);
        seen += n;
      }
      out.write(b, off, len);
    }

    String messageId() {
      return seen < head.length ? null : HEX.formatHex(head, MESSAGE_ID_OFFSET, head.length);
    }
  }

  // ------------------------------------------------------------------------------------- decrypt

  @Override
  public byte[] decrypt(String tenant, EncryptionContext requiredContext, AccessReason reason, byte[] message) {
    Objects.requireNonNull(requiredContext, "requiredContext");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
    TenantKey tk = tenantKey(tenant);
    KeyArn keyArn = tk.keyArn();
    MessageHeader header = null;
    Lease<PlaintextDataKey> lease = null;
    boolean auditRefused = false;
    try {
      header = decryptor.parseHeader(message, 0, message.length);
      lease = resolve(tenant, keyArn, requiredContext, header);
      byte[] plaintext = decryptor.decrypt(header, lease.materials(), message, 0, message.length);
      if (audit != null) {
        try {
          emit(KeyUseEvent.Operation.DECRYPT, tenant, keyArn, header.context(), reason, HEX.formatHex(header.messageId()),
              lease, null);
        } catch (AuditUnavailableException refused) {
          // No plaintext without its event.
          Arrays.fill(plaintext, (byte) 0);
          auditRefused = true;
          throw refused;
        }
      }
      return plaintext;
    } catch (RuntimeException e) {
      if (audit != null && !auditRefused) {
        emit(KeyUseEvent.Operation.DECRYPT, tenant, keyArn, header == null ? requiredContext : header.context(), reason,
            header == null ? null : HEX.formatHex(header.messageId()), lease, e);
      }
      throw e;
    } finally {
      if (lease != null) {
        lease.close();
      }
    }
  }

  /** The checks before a data key is used, then the key from the cache or KMS. */
  private Lease<PlaintextDataKey> resolve(String tenant, KeyArn keyArn, EncryptionContext required, MessageHeader header) {
    header.requireContext(required);
    EncryptionContext context = header.context();
    monitor.checkAccess(tenant, keyArn, context);
    EncryptedDataKey edk = edkOf(header, keyArn);
    return cache.decrypt(tenant, keyArn, edk, context, decryptLoader);
  }

  /**
   * The encrypted data key wrapped by the tenant's key, as the key service tells
   * ({@link KeyService#canDecrypt(KeyArn, EncryptedDataKey)}): a message never steers us to another
   * key. The choice depends only on the (immutable) list of data keys, the key ARN and the key service,
   * so the last choice of each thread is kept: the header parser hands out the same list object for
   * messages with the same header section, and those skip the search.
   */
  private EncryptedDataKey edkOf(MessageHeader header, KeyArn keyArn) {
    List<EncryptedDataKey> edks = header.edks();
    EdkChoice last = lastEdkChoice.get();
    if (last != null && last.edks == edks && last.keyArn.equals(keyArn)) {
      return last.edk;
    }
    for (EncryptedDataKey edk : edks) {
      if (keyService.canDecrypt(keyArn, edk)) {
        lastEdkChoice.set(new EdkChoice(edks, keyArn, edk));
        return edk;
      }
    }
    throw new InvalidCiphertextException("no encrypted data key of the tenant's customer key in the message");
  }

  /** The result of one {@link #edkOf} search. */
  private record EdkChoice(List<EncryptedDataKey> edks, KeyArn keyArn, EncryptedDataKey edk) {}

  @Override
  public InputStream decryptingStream(String tenant, EncryptionContext requiredContext, AccessReason reason, InputStream in) {
    Objects.requireNonNull(requiredContext, "requiredContext");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(in, "in");
    TenantKey tk = tenantKey(tenant);
    KeyArn keyArn = tk.keyArn();
    StreamState state = new StreamState();
    InputStream s = decryptor.decryptingStream(in, header -> {
      state.header = header;
      try (Lease<PlaintextDataKey> l = resolve(tenant, keyArn, requiredContext, header)) {
        state.fromCache = l.fromCache();
        state.requestId = l.kmsRequestId();
        // The stream gets its own copy, zeroed on close, so the cache may drop its key meanwhile.
        state.key = PlaintextDataKey.wrap(l.materials().copyBytes());
        return state.key;
      }
    });
    return new FilterInputStream(s) {
      @Override
      public int read() throws IOException {
        int b;
        try {
          b = super.read();
        } catch (IOException | RuntimeException e) {
          state.failure = e;
          audited(e);
          throw e;
        }
        if (b < 0) {
          state.eof = true;
          audited(null);
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
          n = super.read(b, off, len);
        } catch (IOException | RuntimeException e) {
          state.failure = e;
          audited(e);
          throw e;
        }
        if (n < 0) {
          state.eof = true;
          audited(null);
        }
        return n;
      }

      /**
       * Emits the stream's one event when it ends: at the end of the message or at its failure, even if
       * the caller never closes the stream; at {@code close()} only when neither came first.
       */
      private void audited(@Nullable Throwable failure) throws IOException {
        if (audit == null || state.emitted) {
          return;
        }
        state.emitted = true;
        MessageHeader h = state.header;
        try {
          emitStream(tenant, keyArn, h == null ? requiredContext : h.context(), reason,
              h == null ? null : HEX.formatHex(h.messageId()), state, failure);
        } catch (AuditUnavailableException refused) {
          if (failure != null) {
            failure.addSuppressed(refused);
            return;
          }
          throw new IOException(refused.getMessage(), refused);
        }
      }

      @Override
      public void close() throws IOException {
        if (state.closed) {
          return;
        }
        state.closed = true;
        try {
          super.close();
        } finally {
          if (state.key != null) {
            state.key.destroy();
          }
          audited(state.failure != null ? state.failure
              : state.eof ? null : new IllegalStateException("stream closed before the end of the message"));
        }
      }

      @Override
      public String toString() {
        return "DecryptingStream{tenant=" + tenant + "}";
      }
    };
  }

  private static final class StreamState {
    volatile MessageHeader header;
    volatile PlaintextDataKey key;
    volatile boolean fromCache;
    volatile String requestId;
    volatile Throwable failure;
    volatile boolean eof;
    volatile boolean closed;
    volatile boolean emitted;
  }

  // -------------------------------------------------------------------------------------- audit

  private void emit(KeyUseEvent.Operation op, String tenant, KeyArn keyArn, EncryptionContext context, AccessReason reason,
      @Nullable String messageId, @Nullable Lease<?> lease, @Nullable Throwable failure) {
    KeyUseEvent.DataKeySource source = lease == null ? KeyUseEvent.DataKeySource.NONE
        : lease.fromCache() ? KeyUseEvent.DataKeySource.CACHE : KeyUseEvent.DataKeySource.KMS;
    send(KeyUseEvent.builder().operation(op).tenant(tenant).keyArn(keyArn.toString()).reason(reason)
        .encryptionContext(context.withoutReserved()).messageId(messageId).dataKeySource(source)
        .kmsRequestId(lease == null ? null : lease.kmsRequestId())
        .headerAuthenticated(!headerUnauthenticated(op, messageId, failure)), failure);
  }

  private void emitStream(String tenant, KeyArn keyArn, EncryptionContext context, AccessReason reason,
      @Nullable String messageId, StreamState state, @Nullable Throwable failure) {
    KeyUseEvent.DataKeySource source = state.key == null ? KeyUseEvent.DataKeySource.NONE
        : state.fromCache ? KeyUseEvent.DataKeySource.CACHE : KeyUseEvent.DataKeySource.KMS;
    send(KeyUseEvent.builder().operation(KeyUseEvent.Operation.DECRYPT).tenant(tenant).keyArn(keyArn.toString()).reason(reason)
        .encryptionContext(context.withoutReserved()).messageId(messageId).dataKeySource(source)
        .kmsRequestId(state.requestId)
        .headerAuthenticated(!headerUnauthenticated(KeyUseEvent.Operation.DECRYPT, messageId, failure)), failure);
  }

  /**
   * A failed decrypt that read a header: its context and message ID are what the message claimed, and
   * the event says so (the header may never have been authenticated).
   */
  private static boolean headerUnauthenticated(KeyUseEvent.Operation op, @Nullable String messageId,
      @Nullable Throwable failure) {
    return op == KeyUseEvent.Operation.DECRYPT && failure != null && messageId != null;
  }

  /**
   * Hands the event to the sink. No use may succeed without its event queued or stored: when the
   * sink refuses the event of a successful use, the use fails with {@link AuditUnavailableException}
   * (the caller discards its result); the event of a failed use that the sink refuses is logged and
   * added to that failure as suppressed. A refusal caused by an interrupt keeps the thread's
   * interrupt flag set.
   */
  private void send(KeyUseEvent.Builder b, @Nullable Throwable failure) {
    b.time(clock.instant());
    if (failure != null) {
      b.outcome(failure instanceof KeyAccessRevokedException ? KeyUseEvent.Outcome.DENIED : KeyUseEvent.Outcome.FAILURE)
          .error(failure.getClass().getSimpleName() + ": " + failure.getMessage());
    }
    KeyUseEvent event = b.build();
    try {
      audit.emit(event);
    } catch (RuntimeException e) {
      if (e.getCause() instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      if (failure != null) {
        LOG.error("audit sink refused the event {} of a failed {} of tenant '{}': {}", event.eventId(),
            event.operation(), EventJson.wellFormed(event.tenant()), e.toString());
        failure.addSuppressed(e);
        return;
      }
      throw new AuditUnavailableException("the " + event.operation() + " of tenant '" + event.tenant()
          + "' is refused: its audit event " + event.eventId() + " was neither queued nor stored (" + e.getMessage() + ")", e);
    }
  }

  // ----------------------------------------------------------------------------- key access

  @Override
  public KeyAccessControl keyAccess() {
    return keyAccess;
  }

  /** For tests: the cache. */
  DataKeyCache<EncryptionMaterials> cache() {
    return cache;
  }

  @Override
  public void close() {
    closed = true;
    monitor.close();
    cache.close();
    if (background instanceof BackgroundExecutor own) {
      own.shutdown();
    }
  }

  @Override
  public String toString() {
    return "TenantCrypto{suite=" + suite + ", keyService=" + keyService + ", " + cache + "}";
  }
}
