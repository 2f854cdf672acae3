package dev.byok.crypto.format;

import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.ParameterizedClass;
import dev.byok.crypto.CryptoProvider;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byok.core.InvalidCiphertextException;
import dev.byok.core.keys.PlaintextDataKey;
import dev.byok.crypto.internal.format.CommitmentVectors;
import dev.byok.crypto.internal.format.DecryptOptions;
import dev.byok.crypto.internal.format.MessageDecryptor;
import dev.byok.crypto.internal.format.MessageHeader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every vector of {@code esdk/commitment-test-vectors.json} (made by the C, JavaScript, Python and
 * Java ESDKs): those with {@code status: true} decrypt to their plaintext frames, through the byte
 * array and the streaming API, and those with {@code status: false} are rejected with
 * {@link InvalidCiphertextException}.
 */
@ParameterizedClass
@MethodSource("dev.byok.crypto.format.TestProviders#providers")
class CommitmentVectorsTest {
  private final CryptoProvider provider;

  CommitmentVectorsTest(CryptoProvider provider) {
    this.provider = provider;
  }

  private static final String FILE = "esdk/commitment-test-vectors.json";

  private static List<JsonNode> vectors() throws IOException {
    JsonNode root = new ObjectMapper().readTree(TestVectorFiles.read(FILE));
    List<JsonNode> out = new ArrayList<>();
    root.get("tests").forEach(out::add);
    return out;
  }

  private static byte[] b64(JsonNode t, String field) {
    return Base64.getDecoder().decode(t.get(field).asText());
  }

  private static byte[] plaintextOf(JsonNode t) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    t.get("plaintext-frames").forEach(f -> b.writeBytes(f.asText().getBytes(StandardCharsets.UTF_8)));
    return b.toByteArray();
  }

  @Test
  void decrypt_everyVector_matchesStatus() throws IOException {
    MessageDecryptor decryptor = MessageDecryptor.create(DecryptOptions.defaults(), provider);
    int accepted = 0;
    int rejected = 0;
    for (JsonNode t : vectors()) {
      String name = t.get("comment").asText();
      byte[] message = b64(t, "ciphertext");
      byte[] dek = b64(t, "decrypted-dek");
      if (t.get("status").asBoolean()) {
        MessageHeader header = decryptor.parseHeader(message, 0, message.length);
        byte[] plaintext = decryptor.decrypt(header, PlaintextDataKey.copyOf(dek), message, 0, message.length);
        assertArrayEquals(plaintextOf(t), plaintext, name);
        assertArrayEquals(b64(t, "message-id"), header.messageId(), name);
        accepted++;
      } else {
        assertThrows(InvalidCiphertextException.class,
            () -> decryptor.decrypt(message, 0, message.length, h -> PlaintextDataKey.copyOf(dek)), name);
        rejected++;
      }
    }
    assertTrue(accepted > 0, "no vector with status true");
    assertTrue(rejected > 0, "no vector with status false");
    System.out.println("commitment vectors: " + accepted + " decrypted, " + rejected + " rejected as expected");
  }

  @Test
  void decryptingStream_everyVector_matchesStatus() throws IOException {
    MessageDecryptor decryptor = MessageDecryptor.create(DecryptOptions.builder().allowSignedStreaming(true).build(), provider);
    int count = 0;
    for (JsonNode t : vectors()) {
      String name = t.get("comment").asText();
      byte[] message = b64(t, "ciphertext");
      byte[] dek = b64(t, "decrypted-dek");
      InputStream in = decryptor.decryptingStream(new ByteArrayInputStream(message), h -> PlaintextDataKey.copyOf(dek));
      if (t.get("status").asBoolean()) {
        assertArrayEquals(plaintextOf(t), in.readAllBytes(), name);
      } else {
        assertThrows(InvalidCiphertextException.class, in::readAllBytes, name);
      }
      count++;
    }
    assertTrue(count > 0);
  }

  @Test
  void decrypt_wrongDataKey_failsOnCommitment() throws IOException {
    JsonNode t = vectors().get(0);
    byte[] message = b64(t, "ciphertext");
    byte[] dek = b64(t, "decrypted-dek");
    dek[0] ^= 1;
    InvalidCiphertextException e = assertThrows(InvalidCiphertextException.class,
        () -> MessageDecryptor.create(DecryptOptions.defaults(), provider).decrypt(message, 0, message.length, h -> PlaintextDataKey.copyOf(dek)));
    assertTrue(e.getMessage().contains("commitment"), e.getMessage());
  }

  @Test
  void commitmentVectorsRunner_vectorFile_allPass() throws IOException {
    List<CommitmentVectors.Outcome> outcomes = CommitmentVectors.run(new ByteArrayInputStream(TestVectorFiles.read(FILE)));
    assertEquals(vectors().size(), outcomes.size());
    for (CommitmentVectors.Outcome o : outcomes) {
      assertTrue(o.passed(), o.toString());
    }
  }

  @Test
  void commitmentVectorsRunner_vectorWithWrongPlaintext_fails() throws IOException {
    JsonNode t = vectors().get(0).deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) t).putArray("plaintext-frames").add("not the plaintext");
    String json = "{\"tests\": [" + t + "]}";
    List<CommitmentVectors.Outcome> outcomes =
        CommitmentVectors.run(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    assertEquals(1, outcomes.size());
    assertTrue(!outcomes.get(0).passed(), outcomes.get(0).toString());
  }
}
