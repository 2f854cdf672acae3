package dev.byok.crypto.internal.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byok.core.InvalidCiphertextException;
import dev.byok.core.keys.PlaintextDataKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs an AWS Encryption SDK key-commitment test-vector file (the shape of
 * {@code aws-encryption-sdk-java/src/test/resources/commitment-test-vectors.json}: {@code tests[]}
 * with base64 {@code ciphertext} and {@code decrypted-dek}, {@code plaintext-frames},
 * {@code encryption-context}, {@code message-id} and {@code status}) through
 * {@link MessageDecryptor}. A vector with {@code status: true} passes when it decrypts to the
 * concatenated plaintext frames with the given context and message ID; one with
 * {@code status: false} passes when it is rejected with {@link InvalidCiphertextException} (any other
 * outcome fails it). Stateless; thread-safe.
 *
 * <p>Test code: it drives the internal {@link MessageDecryptor} directly with each vector's plaintext
 * data key. The {@code byok vectors esdk-commitment} command runs the same files through the public
 * {@code TenantCrypto} API instead.
 */
public final class CommitmentVectors {
  private CommitmentVectors() {}

  /** The outcome of one vector: its comment (or index), whether it passed, and why not. */
  public static final class Outcome {
    private final String name;
    private final boolean passed;
    private final String detail;

    Outcome(String name, boolean passed, String detail) {
      this.name = name;
      this.passed = passed;
      this.detail = detail;
    }

    public String name() {
      return name;
    }

    public boolean passed() {
      return passed;
    }

    /** Why it failed; empty when it passed. */
    public String detail() {
      return detail;
    }

    @Override
    public String toString() {
      return (passed ? "PASS " : "FAIL ") + name + (detail.isEmpty() ? "" : ": " + detail);
    }
  }

  /**
   * Runs every vector of the file.
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if it is not JSON with a {@code tests} array
   */
  public static List<Outcome> run(InputStream json) throws IOException {
    JsonNode root = new ObjectMapper().readTree(json);
    JsonNode tests = root == null ? null : root.get("tests");
    if (tests == null || !tests.isArray()) {
      throw new IllegalArgumentException("not a commitment test-vector file: no \"tests\" array");
    }
    MessageDecryptor decryptor = MessageDecryptor.create();
    List<Outcome> out = new ArrayList<>();
    int i = 0;
    for (JsonNode t : tests) {
      String name = t.hasNonNull("comment") ? t.get("comment").asText() : "vector " + i;
      out.add(runOne(decryptor, name, t));
      i++;
    }
    return out;
  }

  private static Outcome runOne(MessageDecryptor decryptor, String name, JsonNode t) {
    boolean expectSuccess = t.path("status").asBoolean(false);
    byte[] message;
    byte[] dek;
    try {
      message = Base64.getDecoder().decode(t.path("ciphertext").asText());
      dek = Base64.getDecoder().decode(t.path("decrypted-dek").asText());
    } catch (IllegalArgumentException e) {
      return new Outcome(name, false, "vector has malformed base64: " + e.getMessage());
    }
    try {
      MessageHeader header = decryptor.parseHeader(message, 0, message.length);
      byte[] plaintext = decryptor.decrypt(header, PlaintextDataKey.wrap(dek), message, 0, message.length);
      if (!expectSuccess) {
        return new Outcome(name, false, "decrypted, but the vector must be rejected");
      }
      byte[] expected = expectedPlaintext(t.path("plaintext-frames"));
      if (!Arrays.equals(expected, plaintext)) {
        return new Outcome(name, false, "plaintext differs from plaintext-frames");
      }
      if (t.has("encryption-context") && !contextOf(t.get("encryption-context")).equals(header.context().asMap())) {
        return new Outcome(name, false, "encryption context differs: " + header.context());
      }
      if (t.has("message-id")
          && !Arrays.equals(Base64.getDecoder().decode(t.get("message-id").asText()), header.messageId())) {
        return new Outcome(name, false, "message ID differs");
      }
      return new Outcome(name, true, "");
    } catch (InvalidCiphertextException e) {
      return expectSuccess ? new Outcome(name, false, e.getMessage()) : new Outcome(name, true, "");
    } catch (RuntimeException e) {
      return new Outcome(name, false, "unexpected " + e);
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

  private static Map<String, String> contextOf(JsonNode node) {
    Map<String, String> m = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      m.put(e.getKey(), e.getValue().asText());
    }
    return m;
  }
}
