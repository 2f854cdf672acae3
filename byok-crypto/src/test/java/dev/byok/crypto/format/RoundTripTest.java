package dev.byok.crypto.format;

import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.ParameterizedClass;
import dev.byok.crypto.CryptoProvider;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.EncryptionContext;
import dev.byok.core.InvalidCiphertextException;
import dev.byok.core.internal.ContextWireFormat;
import dev.byok.core.keys.PlaintextDataKey;
import dev.byok.crypto.AlgorithmSuite;
import dev.byok.crypto.internal.format.DecryptOptions;
import dev.byok.crypto.internal.format.EncryptionMaterials;
import dev.byok.crypto.internal.format.MessageContext;
import dev.byok.crypto.internal.format.MessageDecryptor;
import dev.byok.crypto.internal.format.MessageEncryptor;
import dev.byok.crypto.internal.format.MessageHeader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Messages written here read back here, through every combination of byte-array and stream APIs. */
@ParameterizedClass
@MethodSource("dev.byok.crypto.format.TestProviders#providers")
class RoundTripTest {
  private final CryptoProvider provider;

  RoundTripTest(CryptoProvider provider) {
    this.provider = provider;
    this.encryptor = MessageEncryptor.create(provider);
    this.decryptor = MessageDecryptor.create(DecryptOptions.builder().allowSignedStreaming(true).build(), provider);
  }

  private static final int FRAME = 100;
  private static final int[] SIZES = {0, 1, FRAME - 1, FRAME, FRAME + 1, 2 * FRAME, 10 * FRAME + 7};
  private final MessageEncryptor encryptor;
  private final MessageDecryptor decryptor;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void encryptDecrypt_allSizesContextsAndApis_roundTrip(AlgorithmSuite suite) throws IOException {
    for (EncryptionContext context : List.of(EncryptionContext.empty(), Fixtures.CONTEXT)) {
      PlaintextDataKey key = Fixtures.dataKey(1);
      EncryptionMaterials m = Fixtures.materials(provider, suite, key, context, 1, FRAME);
      for (int size : SIZES) {
        byte[] plaintext = Fixtures.bytes(size, size);
        String what = suite + " " + context + " " + size + " bytes";
        byte[] fromArray = encryptor.encrypt(m, plaintext);
        byte[] fromStream = Fixtures.encryptStreaming(provider, m, plaintext, 37);
        if (!suite.isSigned()) {
          assertEquals(fromArray.length, fromStream.length, what + ": both APIs frame alike");
        }
        for (byte[] message : List.of(fromArray, fromStream)) {
          assertArrayEquals(plaintext, decryptor.decrypt(message, 0, message.length, h -> key), what + " (array)");
          InputStream in = decryptor.decryptingStream(new ByteArrayInputStream(message), h -> key);
          assertArrayEquals(plaintext, in.readAllBytes(), what + " (stream)");
        }
      }
    }
  }

  @Test
  void encrypt_header_carriesSuiteContextEdksAndFrameLength() {
    PlaintextDataKey key = Fixtures.dataKey(2);
    EncryptionMaterials m = Fixtures.materials(provider, AlgorithmSuite.defaultSuite(), key, Fixtures.CONTEXT, 3, 4096);
    byte[] message = encryptor.encrypt(m, new byte[10]);
    MessageHeader h = decryptor.parseHeader(message, 0, message.length);
    assertEquals(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, h.suite());
    assertEquals(Fixtures.CONTEXT, h.context());
    assertEquals(m.edks(), h.edks());
    assertTrue(h.framed());
    assertEquals(4096, h.frameLength());
    assertEquals(m.headerLength(), h.headerLength());
    assertEquals(32, h.messageId().length);
    assertEquals(0x02, message[0]);
    assertEquals(0x04, message[1]);
    assertEquals(0x78, message[2]);
  }

  @Test
  void encrypt_twice_differentMessageIds() {
    EncryptionMaterials m = Fixtures.materials(provider, AlgorithmSuite.defaultSuite(), Fixtures.dataKey(3), Fixtures.CONTEXT, 1, FRAME);
    byte[] a = encryptor.encrypt(m, new byte[5]);
    byte[] b = encryptor.encrypt(m, new byte[5]);
    assertFalse(Arrays.equals(decryptor.parseHeader(a, 0, a.length).messageId(), decryptor.parseHeader(b, 0, b.length).messageId()));
  }

  @Test
  void encrypt_signedSuite_contextCarriesPublicKey() {
    MessageContext mc = MessageContext.create(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384, Fixtures.CONTEXT, provider);
    String pub = mc.context().get("aws-crypto-public-key");
    assertEquals(68, pub.length(), "base64 of a 49-byte compressed point");
    assertEquals(Fixtures.CONTEXT, mc.context().withoutReserved());
    EncryptionMaterials m = EncryptionMaterials.create(mc, Fixtures.dataKey(4), Fixtures.edks(1), FRAME);
    byte[] message = encryptor.encrypt(m, new byte[1]);
    MessageHeader h = decryptor.parseHeader(message, 0, message.length);
    assertEquals(pub, h.context().get("aws-crypto-public-key"));
    h.requireContext(Fixtures.CONTEXT);
  }

  @Test
  void requireContext_differentValue_fails() {
    EncryptionMaterials m = Fixtures.materials(provider, AlgorithmSuite.defaultSuite(), Fixtures.dataKey(5), Fixtures.CONTEXT, 1, FRAME);
    byte[] message = encryptor.encrypt(m, new byte[3]);
    MessageHeader h = decryptor.parseHeader(message, 0, message.length);
    h.requireContext(EncryptionContext.of("tenant", "acme"));
    assertThrows(InvalidCiphertextException.class, () -> h.requireContext(EncryptionContext.of("tenant", "globex")));
    assertThrows(InvalidCiphertextException.class, () -> h.requireContext(EncryptionContext.of("purpose", "x")));
  }

  @Test
  void create_signedSuiteWithoutMessageContext_isRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EncryptionMaterials.create(
        AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384, Fixtures.dataKey(6), Fixtures.CONTEXT, Fixtures.edks(1), FRAME));
    assertTrue(e.getMessage().contains("MessageContext"), e.getMessage());
  }

  @Test
  void create_badArguments_namesTheRule() {
    AlgorithmSuite s = AlgorithmSuite.defaultSuite();
    EncryptionContext c = EncryptionContext.empty();
    assertThrows(IllegalArgumentException.class, () -> EncryptionMaterials.create(s, PlaintextDataKey.wrap(new byte[16]), c, Fixtures.edks(1), FRAME));
    assertThrows(IllegalArgumentException.class, () -> EncryptionMaterials.create(s, Fixtures.dataKey(1), c, List.of(), FRAME));
    assertThrows(IllegalArgumentException.class, () -> EncryptionMaterials.create(s, Fixtures.dataKey(1), c, Fixtures.edks(17), FRAME));
    assertThrows(IllegalArgumentException.class, () -> EncryptionMaterials.create(s, Fixtures.dataKey(1), c, Fixtures.edks(1), 0));
    assertThrows(IllegalArgumentException.class,
        () -> EncryptionMaterials.create(s, Fixtures.dataKey(1), c, Fixtures.edks(1), DecryptOptions.DEFAULT_MAX_FRAME_LENGTH + 1));
    EncryptionContext reserved = ContextWireFormat.withReserved(c, "aws-crypto-public-key", "x");
    assertThrows(IllegalArgumentException.class, () -> MessageContext.create(s, reserved, provider));
  }

  @Test
  void destroy_thenEncrypt_failsAndToStringRedacts() {
    EncryptionMaterials m = Fixtures.materials(provider, AlgorithmSuite.defaultSuite(), Fixtures.dataKey(7), Fixtures.CONTEXT, 1, FRAME);
    assertFalse(m.toString().contains("[B"));
    m.destroy();
    assertTrue(m.isDestroyed());
    assertThrows(IllegalStateException.class, () -> encryptor.encrypt(m, new byte[1]));
    assertThrows(IllegalStateException.class, () -> encryptor.encryptingStream(m, new ByteArrayOutputStream()).write(1));
    m.destroy(); // idempotent
  }

  @Test
  void encrypt_manyEdks_roundTripAndCapOnRead() {
    PlaintextDataKey key = Fixtures.dataKey(8);
    EncryptionMaterials m = Fixtures.materials(provider, AlgorithmSuite.defaultSuite(), key, Fixtures.CONTEXT, 16, FRAME);
    byte[] message = encryptor.encrypt(m, new byte[300]);
    assertEquals(16, decryptor.parseHeader(message, 0, message.length).edks().size());
    assertArrayEquals(new byte[300], decryptor.decrypt(message, 0, message.length, h -> key));
    MessageDecryptor strict = MessageDecryptor.create(DecryptOptions.builder().maxEncryptedDataKeys(15).build(), provider);
    assertThrows(InvalidCiphertextException.class, () -> strict.parseHeader(message, 0, message.length));
  }

  @Test
  void decrypt_messageInsideLargerArray_usesOffsetAndLength() {
    PlaintextDataKey key = Fixtures.dataKey(9);
    EncryptionMaterials m = Fixtures.materials(provider, AlgorithmSuite.defaultSuite(), key, Fixtures.CONTEXT, 1, FRAME);
    byte[] message = encryptor.encrypt(m, Fixtures.bytes(250, 1), 0, 250);
    byte[] padded = new byte[message.length + 20];
    System.arraycopy(message, 0, padded, 7, message.length);
    assertArrayEquals(Fixtures.bytes(250, 1), decryptor.decrypt(padded, 7, message.length, h -> key));
  }

  @Test
  void decryptingStream_signedMessageWithoutOptIn_failsBeforeAskingForTheKey() throws IOException {
    MessageContext mc = MessageContext.create(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384, Fixtures.CONTEXT, provider);
    PlaintextDataKey key = Fixtures.dataKey(10);
    byte[] message = encryptor.encrypt(EncryptionMaterials.create(mc, key, Fixtures.edks(1), FRAME), new byte[10]);
    int[] asked = {0};
    InputStream in = MessageDecryptor.create(DecryptOptions.defaults(), provider).decryptingStream(new ByteArrayInputStream(message), h -> {
      asked[0]++;
      return key;
    });
    assertThrows(InvalidCiphertextException.class, in::read);
    assertEquals(0, asked[0]);
    assertArrayEquals(new byte[10], MessageDecryptor.create(DecryptOptions.defaults(), provider).decrypt(message, 0, message.length, h -> key),
        "the byte-array API needs no opt-in");
  }

  @Test
  void decryptingStream_releasesEachFrameOnceVerified_andHoldsTheFinalFrame() throws IOException {
    PlaintextDataKey key = Fixtures.dataKey(11);
    EncryptionMaterials m = Fixtures.materials(provider, AlgorithmSuite.defaultSuite(), key, Fixtures.CONTEXT, 1, FRAME);
    byte[] plaintext = Fixtures.bytes(3 * FRAME + 5, 4);
    byte[] message = encryptor.encrypt(m, plaintext);
    // corrupt the last byte of the final frame's tag: the three regular frames are released, the final is not
    message[message.length - 1] ^= 1;
    InputStream in = decryptor.decryptingStream(new ByteArrayInputStream(message), h -> key);
    byte[] got = new byte[3 * FRAME];
    int n = in.readNBytes(got, 0, got.length);
    assertEquals(3 * FRAME, n);
    assertArrayEquals(Arrays.copyOf(plaintext, 3 * FRAME), got);
    assertThrows(InvalidCiphertextException.class, in::read);
    assertThrows(InvalidCiphertextException.class, in::read, "a failed stream stays failed");
  }

  @Test
  void decryptingStream_resolverException_passesThrough() {
    EncryptionMaterials m = Fixtures.materials(provider, AlgorithmSuite.defaultSuite(), Fixtures.dataKey(12), Fixtures.CONTEXT, 1, FRAME);
    byte[] message = encryptor.encrypt(m, new byte[1]);
    IllegalStateException boom = new IllegalStateException("key service down");
    InputStream in = decryptor.decryptingStream(new ByteArrayInputStream(message), h -> {
      throw boom;
    });
    assertEquals(boom, assertThrows(IllegalStateException.class, in::read));
  }

  @Test
  void encryptingStream_closeTwiceAndWriteAfterClose_behave() throws IOException {
    EncryptionMaterials m = Fixtures.materials(provider, AlgorithmSuite.defaultSuite(), Fixtures.dataKey(13), Fixtures.CONTEXT, 1, FRAME);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    OutputStream out = encryptor.encryptingStream(m, sink);
    out.write(new byte[5]);
    out.close();
    int size = sink.size();
    out.close();
    assertEquals(size, sink.size());
    assertThrows(IOException.class, () -> out.write(1));
  }

  @Test
  void encryptingStream_failingSink_failsLaterCalls() {
    EncryptionMaterials m = Fixtures.materials(provider, AlgorithmSuite.defaultSuite(), Fixtures.dataKey(14), Fixtures.CONTEXT, 1, FRAME);
    OutputStream failing = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("disk full");
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        throw new IOException("disk full");
      }
    };
    OutputStream out = encryptor.encryptingStream(m, failing);
    assertThrows(IOException.class, () -> out.write(new byte[10]));
    IOException again = assertThrows(IOException.class, () -> out.write(1));
    assertTrue(again.getMessage().contains("failed earlier"), again.getMessage());
  }

  @Test
  void encrypt_exactMultipleOfFrame_endsWithFullFinalFrame() {
    PlaintextDataKey key = Fixtures.dataKey(15);
    EncryptionMaterials m = Fixtures.materials(provider, AlgorithmSuite.defaultSuite(), key, EncryptionContext.empty(), 1, FRAME);
    byte[] message = encryptor.encrypt(m, new byte[2 * FRAME]);
    // one regular frame (4 + 12 + 100 + 16) and a final frame of 100 (4 + 4 + 12 + 4 + 100 + 16)
    assertEquals(m.headerLength() + 132 + 140, message.length);
    assertEquals(0xFF, message[m.headerLength() + 132] & 0xFF, "the final marker follows one regular frame");
    assertArrayEquals(new byte[2 * FRAME], decryptor.decrypt(message, 0, message.length, h -> key));
  }

  @Test
  void materials_sharedAcrossThreads_roundTrip() throws Exception {
    PlaintextDataKey key = Fixtures.dataKey(16);
    EncryptionMaterials m = Fixtures.materials(provider, AlgorithmSuite.defaultSuite(), key, EncryptionContext.of(Map.of("t", "1")), 1, FRAME);
    Thread[] threads = new Thread[4];
    Throwable[] errors = new Throwable[threads.length];
    for (int i = 0; i < threads.length; i++) {
      int id = i;
      threads[i] = new Thread(() -> {
        try {
          for (int j = 0; j < 200; j++) {
            byte[] p = Fixtures.bytes(j * 3, id * 1000L + j);
            byte[] c = encryptor.encrypt(m, p);
            assertArrayEquals(p, decryptor.decrypt(c, 0, c.length, h -> key));
          }
        } catch (Throwable t) {
          errors[id] = t;
        }
      });
      threads[i].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    for (Throwable t : errors) {
      if (t != null) {
        throw new AssertionError(t);
      }
    }
  }
}
