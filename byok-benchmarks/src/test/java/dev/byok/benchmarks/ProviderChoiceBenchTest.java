package dev.byok.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.Security;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code provider} and {@code suite} parameters reach each competitor, ACCP is first in the JCA
 * list only while an esdk or tink trial with {@code accp} is open, and the floor round-trips.
 */
class ProviderChoiceBenchTest {

  @ParameterizedTest
  @CsvSource({"byok,jdk,0478", "byok,accp,0478", "byok,accp,0578", "byok,jdk,0578", "esdk,jdk,0478", "esdk,accp,0478",
      "esdk,accp,0578", "jca,accp,0478", "tink,accp,0478"})
  void roundTrip_eachCompetitorProviderAndSuite_returnsPlaintext(String impl, String provider, String suite) {
    CryptoChoice choice = new CryptoChoice(provider, suite);
    try (Envelope e = Competitor.of(impl).create(FakeKms.create(), CacheMode.WARM, choice)) {
      boolean global = (impl.equals("esdk") || impl.equals("tink")) && provider.equals("accp");
      assertEquals(global, "AmazonCorrettoCryptoProvider".equals(Security.getProviders()[0].getName()),
          "ACCP first in the JCA list while the trial is open");
      byte[] plaintext = random(5000);
      byte[] message = e.encrypt(plaintext);
      if (impl.equals("byok") || impl.equals("esdk")) {
        assertEquals(suite.equals("0578") ? 0x05 : 0x04, message[1], "suite ID in the header");
      }
      assertArrayEquals(plaintext, e.decrypt(message));
    }
    assertNull(Security.getProvider("AmazonCorrettoCryptoProvider"), "ACCP removed at the end of the trial");
  }

  @ParameterizedTest
  @ValueSource(strings = {"jdk", "accp"})
  void floor_everySize_roundTripsAndRefusesTampering(String provider) {
    CryptoChoice choice = new CryptoChoice(provider, "0478");
    int header = FloorBenchmark.byokHeaderBodyLength(choice);
    assertTrue(header > 100 && header < 1000, "header body length " + header);
    Floor floor = new Floor(choice.jcaProvider(), header);
    for (int size : new int[] {0, 1, 1024, Floor.FRAME_LENGTH, Floor.FRAME_LENGTH + 1, 3 * Floor.FRAME_LENGTH + 5}) {
      byte[] plaintext = random(size);
      byte[] message = floor.encrypt(plaintext);
      assertArrayEquals(plaintext, floor.decrypt(message), provider + " size " + size);
      message[message.length - 1] ^= 1;
      assertThrows(IllegalArgumentException.class, () -> floor.decrypt(message));
    }
  }

  @Test
  void cryptoChoice_unknownValues_namedInTheError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CryptoChoice("bc", "0478"));
    assertTrue(e.getMessage().contains("'bc'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new CryptoChoice("jdk", "0178"));
    assertTrue(e.getMessage().contains("'0178'"), e.getMessage());
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new SplittableRandom(n).nextBytes(b);
    return b;
  }
}
