package dev.byok.crypto.internal.envelope;

import dev.byok.core.AccessReason;
import dev.byok.core.EncryptionContext;
import dev.byok.core.InvalidCiphertextException;
import dev.byok.core.KeyAccessRevokedException;
import dev.byok.core.KeyArn;
import dev.byok.core.audit.AuditSink;
import dev.byok.core.audit.KeyUseEvent;
import dev.byok.core.keys.EncryptedDataKey;
import dev.byok.core.keys.GeneratedDataKey;
import dev.byok.core.keys.KeyService;
import dev.byok.core.keys.PlaintextDataKey;
import dev.byok.crypto.AlgorithmSuite;
import dev.byok.crypto.CachePolicy;
import dev.byok.crypto.KeyAccessControl;
import dev.byok.crypto.KeyAccessStatus;
import dev.byok.crypto.RevocationPolicy;
import dev.byok.crypto.TenantCrypto;
import dev.byok.core.TenantDirectory;
import dev.byok.core.TenantKey;
import dev.byok.crypto.internal.cache.DataKeyCache;
import dev.byok.crypto.internal.cache.Lease;
import dev.byok.crypto.internal.format.DecryptOptions;
import dev.byok.crypto.internal.format.EncryptionMaterials;
import dev.byok.crypto.internal.format.MessageContext;
import dev.byok.crypto.internal.format.MessageDecryptor;
import dev.byok.crypto.internal.format.MessageEncryptor;
import dev.byok.crypto.internal.format.MessageHeader;
import dev.byok.crypto.CryptoMetrics;
import dev.byok.crypto.Scheduler;
import dev.byok.crypto.Ticker;
import dev.byok.crypto.internal.revocation.RevocationMonitor;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The implementation of {@link TenantCrypto}: tenant directory → revocation check → data-key cache
 * (loading through the {@link RevocationMonitor}) → message format → audit event. Thread-safe.
 */
public final class EnvelopeCrypto implements TenantCrypto, KeyAccessControl {
  private static final Logger LOG = LoggerFactory.getLogger(EnvelopeCrypto.class);
  private static final HexFormat HEX = HexFormat.of();
  private static final int MESSAGE_ID_OFFSET = 3;
  private static final int MESSAGE_ID_LENGTH = 32;

  private final KeyService keyService;
  private final TenantDirectory tenants;
  private final AuditSink audit; // null = auditing off
  private final Clock clock;
  private final AlgorithmSuite suite;
  private final int frameLength;
  private final MessageEncryptor encryptor = MessageEncryptor.create();
  private final MessageDecryptor decryptor;
  private final RevocationMonitor monitor;
  private final DataKeyCache<EncryptionMaterials> cache;
  private final DataKeyCache.EncryptLoader<EncryptionMaterials> encryptLoader = this::load;
  private final DataKeyCache.DecryptLoader decryptLoader;
  private final ThreadLocal<EdkChoice> lastEdkChoice = new ThreadLocal<>();
  private volatile boolean closed;

  private EnvelopeCrypto(KeyService keyService, TenantDirectory tenants, CachePolicy cachePolicy,
      RevocationPolicy revocationPolicy, AuditSink audit, CryptoMetrics metrics, Ticker ticker, Clock clock,
      Executor executor, Scheduler scheduler, AlgorithmSuite suite, int frameLength, boolean allowSignedStreaming) {
    this.keyService = keyService;
    this.decryptor = MessageDecryptor.create(allowSignedStreaming
        ? DecryptOptions.builder().allowSignedStreaming(true).build() : DecryptOptions.defaults());
    this.tenants = tenants;
    this.audit = audit;
    this.clock = clock;
    this.suite = suite;
    this.frameLength = frameLength;
    this.monitor = new RevocationMonitor(keyService, revocationPolicy, ticker, clock, scheduler, executor, audit, metrics,
        this::purge);
    this.cache = new DataKeyCache<>(cachePolicy, revocationPolicy.outageGrace(), ticker, executor,
        EncryptionMaterials::destroy, monitor::reconfirm, metrics);
    this.decryptLoader = monitor::decryptDataKey;
  }

  /** See {@link TenantCrypto.Builder}; the arguments are already defaulted and validated. */
  public static EnvelopeCrypto create(KeyService keyService, TenantDirectory tenants, CachePolicy cachePolicy,
      RevocationPolicy revocationPolicy, AuditSink audit, CryptoMetrics metrics, Ticker ticker, Clock clock,
      Executor executor, Scheduler scheduler, AlgorithmSuite suite, int frameLength, boolean allowSignedStreaming) {
    if (!revocationPolicy.outageGrace().isZero()) {
      LOG.warn("outageGrace is {}: during a KMS outage cached data keys may be used up to {} after revalidateAfter ({}), "
          + "which delays a revocation made during the outage by as much", revocationPolicy.outageGrace(),
          revocationPolicy.outageGrace(), cachePolicy.revalidateAfter());
    }
    return new EnvelopeCrypto(keyService, tenants, cachePolicy, revocationPolicy, audit, metrics, ticker, clock,
        executor, scheduler, suite, frameLength, allowSignedStreaming);
  }

  private void purge(String keyArn, EncryptionContext scope) {
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
    String keyArn = tk.keyArnText();
    Lease<EncryptionMaterials> lease = null;
    try {
      monitor.checkAccess(tenant, keyArn, context);
      lease = cache.encrypt(tenant, keyArn, suite, context, plaintext.length, encryptLoader);
      byte[] message = encryptor.encrypt(lease.materials(), plaintext, 0, plaintext.length);
      if (audit != null) {
        emit(KeyUseEvent.Operation.ENCRYPT, tenant, keyArn, context, reason,
            HEX.formatHex(message, MESSAGE_ID_OFFSET, MESSAGE_ID_OFFSET + MESSAGE_ID_LENGTH), lease, null);
      }
      return message;
    } catch (RuntimeException e) {
      if (audit != null) {
        emit(KeyUseEvent.Operation.ENCRYPT, tenant, keyArn, context, reason, null, lease, e);
      }
      throw e;
    } finally {
      if (lease != null) {
        lease.close();
      }
    }
  }

  private DataKeyCache.Loaded<EncryptionMaterials> load(String tenant, String keyArn, EncryptionContext context) {
    MessageContext mc = MessageContext.create(suite, context);
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
    String keyArn = tk.keyArnText();
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
          if (audit != null) {
            emit(KeyUseEvent.Operation.ENCRYPT, tenant, keyArn, context, reason, tap.messageId(), lease, failure);
          }
          lease.close();
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
    String keyArn = tk.keyArnText();
    MessageHeader header = null;
    Lease<PlaintextDataKey> lease = null;
    try {
      header = decryptor.parseHeader(message, 0, message.length);
      lease = resolve(tenant, keyArn, requiredContext, header);
      byte[] plaintext = decryptor.decrypt(header, lease.materials(), message, 0, message.length);
      if (audit != null) {
        emit(KeyUseEvent.Operation.DECRYPT, tenant, keyArn, header.context(), reason, HEX.formatHex(header.messageId()),
            lease, null);
      }
      return plaintext;
    } catch (RuntimeException e) {
      if (audit != null) {
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
  private Lease<PlaintextDataKey> resolve(String tenant, String keyArn, EncryptionContext required, MessageHeader header) {
    header.requireContext(required);
    EncryptionContext context = header.context();
    monitor.checkAccess(tenant, keyArn, context);
    EncryptedDataKey edk = edkOf(header, keyArn);
    return cache.decrypt(tenant, keyArn, edk, context, decryptLoader);
  }

  /**
   * The encrypted data key wrapped by the tenant's key, as the key service tells
   * ({@link KeyService#canDecrypt(String, EncryptedDataKey)}): a message never steers us to another
   * key. The choice depends only on the (immutable) list of data keys, the key ARN and the key service,
   * so the last choice of each thread is kept: the header parser hands out the same list object for
   * messages with the same header section, and those skip the search.
   */
  private EncryptedDataKey edkOf(MessageHeader header, String keyArn) {
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

  /** The result of one {@link #edkOf} search (all fields immutable). */
  private static final class EdkChoice {
    final List<EncryptedDataKey> edks;
    final String keyArn;
    final EncryptedDataKey edk;

    EdkChoice(List<EncryptedDataKey> edks, String keyArn, EncryptedDataKey edk) {
      this.edks = edks;
      this.keyArn = keyArn;
      this.edk = edk;
    }
  }

  @Override
  public InputStream decryptingStream(String tenant, EncryptionContext requiredContext, AccessReason reason, InputStream in) {
    Objects.requireNonNull(requiredContext, "requiredContext");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(in, "in");
    TenantKey tk = tenantKey(tenant);
    String keyArn = tk.keyArnText();
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
        try {
          int b = super.read();
          state.eof |= b < 0;
          return b;
        } catch (IOException | RuntimeException e) {
          state.failure = e;
          throw e;
        }
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          int n = super.read(b, off, len);
          state.eof |= n < 0;
          return n;
        } catch (IOException | RuntimeException e) {
          state.failure = e;
          throw e;
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
          if (audit != null) {
            MessageHeader h = state.header;
            Throwable failure = state.failure != null ? state.failure
                : state.eof ? null : new IllegalStateException("stream closed before the end of the message");
            emitStream(tenant, keyArn, h == null ? requiredContext : h.context(), reason,
                h == null ? null : HEX.formatHex(h.messageId()), state, failure);
          }
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
  }

  // -------------------------------------------------------------------------------------- audit

  private void emit(KeyUseEvent.Operation op, String tenant, String keyArn, EncryptionContext context, AccessReason reason,
      String messageId, Lease<?> lease, Throwable failure) {
    KeyUseEvent.DataKeySource source = lease == null ? KeyUseEvent.DataKeySource.NONE
        : lease.fromCache() ? KeyUseEvent.DataKeySource.CACHE : KeyUseEvent.DataKeySource.KMS;
    send(KeyUseEvent.builder().operation(op).tenant(tenant).keyArn(keyArn).reason(reason)
        .encryptionContext(context.withoutReserved()).messageId(messageId).dataKeySource(source)
        .kmsRequestId(lease == null ? null : lease.kmsRequestId()), failure);
  }

  private void emitStream(String tenant, String keyArn, EncryptionContext context, AccessReason reason, String messageId,
      StreamState state, Throwable failure) {
    KeyUseEvent.DataKeySource source = state.key == null ? KeyUseEvent.DataKeySource.NONE
        : state.fromCache ? KeyUseEvent.DataKeySource.CACHE : KeyUseEvent.DataKeySource.KMS;
    send(KeyUseEvent.builder().operation(KeyUseEvent.Operation.DECRYPT).tenant(tenant).keyArn(keyArn).reason(reason)
        .encryptionContext(context.withoutReserved()).messageId(messageId).dataKeySource(source)
        .kmsRequestId(state.requestId), failure);
  }

  private void send(KeyUseEvent.Builder b, Throwable failure) {
    b.time(clock.instant());
    if (failure != null) {
      b.outcome(failure instanceof KeyAccessRevokedException ? KeyUseEvent.Outcome.DENIED : KeyUseEvent.Outcome.FAILURE)
          .error(failure.getClass().getSimpleName() + ": " + failure.getMessage());
    }
    try {
      audit.emit(b.build());
    } catch (RuntimeException e) {
      LOG.error("audit sink refused a key-use event", e);
    }
  }

  // ----------------------------------------------------------------------------- key access

  @Override
  public KeyAccessControl keyAccess() {
    return this;
  }

  @Override
  public void revoke(KeyArn keyArn, String reason) {
    monitor.revoke(Objects.requireNonNull(keyArn, "keyArn").toString(), reason);
  }

  @Override
  public KeyAccessStatus status(String tenant) {
    return monitor.status(tenant, tenantKey(tenant).keyArnText());
  }

  @Override
  public int checkNow() {
    return monitor.checkNow();
  }

  @Override
  public int checkNow(KeyArn keyArn) {
    return monitor.checkNow(Objects.requireNonNull(keyArn, "keyArn").toString());
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
  }

  @Override
  public String toString() {
    return "TenantCrypto{suite=" + suite + ", keyService=" + keyService + ", " + cache + "}";
  }
}
