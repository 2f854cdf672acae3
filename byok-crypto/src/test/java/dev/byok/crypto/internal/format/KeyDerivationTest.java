package dev.byok.crypto.internal.format;

import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.ParameterizedClass;
import dev.byok.crypto.CryptoProvider;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byok.crypto.AlgorithmSuite;
import dev.byok.crypto.format.TestVectorFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * HKDF-SHA512 against the derived values the ESDK vectors publish: for every vector that decrypts,
 * the content-encryption key and the commitment key derived from {@code decrypted-dek} and the
 * message ID equal the vector's {@code content-encryption-key} and {@code commitment}.
 */
@ParameterizedClass
@MethodSource("dev.byok.crypto.format.TestProviders#providers")
class KeyDerivationTest {
  private final CryptoProvider provider;

  KeyDerivationTest(CryptoProvider provider) {
    this.provider = provider;
    this.kdf = KeyDerivation.of(CryptoProviders.resolve(provider));
  }

  private final KeyDerivation kdf;


  @Test
  void derive_commitmentVectors_matchPublishedKeys() throws IOException {
    JsonNode root = new ObjectMapper().readTree(TestVectorFiles.read("esdk/commitment-test-vectors.json"));
    Base64.Decoder b64 = Base64.getDecoder();
    int checked = 0;
    for (JsonNode t : root.get("tests")) {
      if (!t.get("status").asBoolean() || !t.hasNonNull("content-encryption-key")) {
        continue;
      }
      byte[] message = b64.decode(t.get("ciphertext").asText());
      AlgorithmSuite suite = AlgorithmSuite.fromId(Bytes.getUInt16(message, 1));
      byte[] commitment = new byte[32];
      SecretKeySpec key = kdf.derive(suite, b64.decode(t.get("decrypted-dek").asText()),
          b64.decode(t.get("message-id").asText()), 0, commitment, 0);
      String name = t.get("comment").asText();
      assertArrayEquals(b64.decode(t.get("content-encryption-key").asText()), key.getEncoded(), name);
      assertArrayEquals(b64.decode(t.get("commitment").asText()), commitment, name);
      checked++;
    }
    assertTrue(checked > 0, "no vector with published derived keys");
  }

  /** HKDF-SHA512 extract + one expand block on the JDK's {@code HmacSHA512}, as a reference. */
  private static byte[] jcaHkdf(byte[] salt, byte[] ikm, byte[] info) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA512");
    mac.init(new SecretKeySpec(salt, "HmacSHA512"));
    byte[] prk = mac.doFinal(ikm);
    mac.init(new SecretKeySpec(prk, "HmacSHA512"));
    mac.update(info);
    mac.update((byte) 1);
    return Arrays.copyOf(mac.doFinal(), 32);
  }

  @Test
  void derive_randomInputs_equalsJdkHmacSha512Hkdf() throws GeneralSecurityException {
    SplittableRandom random = new SplittableRandom(5869);
    for (int i = 0; i < 200; i++) {
      byte[] dataKey = new byte[32];
      byte[] buf = new byte[40 + 32];
      random.nextBytes(dataKey);
      random.nextBytes(buf);
      int off = random.nextInt(41);
      byte[] messageId = Arrays.copyOfRange(buf, off, off + 32);
      AlgorithmSuite suite = AlgorithmSuite.values()[random.nextInt(AlgorithmSuite.values().length)];
      byte[] commitment = new byte[40];
      SecretKeySpec key = kdf.derive(suite, dataKey, buf, off, commitment, 8);
      byte[] deriveInfo = ("xxDERIVEKEY").getBytes(StandardCharsets.US_ASCII);
      deriveInfo[0] = (byte) (suite.id() >>> 8);
      deriveInfo[1] = (byte) suite.id();
      assertArrayEquals(jcaHkdf(messageId, dataKey, deriveInfo), key.getEncoded(), "AES key, case " + i);
      assertArrayEquals(jcaHkdf(messageId, dataKey, "COMMITKEY".getBytes(StandardCharsets.US_ASCII)),
          Arrays.copyOfRange(commitment, 8, 40), "commitment key, case " + i);
      assertArrayEquals(new byte[8], Arrays.copyOf(commitment, 8), "nothing written before the offset, case " + i);
    }
  }

  @Test
  void derive_otherSuiteId_givesOtherKeyButSameCommitment() {
    byte[] dataKey = new byte[32];
    byte[] messageId = new byte[32];
    Arrays.fill(messageId, (byte) 9);
    byte[] c1 = new byte[32];
    byte[] c2 = new byte[32];
    SecretKeySpec k1 = kdf.derive(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, dataKey, messageId, 0, c1, 0);
    SecretKeySpec k2 = kdf.derive(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384, dataKey, messageId, 0, c2, 0);
    assertFalse(Arrays.equals(k1.getEncoded(), k2.getEncoded()), "the suite ID is in the key's info");
    assertArrayEquals(c1, c2, "the commitment info does not include the suite ID");
  }
}
