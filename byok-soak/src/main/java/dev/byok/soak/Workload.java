package dev.byok.soak;

import dev.byok.core.AccessReason;
import dev.byok.core.EncryptionContext;
import dev.byok.core.InvalidCiphertextException;
import dev.byok.core.KeyAccessRevokedException;
import dev.byok.core.KeyServiceUnavailableException;
import dev.byok.core.ReasonCode;
import dev.byok.crypto.TenantCrypto;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * One worker's operations: a tenant, a scope, an API (byte array or stream), a message size
 * (log-uniform from 100 B to 1 MiB) and a reason code, all drawn from a seeded random source; the
 * message is encrypted, then decrypted and compared with what was encrypted. Each call is one
 * {@link OpRecord}. Not thread-safe: one instance per worker thread.
 */
final class Workload {
  static final int MIN_SIZE = 100;
  static final int MAX_SIZE = 1 << 20;
  /** The two scopes of every tenant: the value of the {@code data-class} pair. */
  static final List<String> SCOPES = List.of("messages", "files");
  static final String SCOPE_KEY = "data-class";
  private static final List<ReasonCode> REASONS = List.of(ReasonCode.USER_REQUEST, ReasonCode.SEARCH_INDEXING,
      ReasonCode.SYSTEM_OPERATION, ReasonCode.BACKUP_RESTORE, ReasonCode.VENDOR_SUPPORT_ACCESS, ReasonCode.DATA_EXPORT);

  /** Receives every operation. Thread-safe implementations. */
  interface Recorder {
    void record(OpRecord op);
  }

  private final TenantCrypto crypto;
  private final List<String> tenants;
  private final SplittableRandom random;
  private final Recorder recorder;
  private final String actor;
  private final byte[] noise;

  Workload(TenantCrypto crypto, List<String> tenants, long seed, String actor, Recorder recorder) {
    this.crypto = crypto;
    this.tenants = List.copyOf(tenants);
    this.random = new SplittableRandom(seed);
    this.recorder = recorder;
    this.actor = actor;
    this.noise = new byte[MAX_SIZE + 64];
    random.nextBytes(noise);
  }

  static int size(double u) {
    return (int) Math.min(MAX_SIZE, Math.round(MIN_SIZE * Math.exp(u * Math.log((double) MAX_SIZE / MIN_SIZE))));
  }

  static EncryptionContext context(String tenant, String scope) {
    return EncryptionContext.of(Map.of("tenant", tenant, SCOPE_KEY, scope));
  }

  /** One encrypt and, when it succeeded, one decrypt of the result. */
  void runOne() {
    String tenant = tenants.get(random.nextInt(tenants.size()));
    String scope = SCOPES.get(random.nextInt(SCOPES.size()));
    boolean stream = random.nextBoolean();
    int size = size(random.nextDouble());
    int offset = random.nextInt(64);
    byte[] plaintext = Arrays.copyOfRange(noise, offset, offset + size);
    AccessReason reason = AccessReason.of(REASONS.get(random.nextInt(REASONS.size())), "soak", actor);
    EncryptionContext ctx = context(tenant, scope);

    long start = System.currentTimeMillis();
    long t0 = System.nanoTime();
    byte[] message = null;
    String outcome;
    try {
      message = stream ? encryptStream(tenant, ctx, reason, plaintext) : crypto.encrypt(tenant, ctx, reason, plaintext);
      outcome = OpRecord.OK;
    } catch (RuntimeException | IOException e) {
      outcome = classifyOperation(e);
    }
    recorder.record(new OpRecord(start, System.currentTimeMillis(), System.nanoTime() - t0, tenant, scope,
        stream ? "stream-encrypt" : "encrypt", size, outcome));
    if (message == null) {
      return;
    }
    start = System.currentTimeMillis();
    t0 = System.nanoTime();
    try {
      byte[] back = stream ? decryptStream(tenant, ctx, reason, message) : crypto.decrypt(tenant, ctx, reason, message);
      outcome = Arrays.equals(back, plaintext) ? OpRecord.OK : OpRecord.MISMATCH;
    } catch (RuntimeException | IOException e) {
      outcome = classifyOperation(e);
    }
    recorder.record(new OpRecord(start, System.currentTimeMillis(), System.nanoTime() - t0, tenant, scope,
        stream ? "stream-decrypt" : "decrypt", size, outcome));
  }

  private byte[] encryptStream(String tenant, EncryptionContext ctx, AccessReason reason, byte[] plaintext) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(plaintext.length + 1024);
    try (OutputStream s = crypto.encryptingStream(tenant, ctx, reason, out)) {
      int chunk = 1 + random.nextInt(70_000);
      for (int i = 0; i < plaintext.length; i += chunk) {
        s.write(plaintext, i, Math.min(chunk, plaintext.length - i));
      }
    }
    return out.toByteArray();
  }

  private byte[] decryptStream(String tenant, EncryptionContext ctx, AccessReason reason, byte[] message) throws IOException {
    try (InputStream s = crypto.decryptingStream(tenant, ctx, reason, new ByteArrayInputStream(message))) {
      return s.readAllBytes();
    }
  }

  /**
   * Operations of this process that failed as transient, by cause (the innermost exception, key IDs
   * and digits folded), for the vendor's log. Counted per operation, not per KMS call.
   */
  private static final ConcurrentMap<String, LongAdder> UNAVAILABLE_CAUSES = new ConcurrentHashMap<>();

  static String classify(Throwable e) {
    Throwable t = e;
    for (int i = 0; i < 5 && t != null; i++) {
      if (t instanceof KeyAccessRevokedException) {
        return OpRecord.REVOKED;
      }
      if (t instanceof KeyServiceUnavailableException) {
        return OpRecord.UNAVAILABLE;
      }
      if (t instanceof InvalidCiphertextException) {
        return "error:InvalidCiphertextException";
      }
      t = t.getCause();
    }
    return "error:" + e.getClass().getSimpleName();
  }

  /** {@link #classify}, and a transient failure counted under its cause. */
  private static String classifyOperation(Throwable e) {
    String outcome = classify(e);
    if (OpRecord.UNAVAILABLE.equals(outcome)) {
      tallyCause(e);
    }
    return outcome;
  }

  /** Counts {@code e} under its innermost cause; the first of each kind is printed to standard error. */
  private static void tallyCause(Throwable e) {
    Throwable root = e;
    for (int i = 0; i < 10 && root.getCause() != null; i++) {
      root = root.getCause();
    }
    String m = String.valueOf(root.getMessage());
    String cause = (root.getClass().getSimpleName() + ": " + m.substring(0, Math.min(160, m.length())))
        .replaceAll("key/[0-9a-f-]+", "key/ID").replaceAll("[0-9]+", "N").replace('\n', ' ');
    LongAdder n = UNAVAILABLE_CAUSES.computeIfAbsent(cause, k -> {
      System.err.println("soak vendor: first transient error of this kind: " + k);
      return new LongAdder();
    });
    n.increment();
  }

  /** The tally of {@link #UNAVAILABLE_CAUSES}, largest first, one line each. */
  static String unavailableCauses() {
    StringBuilder b = new StringBuilder();
    UNAVAILABLE_CAUSES.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue().sum(), x.getValue().sum()))
        .forEach(en -> b.append(String.format("%8d  %s%n", en.getValue().sum(), en.getKey())));
    return b.toString();
  }
}
