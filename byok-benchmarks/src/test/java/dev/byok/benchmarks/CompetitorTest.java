package dev.byok.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Wiring of each competitor: a round trip returns the plaintext, a tampered message is refused,
 * and the warm cache really spares KMS calls. Times nothing.
 */
class CompetitorTest {
  private static final int[] SIZES = {0, 1, 1024, 65_536, 65_537, 200_000};

  @ParameterizedTest
  @ValueSource(strings = {"byok", "esdk", "tink", "jca"})
  void encryptDecrypt_everySize_returnsPlaintext(String impl) {
    try (Envelope envelope = Competitor.of(impl).create(FakeKms.create(), CacheMode.WARM)) {
      for (int size : SIZES) {
        byte[] plaintext = random(size);
        byte[] message = envelope.encrypt(plaintext);
        assertFalse(size > 16 && indexOf(message, plaintext) >= 0, impl + ": plaintext visible in the message");
        assertArrayEquals(plaintext, envelope.decrypt(message), impl + " size " + size);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"byok", "esdk", "tink", "jca"})
  void decrypt_tamperedLastByte_fails(String impl) {
    try (Envelope envelope = Competitor.of(impl).create(FakeKms.create(), CacheMode.WARM)) {
      byte[] message = envelope.encrypt(random(1024));
      message[message.length - 1] ^= 1;
      assertThrows(RuntimeException.class, () -> envelope.decrypt(message));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"byok", "esdk", "tink"})
  void decrypt_otherContext_fails(String impl) {
    try (Envelope envelope = Competitor.of(impl).create(FakeKms.create(), CacheMode.OFF)) {
      byte[] message = envelope.encrypt(random(100));
      assertThrows(RuntimeException.class, () -> envelope.decrypt(message, Map.of("tenant", "other")));
    }
  }

  @ParameterizedTest
  @EnumSource(value = CacheMode.class)
  void esdk_cacheMode_decidesKmsCalls(CacheMode cache) {
    cacheMode_decidesKmsCalls(Competitor.ESDK, cache);
  }

  @ParameterizedTest
  @EnumSource(value = CacheMode.class)
  void byok_cacheMode_decidesKmsCalls(CacheMode cache) {
    cacheMode_decidesKmsCalls(Competitor.BYOK, cache);
  }

  private static void cacheMode_decidesKmsCalls(Competitor competitor, CacheMode cache) {
    FakeKms kms = FakeKms.create();
    try (Envelope envelope = competitor.create(kms, cache)) {
      byte[] plaintext = random(1024);
      byte[] message = null;
      for (int i = 0; i < 5; i++) {
        message = envelope.encrypt(plaintext);
        envelope.decrypt(message);
      }
      long expected = cache == CacheMode.WARM ? 1 : 5;
      assertEquals(expected, kms.generateDataKeyCalls(), competitor + " GenerateDataKey calls");
      // byok may serve the first decrypt from the data key it just generated: at most one Decrypt warm
      long decrypts = kms.decryptCalls();
      if (cache == CacheMode.WARM) {
        assertTrue(decrypts <= 1, competitor + " Decrypt calls: " + decrypts);
      } else {
        assertEquals(5, decrypts, competitor + " Decrypt calls");
      }
    }
  }

  @org.junit.jupiter.api.Test
  void tink_everyMessage_callsKms() {
    FakeKms kms = FakeKms.create();
    try (Envelope envelope = Competitor.TINK.create(kms, CacheMode.WARM)) {
      for (int i = 0; i < 3; i++) {
        envelope.decrypt(envelope.encrypt(random(10)));
      }
      assertEquals(3, kms.encryptCalls());
      assertEquals(3, kms.decryptCalls());
    }
  }

  @org.junit.jupiter.api.Test
  void of_unknownName_namesIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Competitor.of("nacl"));
    assertEquals(true, e.getMessage().contains("'nacl'"), e.getMessage());
  }

  static byte[] random(int size) {
    byte[] b = new byte[size];
    new SplittableRandom(size).nextBytes(b);
    return b;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < Math.min(needle.length, 16); j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return Arrays.equals(needle, new byte[0]) ? 0 : -1;
  }
}
