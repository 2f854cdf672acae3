package dev.byok.crypto.internal.format;

import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.ParameterizedClass;
import dev.byok.crypto.CryptoProvider;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.byok.core.EncryptionContext;
import dev.byok.core.InvalidCiphertextException;
import dev.byok.core.keys.EncryptedDataKey;
import dev.byok.core.keys.PlaintextDataKey;
import dev.byok.crypto.AlgorithmSuite;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-thread header-section cache of {@link HeaderParser}: headers with equal sections share
 * the parsed context and data keys once one of them was authenticated by its data key, and a header
 * whose section differs in any byte, whose suite differs, or whose bytes changed after they were
 * parsed is parsed on its own. (That only authenticated sections are remembered, within a byte
 * bound, is {@link HeaderCacheBoundTest}.)
 */
@ParameterizedClass
@MethodSource("dev.byok.crypto.format.TestProviders#providers")
class HeaderSectionCacheTest {
  private final CryptoProvider provider;

  HeaderSectionCacheTest(CryptoProvider provider) {
    this.provider = provider;
  }

  private static final AlgorithmSuite SUITE = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY;
  private static final String ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  private static EncryptionMaterials materials(String tenant, byte lastCiphertextByte) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 7);
    byte[] ct = new byte[40];
    ct[ct.length - 1] = lastCiphertextByte;
    EncryptedDataKey edk = EncryptedDataKey.of("aws-kms", ARN.getBytes(StandardCharsets.UTF_8), ct);
    return EncryptionMaterials.create(SUITE, PlaintextDataKey.wrap(key), EncryptionContext.of("tenant", tenant),
        List.of(edk), 4096);
  }

  private byte[] message(EncryptionMaterials m) {
    return MessageEncryptor.create(provider).encrypt(m, "hello".getBytes(StandardCharsets.UTF_8));
  }

  /** Decrypts {@code message} with the fixtures' data key, so that its header section is remembered. */
  private static MessageHeader authenticated(MessageDecryptor d, byte[] message) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 7);
    MessageHeader h = d.parseHeader(message, 0, message.length);
    d.decrypt(h, PlaintextDataKey.wrap(key), message, 0, message.length);
    return h;
  }

  @Test
  void parseHeader_sameSection_reusesParsedContextAndKeysButReadsTheRest() {
    MessageDecryptor d = MessageDecryptor.create(DecryptOptions.defaults(), provider);
    EncryptionMaterials m = materials("acme", (byte) 1);
    byte[] a = message(m);
    byte[] b = message(m);
    MessageHeader ha = authenticated(d, a);
    MessageHeader hb = d.parseHeader(b, 0, b.length);
    assertSame(ha.context(), hb.context(), "equal sections share the parsed context");
    assertSame(ha.edks(), hb.edks(), "equal sections share the parsed data keys");
    assertArrayEquals(Arrays.copyOfRange(b, 3, 35), hb.messageId(), "the message ID is read from each message");
    assertNotEquals(Arrays.toString(ha.messageId()), Arrays.toString(hb.messageId()));
    assertArrayEquals(Arrays.copyOf(b, hb.headerLength()), hb.raw(), "the raw header is this message's");
  }

  @Test
  void parseHeader_sectionsDifferingInOneByte_eachParsedOnItsOwn() {
    MessageDecryptor d = MessageDecryptor.create(DecryptOptions.defaults(), provider);
    byte[] ctxA = message(materials("acme", (byte) 1));
    byte[] ctxB = message(materials("acmf", (byte) 1)); // context differs in its last byte
    byte[] edkB = message(materials("acme", (byte) 2)); // data key ciphertext differs in its last byte
    for (int round = 0; round < 2; round++) {
      MessageHeader a = authenticated(d, ctxA);
      MessageHeader b = authenticated(d, ctxB);
      MessageHeader c = authenticated(d, edkB);
      assertEquals("acme", a.context().get("tenant"));
      assertEquals("acmf", b.context().get("tenant"));
      assertEquals("acme", c.context().get("tenant"));
      assertEquals(1, a.edks().get(0).ciphertext()[39]);
      assertEquals(2, c.edks().get(0).ciphertext()[39]);
      assertNotSame(a.edks(), c.edks());
    }
  }

  @Test
  void parseHeader_bytesChangedAfterParse_parsesTheNewBytes() {
    MessageDecryptor d = MessageDecryptor.create(DecryptOptions.defaults(), provider);
    byte[] a = message(materials("acme", (byte) 1));
    assertEquals("acme", authenticated(d, a).context().get("tenant"));
    int at = indexOf(a, "acme".getBytes(StandardCharsets.UTF_8));
    a[at + 3] = 'x'; // the caller reuses its array: the cache holds its own copy of the section
    assertEquals("acmx", d.parseHeader(a, 0, a.length).context().get("tenant"));
  }

  @Test
  void parseHeader_sameSectionUnderSignedSuiteId_failsAsTheFullParseDoes() {
    MessageDecryptor d = MessageDecryptor.create(DecryptOptions.defaults(), provider);
    byte[] a = message(materials("acme", (byte) 1));
    authenticated(d, a);
    byte[] signed = a.clone();
    Bytes.putUInt16(signed, 1, AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384.id());
    InvalidCiphertextException e = assertThrows(InvalidCiphertextException.class,
        () -> d.parseHeader(signed, 0, signed.length));
    assertEquals("invalid ciphertext: a signed message without its public key", e.getMessage());
  }

  @Test
  void parseHeader_cachedSectionWithBadTail_stillFails() {
    MessageDecryptor d = MessageDecryptor.create(DecryptOptions.defaults(), provider);
    EncryptionMaterials m = materials("acme", (byte) 1);
    byte[] a = message(m);
    authenticated(d, a);
    byte[] bad = message(m);
    int contentType = m.headerBodyLength() - 32 - 5;
    bad[contentType] = 7;
    InvalidCiphertextException e = assertThrows(InvalidCiphertextException.class, () -> d.parseHeader(bad, 0, bad.length));
    assertEquals("invalid ciphertext: unknown content type 7", e.getMessage());
    byte[] truncated = Arrays.copyOf(a, m.headerLength() - 1);
    assertThrows(InvalidCiphertextException.class, () -> d.parseHeader(truncated, 0, truncated.length));
  }

  @Test
  void parseHeader_moreSectionsThanRemembered_allParseCorrectly() {
    MessageDecryptor d = MessageDecryptor.create(DecryptOptions.defaults(), provider);
    List<byte[]> messages = new ArrayList<>();
    for (int i = 0; i < HeaderParser.RECENT_SECTIONS * 2 + 1; i++) {
      messages.add(message(materials("tenant-" + i, (byte) i)));
    }
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < messages.size(); i++) {
        byte[] msg = messages.get(i);
        MessageHeader h = authenticated(d, msg);
        assertEquals("tenant-" + i, h.context().get("tenant"));
        assertEquals(i, h.edks().get(0).ciphertext()[39]);
      }
    }
  }

  @Test
  void decrypt_sharedSection_decryptsEachMessage() {
    MessageDecryptor d = MessageDecryptor.create(DecryptOptions.defaults(), provider);
    EncryptionMaterials m = materials("acme", (byte) 1);
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 7);
    for (int i = 0; i < 3; i++) {
      byte[] plaintext = ("message " + i).getBytes(StandardCharsets.UTF_8);
      byte[] msg = MessageEncryptor.create(provider).encrypt(m, plaintext);
      assertArrayEquals(plaintext, d.decrypt(msg, 0, msg.length, h -> PlaintextDataKey.wrap(key.clone())));
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }
}
