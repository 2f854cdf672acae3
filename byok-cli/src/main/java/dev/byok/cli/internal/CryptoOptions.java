package dev.byok.cli.internal;

import dev.byok.core.AccessReason;
import dev.byok.core.EncryptionContext;
import dev.byok.core.audit.AuditSink;
import dev.byok.crypto.AlgorithmSuite;
import dev.byok.crypto.TenantCrypto;
import dev.byok.core.TenantDirectory;
import dev.byok.core.TenantKey;
import dev.byok.crypto.audit.JsonLinesFileAuditSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options {@code byok encrypt} and {@code byok decrypt} share: the key, the encryption context,
 * the reason, the tenant named in audit events, the audit log, input and output. Not thread-safe
 * (filled by picocli).
 */
public final class CryptoOptions {
  @Mixin public KeySource keySource;
  @Mixin public ReasonOptions reason;

  @Option(names = "--context", paramLabel = "KEY=VALUE", converter = ContextPairConverter.class,
      description = "Encryption context pair (repeatable). Encrypt: bound to the message and sent to KMS. "
          + "Decrypt: each pair must be in the message's context.")
  public List<Map.Entry<String, String>> context = new ArrayList<>();

  @Option(names = "--tenant", paramLabel = "NAME", defaultValue = "cli",
      description = "The tenant named in audit events (default: ${DEFAULT-VALUE}).")
  public String tenant;

  @Option(names = "--audit-log", paramLabel = "FILE",
      description = "Append this use's audit event (JSON lines, docs/audit-events.md) to FILE.")
  public Path auditLog;

  @Option(names = "--in", paramLabel = "FILE", description = "Input file (default or '-': standard input).")
  public String in;

  @Option(names = "--out", paramLabel = "FILE", description = "Output file (default or '-': standard output). "
      + "Written to a temporary file and renamed only when the whole message was processed.")
  public String out;

  @Option(names = "--overwrite", description = "Replace an existing --out file.")
  public boolean overwrite;

  public EncryptionContext encryptionContext() {
    return Contexts.of(context);
  }

  public AccessReason accessReason() {
    return reason.toAccessReason();
  }

  /** The input stream and its size (-1 when unknown). */
  public InputStream openInput(Io io) throws IOException {
    if (in == null || in.equals("-")) {
      return io.in();
    }
    Path p = Path.of(in);
    if (!Files.exists(p)) {
      throw new UsageException("--in '" + in + "' does not exist");
    }
    if (Files.isDirectory(p)) {
      throw new UsageException("--in '" + in + "' is a folder");
    }
    return ProgressBar.wrap(Files.newInputStream(p), io, Files.size(p), p.getFileName().toString());
  }

  /** Where the output goes, released only on commit. */
  public AtomicOutput openOutput(Io io) throws IOException {
    if (out == null || out.equals("-")) {
      return AtomicOutput.toStdout(io.bytesOut());
    }
    return AtomicOutput.toFile(Path.of(out), overwrite);
  }

  /** The audit sink of {@code --audit-log}, or {@code null}. */
  public AuditSink openAuditSink() throws IOException {
    return auditLog == null ? null : JsonLinesFileAuditSink.open(auditLog);
  }

  /** What {@code byok encrypt} or {@code byok decrypt} does once {@link #run} has opened everything. */
  @FunctionalInterface
  public interface Operation {
    /** Reads {@code in} and writes {@code out} through {@code crypto}; {@link #run} closes all three. */
    void apply(TenantCrypto crypto, InputStream in, OutputStream out) throws Exception;
  }

  /**
   * Opens the key, the audit sink, a {@link TenantCrypto} with {@code suite} ({@code null}: the
   * default), the input and the output, in that order; runs {@code op}; commits the output only when
   * {@code op} returned normally; closes everything in reverse order.
   */
  public void run(Io io, AlgorithmSuite suite, Operation op) throws Exception {
    try (KeySource.Resolved key = keySource.open();
        AuditSink audit = openAuditSink();
        TenantCrypto crypto = crypto(key, audit, suite);
        InputStream input = openInput(io);
        AtomicOutput output = openOutput(io)) {
      op.apply(crypto, input, output.stream());
      output.commit();
    }
  }

  /** A {@link TenantCrypto} for one tenant on the resolved key. */
  public TenantCrypto crypto(KeySource.Resolved key, AuditSink audit, AlgorithmSuite suite) {
    try {
      TenantKey.checkTenant(tenant);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--tenant: " + e.getMessage(), e);
    }
    TenantCrypto.Builder b = TenantCrypto.builder().keyService(key.service())
        .tenants(TenantDirectory.builder().put(tenant, key.keyArn()).build());
    if (audit != null) {
      b.auditSink(audit);
    }
    if (suite != null) {
      b.algorithmSuite(suite);
    }
    return b.build();
  }
}
