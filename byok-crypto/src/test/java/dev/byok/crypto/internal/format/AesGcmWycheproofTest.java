package dev.byok.crypto.internal.format;

import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.ParameterizedClass;
import dev.byok.crypto.CryptoProvider;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byok.crypto.format.TestVectorFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The Wycheproof AES-GCM groups the format uses (256-bit key, 96-bit IV, 128-bit tag) through
 * {@link AesGcm}, the primitive every frame goes through. Like Tink's tests, failures are counted
 * and reported together: a valid vector must seal to its ciphertext ‖ tag and open to its message;
 * an invalid one must not open.
 */
@ParameterizedClass
@MethodSource("dev.byok.crypto.format.TestProviders#providers")
class AesGcmWycheproofTest {
  private final CryptoProvider provider;

  AesGcmWycheproofTest(CryptoProvider provider) {
    this.provider = provider;
    this.aes = AesGcm.of(CryptoProviders.resolve(provider));
  }

  private final AesGcm aes;

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void sealAndOpen_wycheproofKey256Iv96Tag128_matchesEveryResult() throws IOException {
    JsonNode root = new ObjectMapper().readTree(TestVectorFiles.read("wycheproof/aes_gcm_test.json"));
    List<String> failures = new ArrayList<>();
    int tested = 0;
    int invalid = 0;
    for (JsonNode group : root.get("testGroups")) {
      if (group.get("keySize").asInt() != 256 || group.get("ivSize").asInt() != 96 || group.get("tagSize").asInt() != 128) {
        continue;
      }
      for (JsonNode t : group.get("tests")) {
        tested++;
        String id = "tcId " + t.get("tcId").asInt() + " (" + t.get("comment").asText() + ")";
        SecretKeySpec key = new SecretKeySpec(hex(t, "key"), "AES");
        byte[] iv = hex(t, "iv");
        byte[] aad = hex(t, "aad");
        byte[] msg = hex(t, "msg");
        byte[] ct = hex(t, "ct");
        byte[] tag = hex(t, "tag");
        byte[] sealed = new byte[ct.length + tag.length];
        System.arraycopy(ct, 0, sealed, 0, ct.length);
        System.arraycopy(tag, 0, sealed, ct.length, tag.length);
        String result = t.get("result").asText();
        byte[] opened = new byte[Math.max(0, sealed.length - AesGcm.TAG_LENGTH_IN_BYTES)];
        boolean opens;
        try {
          aes.open(key, iv, aad, 0, aad.length, sealed, 0, sealed.length, opened, 0);
          opens = true;
        } catch (AEADBadTagException e) {
          opens = false;
        }
        if ("valid".equals(result)) {
          if (!opens) {
            failures.add(id + ": valid vector did not open");
            continue;
          }
          if (!java.util.Arrays.equals(msg, opened)) {
            failures.add(id + ": opened to the wrong plaintext");
          }
          byte[] out = new byte[msg.length + AesGcm.TAG_LENGTH_IN_BYTES];
          // Both providers refuse to seal twice in a row under one key and IV, and Wycheproof
          // repeats pairs across vectors: seal something else in between.
          aes.seal(new SecretKeySpec(new byte[32], "AES"), new byte[12], new byte[0], 0, 0, new byte[0], 0, 0,
              new byte[16], 0);
          aes.seal(key, iv, aad, 0, aad.length, msg, 0, msg.length, out, 0);
          if (!java.util.Arrays.equals(sealed, out)) {
            failures.add(id + ": sealed to the wrong ciphertext or tag");
          }
        } else {
          invalid++;
          if (opens) {
            failures.add(id + ": " + result + " vector opened");
          }
        }
      }
    }
    assertTrue(tested > 0, "no 256/96/128 group in the Wycheproof file");
    assertTrue(invalid > 0, "no invalid vector in the tested groups");
    assertEquals(List.of(), failures, failures.size() + " of " + tested + " vectors failed");
  }

  @Test
  void open_tamperedTag_writesNothing() throws Exception {
    SecretKeySpec key = new SecretKeySpec(new byte[32], "AES");
    byte[] iv = new byte[12];
    iv[11] = 7;
    byte[] msg = "plaintext that must not leak".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] sealed = new byte[msg.length + 16];
    aes.seal(key, iv, new byte[0], 0, 0, msg, 0, msg.length, sealed, 0);
    sealed[sealed.length - 1] ^= 1;
    byte[] out = new byte[msg.length];
    try {
      aes.open(key, iv, new byte[0], 0, 0, sealed, 0, sealed.length, out, 0);
    } catch (AEADBadTagException expected) {
      assertArrayEquals(new byte[msg.length], out);
      return;
    }
    throw new AssertionError("a tampered tag opened");
  }

  private static byte[] hex(JsonNode t, String field) {
    return HEX.parseHex(t.get(field).asText());
  }
}
