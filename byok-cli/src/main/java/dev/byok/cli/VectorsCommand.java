package dev.byok.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byok.cli.internal.Io;
import dev.byok.cli.internal.UsageException;
import dev.byok.core.AccessReason;
import dev.byok.core.EncryptionContext;
import dev.byok.core.InvalidCiphertextException;
import dev.byok.core.KeyArn;
import dev.byok.core.ReasonCode;
import dev.byok.core.TenantDirectory;
import dev.byok.core.audit.KeyUseEvent;
import dev.byok.core.keys.DecryptedDataKey;
import dev.byok.core.keys.EncryptedDataKey;
import dev.byok.core.keys.GeneratedDataKey;
import dev.byok.core.keys.KeyDescription;
import dev.byok.core.keys.KeyService;
import dev.byok.core.keys.KeyState;
import dev.byok.core.keys.PlaintextDataKey;
import dev.byok.crypto.TenantCrypto;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code byok vectors}: runs known-answer test-vector files through byok's public API.
 * {@code byok vectors esdk-commitment FILE} decrypts each vector with {@link TenantCrypto}, as a
 * vendor does, and prints one line per vector ({@code PASS name} or {@code FAIL name: why}) and a
 * final line {@code N passed, M failed}; it exits 0 only when M is 0.
 */
@Command(name = "vectors", description = "Run known-answer test vectors through byok's message format.",
    subcommands = {VectorsCommand.EsdkCommitment.class})
final class VectorsCommand {

  /**
   * {@code byok vectors esdk-commitment FILE}: the shape of the AWS Encryption SDK's
   * {@code commitment-test-vectors.json} ({@code tests[]} with base64 {@code ciphertext} and
   * {@code decrypted-dek}, {@code plaintext-frames}, {@code encryption-context}, {@code message-id}
   * and {@code status}). A vector with {@code status: true} passes when it decrypts to its
   * concatenated plaintext frames, with its encryption context (less the reserved
   * {@code aws-crypto-} pairs) and message ID, both read from the audit event of the decrypt; one with {@code status: false} passes when decrypt rejects it with
   * {@link InvalidCiphertextException}. Any other outcome fails it.
   */
  @Command(name = "esdk-commitment",
      description = {"Decrypt every vector of an AWS Encryption SDK key-commitment test-vector file with "
          + "TenantCrypto, each under a key service that hands out the vector's plaintext data key; vectors "
          + "with \"status\": false must be rejected.",
          "Example: byok vectors esdk-commitment commitment-test-vectors.json"})
  static final class EsdkCommitment implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The JSON vector file (a \"tests\" array).")
    Path file;

    @Override
    public Integer call() throws IOException {
      Io io = Main.io(spec);
      List<Outcome> outcomes;
      try (InputStream in = Files.newInputStream(file)) {
        outcomes = run(in);
      } catch (NoSuchFileException e) {
        throw new UsageException("no such file: " + file);
      }
      int failed = 0;
      for (Outcome o : outcomes) {
        io.out().println(o);
        if (!o.passed()) {
          failed++;
        }
      }
      io.out().println((outcomes.size() - failed) + " passed, " + failed + " failed");
      if (outcomes.isEmpty()) {
        io.err().println("byok vectors esdk-commitment: " + file + " has no vectors");
        return ExitCodes.FAILED;
      }
      return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }
  }

  /** The tenant every vector is decrypted for. */
  private static final String TENANT = "esdk-test-vectors";
  /** The tenant's key: a placeholder; the vectors' key service ignores it. */
  private static final KeyArn VECTOR_KEY = KeyArn.parse("arn:aws:kms:us-east-1:111122223333:key/esdk-test-vectors");
  private static final AccessReason REASON =
      AccessReason.of(ReasonCode.SYSTEM_OPERATION, "known-answer test vector", "byok vectors");
  private static final HexFormat HEX = HexFormat.of();

  /** The outcome of one vector: its comment (or index), whether it passed, and why not. */
  record Outcome(String name, boolean passed, String detail) {
    static Outcome pass(String name) {
      return new Outcome(name, true, "");
    }

    static Outcome fail(String name, String detail) {
      return new Outcome(name, false, detail);
    }

    @Override
    public String toString() {
      return (passed ? "PASS " : "FAIL ") + name + (detail.isEmpty() ? "" : ": " + detail);
    }
  }

  /**
   * Runs every vector of the file.
   *
   * @throws IOException if the file cannot be read or is not JSON
   * @throws IllegalArgumentException if it has no {@code tests} array
   */
  static List<Outcome> run(InputStream json) throws IOException {
    JsonNode root = new ObjectMapper().readTree(json);
    JsonNode tests = root == null ? null : root.get("tests");
    if (tests == null || !tests.isArray()) {
      throw new IllegalArgumentException("not a commitment test-vector file: no \"tests\" array");
    }
    List<Outcome> out = new ArrayList<>();
    int i = 0;
    for (JsonNode t : tests) {
      String name = t.hasNonNull("comment") ? t.get("comment").asText() : "vector " + i;
      out.add(runOne(name, t));
      i++;
    }
    return out;
  }

  private static Outcome runOne(String name, JsonNode t) {
    boolean expectSuccess = t.path("status").asBoolean(false);
    byte[] message;
    byte[] dataKey;
    try {
      message = Base64.getDecoder().decode(t.path("ciphertext").asText());
      dataKey = Base64.getDecoder().decode(t.path("decrypted-dek").asText());
    } catch (IllegalArgumentException e) {
      return Outcome.fail(name, "vector has malformed base64: " + e.getMessage());
    }
    List<KeyUseEvent> events = new CopyOnWriteArrayList<>();
    try (TenantCrypto crypto = TenantCrypto.builder()
        .keyService(new VectorDataKeys(dataKey))
        .tenants(TenantDirectory.builder().put(TENANT, VECTOR_KEY).build())
        .auditSink(events::add)
        .build()) {
      byte[] plaintext = crypto.decrypt(TENANT, EncryptionContext.empty(), REASON, message);
      if (!expectSuccess) {
        return Outcome.fail(name, "decrypted, but the vector must be rejected");
      }
      if (!Arrays.equals(expectedPlaintext(t.path("plaintext-frames")), plaintext)) {
        return Outcome.fail(name, "plaintext differs from plaintext-frames");
      }
      if (events.size() != 1) {
        return Outcome.fail(name, "expected one audit event of the decrypt, got " + events.size());
      }
      KeyUseEvent event = events.get(0);
      if (t.has("encryption-context") && !contextOf(t.get("encryption-context")).equals(event.encryptionContext())) {
        return Outcome.fail(name, "encryption context differs: " + event.encryptionContext());
      }
      if (t.has("message-id") && !HEX.formatHex(Base64.getDecoder().decode(t.get("message-id").asText()))
          .equals(event.messageId())) {
        return Outcome.fail(name, "message ID differs: " + event.messageId());
      }
      return Outcome.pass(name);
    } catch (InvalidCiphertextException e) {
      return expectSuccess ? Outcome.fail(name, e.getMessage()) : Outcome.pass(name);
    } catch (RuntimeException e) {
      return Outcome.fail(name, "unexpected " + e);
    }
  }

  private static byte[] expectedPlaintext(JsonNode frames) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    if (frames.isArray()) {
      for (JsonNode f : frames) {
        b.writeBytes(f.asText().getBytes(StandardCharsets.UTF_8));
      }
    } else if (frames.isTextual()) {
      b.writeBytes(frames.asText().getBytes(StandardCharsets.UTF_8));
    }
    return b.toByteArray();
  }

  /**
   * The vector's encryption context as the audit event shows it: without the reserved
   * {@code aws-crypto-} pairs (the signing key of 0x0578 messages, which the signature check uses).
   */
  private static Map<String, String> contextOf(JsonNode node) {
    Map<String, String> m = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getKey().startsWith(EncryptionContext.RESERVED_PREFIX)) {
        m.put(e.getKey(), e.getValue().asText());
      }
    }
    return m;
  }

  /**
   * The key service of one vector: like the AWS Encryption SDK's static keyring in its own vector
   * tests, it hands out the vector's plaintext data key for whichever encrypted data key the message
   * carries (KMS, raw AES or another provider's), so no KMS and no wrapping key is needed. It only
   * decrypts. The data key is a published test value, not a secret.
   */
  private static final class VectorDataKeys implements KeyService {
    private final byte[] dataKey;

    VectorDataKeys(byte[] dataKey) {
      this.dataKey = dataKey.clone();
    }

    @Override
    public String providerId() {
      return "esdk-test-vector";
    }

    @Override
    public boolean canDecrypt(EncryptedDataKey edk) {
      return true;
    }

    @Override
    public boolean canDecrypt(KeyArn keyArn, EncryptedDataKey edk) {
      return true;
    }

    @Override
    public GeneratedDataKey generateDataKey(KeyArn keyArn, EncryptionContext context) {
      throw new UnsupportedOperationException("test vectors are only decrypted");
    }

    @Override
    public DecryptedDataKey decryptDataKey(KeyArn keyArn, EncryptedDataKey edk, EncryptionContext context) {
      return new DecryptedDataKey(PlaintextDataKey.copyOf(dataKey), keyArn, null);
    }

    @Override
    public KeyDescription describeKey(KeyArn keyArn) {
      return new KeyDescription(keyArn, KeyState.ENABLED, null);
    }
  }
}
