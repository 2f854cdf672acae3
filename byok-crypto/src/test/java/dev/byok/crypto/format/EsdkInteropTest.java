package dev.byok.crypto.format;

import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.ParameterizedClass;
import dev.byok.crypto.CryptoProvider;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.encryptionsdk.AwsCrypto;
import com.amazonaws.encryptionsdk.CryptoResult;
import dev.byok.core.EncryptionContext;
import dev.byok.core.keys.PlaintextDataKey;
import dev.byok.crypto.AlgorithmSuite;
import dev.byok.crypto.internal.format.DecryptOptions;
import dev.byok.crypto.internal.format.EncryptionMaterials;
import dev.byok.crypto.internal.format.MessageContext;
import dev.byok.crypto.internal.format.MessageDecryptor;
import dev.byok.crypto.internal.format.MessageEncryptor;
import dev.byok.crypto.internal.format.MessageHeader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.cryptography.materialproviders.IKeyring;

/**
 * Interop in both directions with the AWS Encryption SDK for Java 3.0.2, both sides holding the
 * same wrapping key (the ESDK's raw AES keyring, and this test's implementation of its data-key
 * layout): messages written here decrypt in the ESDK and ESDK messages (framed and non-framed)
 * decrypt here, over plaintext sizes 0, 1, frame − 1, frame, frame + 1, 10 frames + 7 and 1 MiB,
 * empty and non-empty contexts, both suites.
 */
@ParameterizedClass
@MethodSource("dev.byok.crypto.format.TestProviders#providers")
class EsdkInteropTest {
  private final CryptoProvider provider;

  EsdkInteropTest(CryptoProvider provider) {
    this.provider = provider;
    this.decryptor = MessageDecryptor.create(DecryptOptions.builder().allowSignedStreaming(true).build(), provider);
  }

  private static final int FRAME = 4096;
  private static final int[] SIZES = {0, 1, FRAME - 1, FRAME, FRAME + 1, 10 * FRAME + 7, 1 << 20};
  private static final List<EncryptionContext> CONTEXTS = List.of(EncryptionContext.empty(),
      EncryptionContext.of(Map.of("tenant", "acme", "data-class", "messages", "ünïcode-kéy", "välue ✓")));
  private static final RawAesKeyring KEYRING = new RawAesKeyring(Fixtures.bytes(32, 99));
  private static final IKeyring ESDK_KEYRING = KEYRING.esdkKeyring();
  private final MessageDecryptor decryptor;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void byokEncrypt_esdkDecrypts(AlgorithmSuite suite) {
    AwsCrypto esdk = RawAesKeyring.esdk(suite, FRAME);
    for (int frame : new int[] {FRAME, EncryptionMaterials.DEFAULT_FRAME_LENGTH}) {
      for (EncryptionContext context : CONTEXTS) {
        MessageContext mc = MessageContext.create(suite, context, provider);
        PlaintextDataKey dataKey = Fixtures.dataKey(frame + context.size());
        EncryptionMaterials m = EncryptionMaterials.create(mc, dataKey, List.of(KEYRING.wrap(dataKey, mc.context())), frame);
        for (int size : SIZES) {
          String what = suite + ", frame " + frame + ", " + context + ", " + size + " bytes";
          byte[] plaintext = Fixtures.bytes(size, size);
          for (byte[] message : List.of(MessageEncryptor.create(provider).encrypt(m, plaintext),
              Fixtures.encryptStreaming(provider, m, plaintext, 1000))) {
            CryptoResult<byte[], ?> r = esdk.decryptData(ESDK_KEYRING, message);
            assertArrayEquals(plaintext, r.getResult(), what);
            assertEquals(mc.context().asMap(), r.getEncryptionContext(), what);
            assertEquals(suite.id(), r.getCryptoAlgorithm().getValue() & 0xFFFF, what);
          }
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void esdkEncrypt_byokDecrypts_framedAndNonFramed(AlgorithmSuite suite) throws IOException {
    for (int frame : new int[] {FRAME, 0}) {
      AwsCrypto esdk = RawAesKeyring.esdk(suite, frame);
      for (EncryptionContext context : CONTEXTS) {
        for (int size : SIZES) {
          String what = suite + ", " + (frame == 0 ? "non-framed" : "frame " + frame) + ", " + context + ", " + size + " bytes";
          byte[] plaintext = Fixtures.bytes(size, size + 1);
          byte[] message = esdk.encryptData(ESDK_KEYRING, plaintext, context.asMap()).getResult();
          MessageHeader header = decryptor.parseHeader(message, 0, message.length);
          assertEquals(suite, header.suite(), what);
          assertEquals(frame != 0, header.framed(), what);
          assertEquals(context, header.context().withoutReserved(), what);
          assertEquals(suite.isSigned(), header.context().get("aws-crypto-public-key") != null, what);
          header.requireContext(context);
          assertArrayEquals(plaintext, decryptor.decrypt(header, KEYRING.unwrap(header), message, 0, message.length), what);
          byte[] streamed = decryptor.decryptingStream(new ByteArrayInputStream(message), KEYRING::unwrap).readAllBytes();
          assertArrayEquals(plaintext, streamed, what + " (stream)");
        }
      }
    }
  }
}
