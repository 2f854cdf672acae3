package dev.byok.crypto.internal.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.byok.crypto.AlgorithmSuite;
import dev.byok.crypto.CryptoProvider;
import java.util.SplittableRandom;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The same inputs give the same bytes under the JDK and ACCP: the derived key and commitment, the
 * header tag and each frame's ciphertext and tag (all the format's per-message work except the
 * random message ID, fixed here). Message-level cross-reading (one provider writes, the other reads)
 * is in {@code ProviderChoiceTest} and the parameterised format suite.
 */
class ProviderEquivalenceTest {

  @Test
  void deriveSealAndOpen_sameInputs_sameBytesUnderJdkAndAccp() throws Exception {
    Assumptions.assumeTrue(CryptoProviders.accpAvailable(), "ACCP is not on the class path in this run (without-accp)");
    SplittableRandom random = new SplittableRandom(2026);
    for (int i = 0; i < 300; i++) {
      AlgorithmSuite suite = AlgorithmSuite.values()[i % AlgorithmSuite.values().length];
      byte[] dataKey = bytes(random, 32);
      byte[] messageId = bytes(random, 32);
      byte[] c1 = new byte[32];
      byte[] c2 = new byte[32];
      SecretKeySpec k1 = KeyDerivation.of(CryptoProvider.JDK).derive(suite, dataKey, messageId, 0, c1, 0);
      SecretKeySpec k2 = KeyDerivation.of(CryptoProvider.ACCP).derive(suite, dataKey, messageId, 0, c2, 0);
      assertArrayEquals(k1.getEncoded(), k2.getEncoded(), "AES key, case " + i);
      assertArrayEquals(c1, c2, "commitment, case " + i);
      byte[] header = bytes(random, random.nextInt(1, 300));
      byte[] plaintext = bytes(random, random.nextInt(0, 3000));
      byte[][] sealed = new byte[2][];
      int p = 0;
      for (CryptoProvider provider : new CryptoProvider[] {CryptoProvider.JDK, CryptoProvider.ACCP}) {
        BodyCrypto crypto = new BodyCrypto();
        crypto.start(AesGcm.of(provider), p == 0 ? k1 : k2, messageId, 0);
        byte[] out = new byte[16 + plaintext.length + 16];
        crypto.sealHeader(header, 0, header.length, out, 0);
        int n = crypto.seal(BodyCrypto.FINAL_FRAME, 1, plaintext, 0, plaintext.length, out, 16);
        assertEquals(plaintext.length + 16, n);
        sealed[p++] = out;
        crypto.finish();
      }
      assertArrayEquals(sealed[0], sealed[1], "header tag and frame, case " + i);
      for (CryptoProvider provider : new CryptoProvider[] {CryptoProvider.JDK, CryptoProvider.ACCP}) {
        BodyCrypto crypto = new BodyCrypto();
        crypto.start(AesGcm.of(provider), k1, messageId, 0);
        crypto.openHeader(header, 0, header.length, sealed[0], 0);
        byte[] iv = new byte[12];
        BodyCrypto.writeIv(1, iv, 0);
        byte[] opened = new byte[plaintext.length];
        crypto.open(BodyCrypto.FINAL_FRAME, 1, iv, 0, sealed[0], 16, plaintext.length + 16, opened, 0);
        assertArrayEquals(plaintext, opened, provider + " opens, case " + i);
        crypto.finish();
      }
    }
  }

  private static byte[] bytes(SplittableRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
