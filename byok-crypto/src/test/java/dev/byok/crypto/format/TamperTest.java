package dev.byok.crypto.format;

import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import dev.byok.crypto.CryptoProvider;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.byok.core.InvalidCiphertextException;
import dev.byok.core.internal.ContextWireFormat;
import dev.byok.core.keys.PlaintextDataKey;
import dev.byok.crypto.AlgorithmSuite;
import dev.byok.crypto.internal.format.DecryptOptions;
import dev.byok.crypto.internal.format.EncryptionMaterials;
import dev.byok.crypto.internal.format.MessageDecryptor;
import dev.byok.crypto.internal.format.MessageEncryptor;
import dev.byok.crypto.internal.format.MessageHeader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input is answered by {@link InvalidCiphertextException} and nothing else, through both APIs:
 * every single-bit flip of short framed and non-framed messages of both suites, truncation at every
 * offset, appended bytes, lengths pointing past the end, hostile counts and lengths, unknown or
 * legacy versions and suites, the wrong data key. The byte-array API returns no plaintext then; a
 * stream ends in the exception, never in a clean end-of-file.
 */
@ParameterizedClass
@MethodSource("dev.byok.crypto.format.TestProviders#providers")
class TamperTest {
  @Parameter
  CryptoProvider provider;

  private static final int FRAME = 16;
  private static final byte[] PLAINTEXT = Fixtures.bytes(2 * FRAME + 8, 77);
  private MessageDecryptor decryptor;

  /** A message and the data key that opens it. */
  private static final class Sample {
    final String name;
    final byte[] message;
    final PlaintextDataKey key;

    Sample(String name, byte[] message, PlaintextDataKey key) {
      this.name = name;
      this.message = message;
      this.key = key;
    }
  }

  private final List<Sample> samples = new ArrayList<>();

  @BeforeEach // per test: the provider is injected after class-level callbacks
  void messages() {
    decryptor = MessageDecryptor.create(DecryptOptions.builder().allowSignedStreaming(true).build(), provider);
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      PlaintextDataKey key = Fixtures.dataKey(suite.id());
      EncryptionMaterials m = Fixtures.materials(provider, suite, key, Fixtures.CONTEXT, 2, FRAME);
      samples.add(new Sample(suite + " framed", MessageEncryptor.create(provider).encrypt(m, PLAINTEXT), key));
      // non-framed messages come from the ESDK (byok writes only framed ones)
      RawAesKeyring keyring = new RawAesKeyring(Fixtures.bytes(32, 5));
      byte[] nonFramed = RawAesKeyring.esdk(suite, 0).encryptData(keyring.esdkKeyring(), PLAINTEXT, Fixtures.CONTEXT.asMap())
          .getResult();
      MessageHeader h = decryptor.parseHeader(nonFramed, 0, nonFramed.length);
      samples.add(new Sample(suite + " non-framed", nonFramed, keyring.unwrap(h)));
    }
    for (Sample s : samples) {
      assertArrayEquals(PLAINTEXT, decrypt(s, s.message), s.name + " must decrypt untouched");
    }
  }

  private byte[] decrypt(Sample s, byte[] message) {
    return decryptor.decrypt(message, 0, message.length, h -> s.key);
  }

  private byte[] decryptStream(Sample s, byte[] message) throws IOException {
    return decryptor.decryptingStream(new ByteArrayInputStream(message), h -> s.key).readAllBytes();
  }

  /** Both APIs reject {@code message} with exactly {@link InvalidCiphertextException}. */
  private void assertRejected(Sample s, byte[] message, String what) {
    try {
      byte[] p = decrypt(s, message);
      fail(s.name + ", " + what + ": decrypted " + p.length + " bytes");
    } catch (InvalidCiphertextException expected) {
      // the one allowed answer
    } catch (Throwable t) {
      throw new AssertionError(s.name + ", " + what + ": " + t, t);
    }
    try {
      byte[] p = decryptStream(s, message);
      fail(s.name + ", " + what + ": the stream ended cleanly after " + p.length + " bytes");
    } catch (InvalidCiphertextException expected) {
      // the one allowed answer
    } catch (Throwable t) {
      throw new AssertionError(s.name + ", " + what + " (stream): " + t, t);
    }
  }

  /**
   * Every bit of every byte, except inside the ECDSA signature value of a signed sample: there each
   * byte gets one flip (a different bit per byte), through the stream API only every 8th byte,
   * because one P-384 verification costs milliseconds on JDK 17 (the length field and everything
   * before the signature get all eight flips).
   */
  @Test
  void decrypt_everySingleBitFlip_rejected() {
    int flips = 0;
    for (Sample s : samples) {
      boolean signed = decryptor.parseHeader(s.message, 0, s.message.length).suite().isSigned();
      int sigStart = signed ? s.message.length - sigLength(s.message) : s.message.length;
      for (int i = 0; i < s.message.length; i++) {
        for (int bit = 0; bit < 8; bit++) {
          if (i >= sigStart && bit != i % 8) {
            continue;
          }
          byte[] bad = s.message.clone();
          bad[i] ^= (byte) (1 << bit);
          if (i >= sigStart && i % 8 != 0) {
            assertThrows(InvalidCiphertextException.class, () -> decrypt(s, bad), s.name + ", bit " + bit + " of byte " + i);
          } else {
            assertRejected(s, bad, "bit " + bit + " of byte " + i);
          }
          flips++;
        }
      }
    }
    assertTrue(flips > 4 * 8 * 200, "flipped " + flips + " bits");
  }

  @Test
  void decrypt_truncatedAtEveryOffset_rejected() {
    for (Sample s : samples) {
      for (int n = 0; n < s.message.length; n++) {
        assertRejected(s, Arrays.copyOf(s.message, n), "truncated to " + n + " bytes");
      }
    }
  }

  @Test
  void decrypt_appendedBytes_rejected() {
    for (Sample s : samples) {
      for (int extra : new int[] {1, 2, 100}) {
        assertRejected(s, Arrays.copyOf(s.message, s.message.length + extra), extra + " zero bytes appended");
      }
      byte[] twice = Arrays.copyOf(s.message, 2 * s.message.length);
      System.arraycopy(s.message, 0, twice, s.message.length, s.message.length);
      assertRejected(s, twice, "the message twice");
    }
  }

  @Test
  void decrypt_lengthFieldsPointingPastTheEnd_rejected() {
    for (Sample s : samples) {
      MessageHeader h = decryptor.parseHeader(s.message, 0, s.message.length);
      int aadLength = 3 + 32;
      assertRejected(s, withUInt16(s.message, aadLength, 0xFFFF), "AAD length 65535");
      int edkCount = aadLength + 2 + ContextWireFormat.serializedLength(h.context());
      assertRejected(s, withUInt16(s.message, edkCount + 2, 0xFFFF), "provider ID length 65535");
      int body = h.headerLength();
      if (h.framed()) {
        int finalFrame = body + 2 * (16 + FRAME + 16);
        assertRejected(s, withUInt32(s.message, finalFrame + 20, 0xFFFF_FFF0L), "final frame length 2^32-16");
        assertRejected(s, withUInt32(s.message, finalFrame + 20, FRAME + 1), "final frame longer than a frame");
      } else {
        assertRejected(s, withUInt64(s.message, body + 12, Long.MAX_VALUE), "non-framed length 2^63-1");
        assertRejected(s, withUInt64(s.message, body + 12, -1L), "non-framed length 2^64-1");
        assertRejected(s, withUInt64(s.message, body + 12, PLAINTEXT.length + 1), "non-framed length one too long");
      }
      if (h.suite().isSigned()) {
        int footer = s.message.length - 2 - sigLength(s.message);
        assertRejected(s, withUInt16(s.message, footer, 0xFFFF), "signature length 65535");
        assertRejected(s, withUInt16(s.message, footer, 0), "signature length 0");
      }
    }
  }

  @Test
  void parseHeader_edkCount65535_rejectedBeforeReadingThem() {
    for (Sample s : samples) {
      MessageHeader h = decryptor.parseHeader(s.message, 0, s.message.length);
      int edkCount = 3 + 32 + 2 + ContextWireFormat.serializedLength(h.context());
      byte[] bad = withUInt16(s.message, edkCount, 0xFFFF);
      InvalidCiphertextException e = assertThrows(InvalidCiphertextException.class,
          () -> decryptor.parseHeader(bad, 0, bad.length));
      assertTrue(e.getMessage().contains("65535"), e.getMessage());
      MessageDecryptor lax = MessageDecryptor.create(DecryptOptions.builder().maxEncryptedDataKeys(65_535).build(), provider);
      assertThrows(InvalidCiphertextException.class, () -> lax.parseHeader(bad, 0, bad.length), "then it is truncated");
      assertRejected(s, bad, "EDK count 65535");
    }
  }

  @Test
  void parseHeader_frameLength2To32Minus1_rejected() {
    Sample s = samples.get(0);
    MessageHeader h = decryptor.parseHeader(s.message, 0, s.message.length);
    int frameLength = h.headerLength() - 16 - 32 - 4;
    byte[] bad = withUInt32(s.message, frameLength, 0xFFFF_FFFFL);
    InvalidCiphertextException e = assertThrows(InvalidCiphertextException.class, () -> decryptor.parseHeader(bad, 0, bad.length));
    assertTrue(e.getMessage().contains("4294967295"), e.getMessage());
    MessageDecryptor lax = MessageDecryptor.create(
        DecryptOptions.builder().maxFrameLength(DecryptOptions.MAX_FRAME_LENGTH_LIMIT).build(), provider);
    assertThrows(InvalidCiphertextException.class, () -> lax.parseHeader(bad, 0, bad.length));
    assertRejected(s, bad, "frame length 2^32-1");
    byte[] zero = withUInt32(s.message, frameLength, 0);
    assertThrows(InvalidCiphertextException.class, () -> decryptor.parseHeader(zero, 0, zero.length), "framed with length 0");
  }

  @Test
  void parseHeader_unknownOrLegacyVersionsAndSuites_rejected() {
    Sample s = samples.get(0);
    for (int version : new int[] {0x00, 0x01, 0x03, 0x80, 0xFF}) {
      byte[] bad = s.message.clone();
      bad[0] = (byte) version;
      assertRejected(s, bad, "version " + version);
    }
    for (int suite : new int[] {0x0014, 0x0178, 0x0378, 0x0479, 0x0000, 0xFFFF}) {
      byte[] bad = withUInt16(s.message, 1, suite);
      InvalidCiphertextException e = assertThrows(InvalidCiphertextException.class, () -> decryptor.parseHeader(bad, 0, bad.length));
      assertTrue(e.getMessage().contains(String.format("0x%04X", suite)), e.getMessage());
      assertRejected(s, bad, String.format("suite 0x%04X", suite));
    }
    // a version-1 header as the ESDK wrote before key commitment: 01 80 0178 + 16-byte message ID ...
    byte[] v1 = new byte[64];
    v1[0] = 0x01;
    v1[1] = (byte) 0x80;
    v1[2] = 0x01;
    v1[3] = 0x78;
    InvalidCiphertextException e = assertThrows(InvalidCiphertextException.class, () -> decryptor.parseHeader(v1, 0, v1.length));
    assertTrue(e.getMessage().contains("version 1"), e.getMessage());
  }

  @Test
  void parseHeader_unknownContentType_rejected() {
    Sample s = samples.get(0);
    MessageHeader h = decryptor.parseHeader(s.message, 0, s.message.length);
    int contentType = h.headerLength() - 16 - 32 - 4 - 1;
    for (int type : new int[] {0, 3, 0xFF}) {
      byte[] bad = s.message.clone();
      bad[contentType] = (byte) type;
      assertRejected(s, bad, "content type " + type);
    }
  }

  @Test
  void decrypt_wrongOrShortDataKey_rejected() {
    for (Sample s : samples) {
      byte[] k = s.key.copyBytes();
      k[31] ^= 1;
      assertThrows(InvalidCiphertextException.class,
          () -> decryptor.decrypt(s.message, 0, s.message.length, h -> PlaintextDataKey.wrap(k.clone())));
      assertThrows(InvalidCiphertextException.class,
          () -> decryptor.decrypt(s.message, 0, s.message.length, h -> PlaintextDataKey.wrap(new byte[16])));
    }
  }

  @Test
  void decrypt_headerOfAnotherMessage_rejected() {
    Sample a = samples.get(0);
    EncryptionMaterials m = Fixtures.materials(provider, AlgorithmSuite.defaultSuite(), a.key, Fixtures.CONTEXT, 2, FRAME);
    byte[] other = MessageEncryptor.create(provider).encrypt(m, PLAINTEXT);
    MessageHeader header = decryptor.parseHeader(a.message, 0, a.message.length);
    assertThrows(InvalidCiphertextException.class, () -> decryptor.decrypt(header, a.key, other, 0, other.length));
  }

  @Test
  void decrypt_framesSwappedOrDropped_rejected() {
    Sample s = samples.get(0);
    int body = decryptor.parseHeader(s.message, 0, s.message.length).headerLength();
    int frame = 16 + FRAME + 16;
    byte[] swapped = s.message.clone();
    System.arraycopy(s.message, body, swapped, body + frame, frame);
    System.arraycopy(s.message, body + frame, swapped, body, frame);
    assertRejected(s, swapped, "regular frames swapped");
    ByteArrayOutputStream dropped = new ByteArrayOutputStream();
    dropped.write(s.message, 0, body);
    dropped.write(s.message, body + frame, s.message.length - body - frame);
    assertRejected(s, dropped.toByteArray(), "first frame dropped");
    ByteArrayOutputStream noFinal = new ByteArrayOutputStream();
    noFinal.write(s.message, 0, body + 2 * frame);
    assertRejected(s, noFinal.toByteArray(), "final frame dropped");
  }

  @Test
  void decryptingStream_failure_releasesNoPlaintextOfTheFailedFrame() throws IOException {
    Sample s = samples.get(0);
    byte[] bad = s.message.clone();
    int body = decryptor.parseHeader(s.message, 0, s.message.length).headerLength();
    bad[body + 16 + 3] ^= 1; // ciphertext of the first frame
    InputStream in = decryptor.decryptingStream(new ByteArrayInputStream(bad), h -> s.key);
    byte[] buf = new byte[PLAINTEXT.length];
    assertThrows(InvalidCiphertextException.class, () -> in.read(buf));
    assertArrayEquals(new byte[PLAINTEXT.length], buf, "nothing was written into the caller's buffer");
    assertEquals(0, in.available());
  }

  private static int sigLength(byte[] message) {
    // the footer is the last 2 + n bytes; find n such that the UInt16 before the last n bytes says n
    for (int n = 64; n <= 104; n++) {
      int p = message.length - n - 2;
      if (((message[p] & 0xFF) << 8 | (message[p + 1] & 0xFF)) == n) {
        return n;
      }
    }
    throw new AssertionError("no footer found");
  }

  private static byte[] withUInt16(byte[] m, int off, int v) {
    byte[] b = m.clone();
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
    return b;
  }

  private static byte[] withUInt32(byte[] m, int off, long v) {
    byte[] b = m.clone();
    for (int i = 0; i < 4; i++) {
      b[off + i] = (byte) (v >>> (24 - 8 * i));
    }
    return b;
  }

  private static byte[] withUInt64(byte[] m, int off, long v) {
    byte[] b = m.clone();
    for (int i = 0; i < 8; i++) {
      b[off + i] = (byte) (v >>> (56 - 8 * i));
    }
    return b;
  }
}
