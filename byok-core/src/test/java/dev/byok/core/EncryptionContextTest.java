package dev.byok.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.internal.ContextWireFormat;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EncryptionContextTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void serialize_knownExample_matchesEsdkLayout() {
    EncryptionContext ctx = EncryptionContext.of(Map.of("tenant", "acme", "data-class", "messages"));
    // count 2; "data-class" (0x64...) sorts before "tenant" (0x74...).
    String expected = "0002"
        + "000a" + HEX.formatHex("data-class".getBytes(StandardCharsets.US_ASCII))
        + "0008" + HEX.formatHex("messages".getBytes(StandardCharsets.US_ASCII))
        + "0006" + HEX.formatHex("tenant".getBytes(StandardCharsets.US_ASCII))
        + "0004" + HEX.formatHex("acme".getBytes(StandardCharsets.US_ASCII));
    assertEquals(expected, HEX.formatHex(ContextWireFormat.serialize(ctx)));
    assertEquals("0002000a646174612d636c61737300086d65737361676573000674656e616e74000461636d65",
        HEX.formatHex(ContextWireFormat.serialize(ctx)));
    assertEquals(38, ContextWireFormat.serializedLength(ctx));
    assertEquals(List.of("data-class", "tenant"), new ArrayList<>(ctx.asMap().keySet()));
  }

  @Test
  void serialize_empty_isZeroBytes() {
    assertEquals(0, ContextWireFormat.serialize(EncryptionContext.empty()).length);
    assertEquals(0, ContextWireFormat.serializedLength(EncryptionContext.of(Map.of())));
    assertSame(EncryptionContext.empty(), EncryptionContext.of(Map.of()));
    assertTrue(EncryptionContext.empty().isEmpty());
  }

  @Test
  void sortOrder_isByUtf8Bytes_supplementaryAfterPrivateUseAndBmpEnd() {
    String supplementary = "\uD800\uDC00"; // U+10000: UTF-8 F0 90 80 80; UTF-16 D800 DC00
    String privateUse = "\uE000";           // U+E000: UTF-8 EE 80 80
    String bmpLast = "\uFFFF";              // U+FFFF: UTF-8 EF BF BF
    String ascii = "z";
    // In UTF-16 (String.compareTo) the supplementary character sorts first; in UTF-8 it sorts last.
    assertTrue(supplementary.compareTo(privateUse) < 0);
    EncryptionContext ctx = EncryptionContext.builder()
        .put(supplementary, "4").put(bmpLast, "3").put(privateUse, "2").put(ascii, "1").build();
    assertEquals(List.of(ascii, privateUse, bmpLast, supplementary), new ArrayList<>(ctx.asMap().keySet()));
    String expected = "0004"
        + "0001" + "7a" + "0001" + "31"
        + "0003" + "ee8080" + "0001" + "32"
        + "0003" + "efbfbf" + "0001" + "33"
        + "0004" + "f0908080" + "0001" + "34";
    assertEquals(expected, HEX.formatHex(ContextWireFormat.serialize(ctx)));
  }

  @Test
  void sortOrder_prefixSortsFirst() {
    EncryptionContext ctx = EncryptionContext.of(Map.of("ab", "2", "a", "1", "b", "3"));
    assertEquals(List.of("a", "ab", "b"), new ArrayList<>(ctx.asMap().keySet()));
  }

  @Test
  void of_exactly65535Bytes_accepted() {
    // 2 (count) + 2 + 1 (key) + 2 + n (value) = 65,535
    String value = "v".repeat(65_535 - 7);
    EncryptionContext ctx = EncryptionContext.of("k", value);
    assertEquals(65_535, ContextWireFormat.serializedLength(ctx));
    assertEquals(ctx, ContextWireFormat.deserialize(ContextWireFormat.serialize(ctx), 0, 65_535));
  }

  @Test
  void of_65536Bytes_rejectedNamingSizeAndLimit() {
    String value = "v".repeat(65_535 - 6);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EncryptionContext.of("k", value));
    assertTrue(e.getMessage().contains("serializes to 65536 bytes"), e.getMessage());
    assertTrue(e.getMessage().contains("limit of 65535"), e.getMessage());
  }

  @Test
  void of_limitCountsUtf8BytesNotChars() {
    // "é" is 2 bytes of UTF-8: (65,535 - 7) / 2 = 32,764 chars fill the limit exactly.
    assertEquals(65_535, ContextWireFormat.serializedLength(EncryptionContext.of("k", "é".repeat(32_764))));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EncryptionContext.of("k", "é".repeat(32_765)));
    assertTrue(e.getMessage().contains("serializes to 65537 bytes"), e.getMessage());
  }

  @Test
  void of_limitCountsAllPairs() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("a", "x".repeat(30_000));
    m.put("b", "y".repeat(30_000));
    m.put("c", "z".repeat(5_000));
    // 2 + 3 * (2 + 1 + 2) + 65,000 = 65,017
    assertEquals(65_017, ContextWireFormat.serializedLength(EncryptionContext.of(m)));
    m.put("d", "w".repeat(514));
    // + 5 + 514 = 65,536
    assertThrows(IllegalArgumentException.class, () -> EncryptionContext.of(m));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("reservedKeys")
  void of_reservedPrefix_rejectedNamingPrefix(String key) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EncryptionContext.of(key, "x"));
    assertTrue(e.getMessage().contains("reserved prefix 'aws-crypto-'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> EncryptionContext.builder().put("a", "b").put(key, "x").build());
  }

  static Stream<String> reservedKeys() {
    return Stream.of("aws-crypto-public-key", "aws-crypto-", "aws-crypto-anything");
  }

  @Test
  void of_nearReservedPrefix_accepted() {
    assertEquals("x", EncryptionContext.of("aws-crypto", "x").get("aws-crypto"));
    assertEquals("x", EncryptionContext.of("AWS-CRYPTO-public-key", "x").get("AWS-CRYPTO-public-key"));
    assertEquals("x", EncryptionContext.of("my-aws-crypto-key", "x").get("my-aws-crypto-key"));
  }

  @Test
  void of_badPairs_rejectedNamingTheRule() {
    Map<String, String> nullValue = new LinkedHashMap<>();
    nullValue.put("tenant", null);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> EncryptionContext.of(nullValue))
        .getMessage().contains("value of key 'tenant' is null"));
    Map<String, String> nullKey = new LinkedHashMap<>();
    nullKey.put(null, "x");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> EncryptionContext.of(nullKey))
        .getMessage().contains("non-empty"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> EncryptionContext.of("", "x"))
        .getMessage().contains("non-empty"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> EncryptionContext.of("k", "bad\uD800"))
        .getMessage().contains("not valid Unicode"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> EncryptionContext.of("\uDC00", "x"))
        .getMessage().contains("not valid Unicode"));
  }

  @Test
  void builder_sameKeyTwice_rejected() {
    EncryptionContext.Builder b = EncryptionContext.builder().put("tenant", "a");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.put("tenant", "b"));
    assertTrue(e.getMessage().contains("'tenant' given twice"), e.getMessage());
  }

  @Test
  void reservedPairs_addedAndStrippedByFormatOnly() {
    EncryptionContext user = EncryptionContext.of("tenant", "acme");
    EncryptionContext withKey = ContextWireFormat.withReserved(user, "aws-crypto-public-key", "AAAA");
    assertEquals("AAAA", withKey.get("aws-crypto-public-key"));
    assertEquals(2, withKey.size());
    assertEquals(user, withKey.withoutReserved());
    assertSame(user, user.withoutReserved());
    EncryptionContext read = ContextWireFormat.deserialize(ContextWireFormat.serialize(withKey), 0, ContextWireFormat.serializedLength(withKey));
    assertEquals(withKey, read);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ContextWireFormat.withReserved(user, "tenant2", "x"))
        .getMessage().contains("not a reserved key"));
  }

  @Test
  void deserialize_withOffset_readsOnlyTheSlice() {
    EncryptionContext ctx = EncryptionContext.of(Map.of("a", "1", "b", "2"));
    byte[] buf = new byte[ContextWireFormat.serializedLength(ctx) + 10];
    Arrays.fill(buf, (byte) 0x7f);
    ContextWireFormat.serializeInto(ctx, buf, 4);
    assertEquals(ctx, ContextWireFormat.deserialize(buf, 4, ContextWireFormat.serializedLength(ctx)));
    assertSame(EncryptionContext.empty(), ContextWireFormat.deserialize(buf, 3, 0));
  }

  @Test
  void deserialize_unsortedInput_readAndReSortedCanonically() {
    byte[] unsorted = HEX.parseHex("0002" + "0001" + "62" + "0001" + "32" + "0001" + "61" + "0001" + "31");
    EncryptionContext ctx = ContextWireFormat.deserialize(unsorted, 0, unsorted.length);
    assertEquals(List.of("a", "b"), new ArrayList<>(ctx.asMap().keySet()));
    assertEquals("0002000161000131000162000132", HEX.formatHex(ContextWireFormat.serialize(ctx)));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("malformedSerializations")
  void deserialize_malformed_rejectedNamingTheProblem(String name, byte[] bytes, String fragment) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ContextWireFormat.deserialize(bytes, 0, bytes.length));
    assertTrue(e.getMessage().startsWith("encryption context: "), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), name + ": " + e.getMessage());
  }

  static Stream<Arguments> malformedSerializations() {
    return Stream.of(
        Arguments.of("one byte", HEX.parseHex("00"), "truncated pair count"),
        Arguments.of("count zero", HEX.parseHex("0000"), "pair count of 0"),
        Arguments.of("no key length", HEX.parseHex("0001"), "truncated length of key of pair 0"),
        Arguments.of("half key length", HEX.parseHex("000100"), "truncated length of key of pair 0"),
        Arguments.of("key past end", HEX.parseHex("0001000561"), "length of key of pair 0 points past the end"),
        Arguments.of("no value length", HEX.parseHex("0001000161"), "truncated length of value of pair 0"),
        Arguments.of("value past end", HEX.parseHex("00010001610002ff"), "length of value of pair 0 points past the end"),
        Arguments.of("count too high", HEX.parseHex("00020001610001" + "62"), "truncated length of key of pair 1"),
        Arguments.of("trailing bytes", HEX.parseHex("000100016100016200"), "1 bytes after the last pair"),
        Arguments.of("duplicate key", HEX.parseHex("0002" + "000161000131" + "000161000132"), "duplicate key in pair 1"),
        Arguments.of("invalid utf-8 key", HEX.parseHex("0001" + "0002c328" + "000131"), "key of pair 0 is not valid UTF-8"),
        Arguments.of("invalid utf-8 value", HEX.parseHex("0001" + "000161" + "0001ff"), "value of pair 0 is not valid UTF-8"),
        Arguments.of("overlong utf-8", HEX.parseHex("0001" + "0002c0af" + "000131"), "not valid UTF-8"),
        Arguments.of("utf-8 surrogate", HEX.parseHex("0001" + "0003eda080" + "000131"), "not valid UTF-8"),
        Arguments.of("over 65,535 bytes", new byte[65_536], "longer than 65535 bytes"));
  }

  @Test
  void deserialize_badBounds_rejected() {
    assertThrows(IndexOutOfBoundsException.class, () -> ContextWireFormat.deserialize(new byte[4], 2, 3));
  }

  @Test
  void containsAll_requiresEveryPairWithSameValue() {
    EncryptionContext ctx = EncryptionContext.of(Map.of("tenant", "acme", "class", "msg"));
    assertTrue(ctx.containsAll(EncryptionContext.of("tenant", "acme")));
    assertTrue(ctx.containsAll(EncryptionContext.empty()));
    assertFalse(ctx.containsAll(EncryptionContext.of("tenant", "other")));
    assertFalse(ctx.containsAll(EncryptionContext.of("missing", "acme")));
  }

  @Test
  void equalsHashCodeToString_byContent() {
    EncryptionContext a = EncryptionContext.of(Map.of("x", "1", "y", "2"));
    EncryptionContext b = EncryptionContext.builder().put("y", "2").put("x", "1").build();
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, EncryptionContext.of(Map.of("x", "1", "y", "3")));
    assertEquals("{x=1, y=2}", a.toString());
    assertNull(a.get("z"));
  }

  @Test
  void serialize_returnsCopy() {
    EncryptionContext ctx = EncryptionContext.of("a", "b");
    byte[] s = ContextWireFormat.serialize(ctx);
    s[2] = 9;
    assertNotEquals(9, ContextWireFormat.serialize(ctx)[2]);
    assertThrows(UnsupportedOperationException.class, () -> ctx.asMap().put("c", "d"));
  }

  // ------------------------------------------------------------------ properties

  @Property(tries = 300)
  void roundTrip_anyValidMap_serializesSortedAndReadsBack(@ForAll("contexts") Map<String, String> pairs) {
    EncryptionContext ctx = EncryptionContext.of(pairs);
    assertEquals(pairs, ctx.asMap());
    byte[] bytes = ContextWireFormat.serialize(ctx);
    EncryptionContext read = ContextWireFormat.deserialize(bytes, 0, bytes.length);
    assertEquals(ctx, read);
    assertEquals(pairs, read.asMap());
    assertArrayEquals(bytes, referenceSerialization(pairs));
  }

  @Property(tries = 200)
  void of_insertionOrder_doesNotMatter(@ForAll("contexts") Map<String, String> pairs) {
    List<Map.Entry<String, String>> entries = new ArrayList<>(pairs.entrySet());
    Collections.reverse(entries);
    Map<String, String> reversed = new LinkedHashMap<>();
    entries.forEach(e -> reversed.put(e.getKey(), e.getValue()));
    assertArrayEquals(ContextWireFormat.serialize(EncryptionContext.of(pairs)), ContextWireFormat.serialize(EncryptionContext.of(reversed)));
  }

  @Property(tries = 500)
  void deserialize_arbitraryBytes_onlyIllegalArgumentOrAFixedPoint(@ForAll("smallBytes") byte[] bytes) {
    EncryptionContext ctx;
    try {
      ctx = ContextWireFormat.deserialize(bytes, 0, bytes.length);
    } catch (IllegalArgumentException expected) {
      return;
    }
    byte[] again = ContextWireFormat.serialize(ctx);
    assertEquals(ctx, ContextWireFormat.deserialize(again, 0, again.length));
  }

  @Provide
  Arbitrary<Map<String, String>> contexts() {
    Arbitrary<String> keys = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(12)
        .filter(s -> !s.startsWith(EncryptionContext.RESERVED_PREFIX)).filter(EncryptionContextTest::wellFormed);
    Arbitrary<String> values = Arbitraries.strings().all().ofMaxLength(20).filter(EncryptionContextTest::wellFormed);
    return Arbitraries.maps(keys, values).ofMaxSize(8);
  }

  @Provide
  Arbitrary<byte[]> smallBytes() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
    // Also start from valid serializations and flip one byte, which reaches deeper checks.
    Arbitrary<byte[]> mutated = contexts().filter(m -> !m.isEmpty()).flatMap(m -> {
      byte[] valid = ContextWireFormat.serialize(EncryptionContext.of(m));
      return Arbitraries.integers().between(0, valid.length - 1).flatMap(i -> Arbitraries.bytes().map(b -> {
        byte[] copy = valid.clone();
        copy[i] = b;
        return copy;
      }));
    });
    return Arbitraries.oneOf(random, mutated);
  }

  private static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** An independent implementation of the ESDK key-value-pairs serialization. */
  private static byte[] referenceSerialization(Map<String, String> pairs) {
    if (pairs.isEmpty()) {
      return new byte[0];
    }
    List<byte[][]> encoded = new ArrayList<>();
    pairs.forEach((k, v) -> encoded.add(new byte[][] {k.getBytes(StandardCharsets.UTF_8), v.getBytes(StandardCharsets.UTF_8)}));
    encoded.sort((a, b) -> Arrays.compareUnsigned(a[0], b[0]));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeUInt16(out, encoded.size());
    for (byte[][] kv : encoded) {
      writeUInt16(out, kv[0].length);
      out.writeBytes(kv[0]);
      writeUInt16(out, kv[1].length);
      out.writeBytes(kv[1]);
    }
    return out.toByteArray();
  }

  private static void writeUInt16(ByteArrayOutputStream out, int v) {
    out.write(v >>> 8);
    out.write(v & 0xff);
  }
}
