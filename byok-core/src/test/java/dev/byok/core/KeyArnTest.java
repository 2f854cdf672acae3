package dev.byok.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyArnTest {
  private static final String KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";

  @Test
  void parse_keyArn_exposesParts() {
    KeyArn arn = KeyArn.parse("arn:aws:kms:us-east-1:111122223333:key/" + KEY_ID);
    assertEquals("aws", arn.partition());
    assertEquals("us-east-1", arn.region());
    assertEquals(AwsAccountId.of("111122223333"), arn.account());
    assertEquals(KeyArn.ResourceType.KEY, arn.resourceType());
    assertEquals(KEY_ID, arn.resourceId());
    assertFalse(arn.isMultiRegion());
    assertEquals("arn:aws:kms:us-east-1:111122223333:key/" + KEY_ID, arn.toString());
  }

  @Test
  void parse_aliasArn_exposesAliasName() {
    KeyArn arn = KeyArn.parse("arn:aws:kms:eu-west-1:111122223333:alias/acme-slack-prod");
    assertEquals(KeyArn.ResourceType.ALIAS, arn.resourceType());
    assertEquals("acme-slack-prod", arn.resourceId());
    assertFalse(arn.isMultiRegion());
    assertEquals("arn:aws:kms:eu-west-1:111122223333:alias/acme-slack-prod", arn.toString());
  }

  @Test
  void parse_multiRegionKey_isMultiRegion() {
    KeyArn arn = KeyArn.parse("arn:aws:kms:us-west-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab");
    assertTrue(arn.isMultiRegion());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource({
      "arn:aws-cn:kms:cn-north-1:111122223333:key/" + KEY_ID,
      "arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/" + KEY_ID,
      "arn:aws-iso-b:kms:us-isob-east-1:111122223333:key/" + KEY_ID,
      "arn:aws-eusc:kms:eusc-de-east-1:111122223333:key/" + KEY_ID,
      "arn:aws:kms:ap-southeast-2:111122223333:key/" + KEY_ID,
      "arn:aws:kms:us-east-1:111122223333:alias/a/b_c-d",
  })
  void parse_otherPartitionsAndRegions_accepted(String text) {
    assertEquals(text, KeyArn.parse(text).toString());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      "arn:awz:kms:us-east-1:111122223333:key/" + KEY_ID + "        | unknown partition 'awz'",
      "arn::kms:us-east-1:111122223333:key/" + KEY_ID + "           | unknown partition ''",
      "arn:aws:s3:us-east-1:111122223333:key/" + KEY_ID + "         | service must be 'kms', got 's3'",
      "arn:aws:KMS:us-east-1:111122223333:key/" + KEY_ID + "        | service must be 'kms', got 'KMS'",
      "arn:aws:kms:US-EAST-1:111122223333:key/" + KEY_ID + "        | region 'US-EAST-1'",
      "arn:aws:kms:useast1:111122223333:key/" + KEY_ID + "          | region 'useast1'",
      "arn:aws:kms::111122223333:key/" + KEY_ID + "                 | region ''",
      "arn:aws:kms:us-east-1:11112222333:key/" + KEY_ID + "         | account in",
      "arn:aws:kms:us-east-1:1111222233334:key/" + KEY_ID + "       | got 13 characters",
      "arn:aws:kms:us-east-1:11112222333x:key/" + KEY_ID + "        | got a 'x' at position 11",
      "arn:aws:kms:us-east-1:111122223333:keys/" + KEY_ID + "       | resource must be key/ID or alias/NAME",
      "arn:aws:kms:us-east-1:111122223333:" + KEY_ID + "            | resource must be key/ID or alias/NAME",
      "arn:aws:kms:us-east-1:111122223333:key/                     | key ID '' is not a key ID",
      "arn:aws:kms:us-east-1:111122223333:key/abc$def              | key ID 'abc$def' is not a key ID",
      "arn:aws:kms:us-east-1:111122223333:alias/                   | alias name ''",
      "arn:aws:kms:us-east-1:111122223333:alias/aws/s3             | not start with aws/",
      "arn:aws:kms:us-east-1:111122223333:alias/a b                | alias name 'a b'",
      "arn:aws:kms:us-east-1:111122223333                          | expected arn:PARTITION:kms:REGION:ACCOUNT:key/ID",
      "urn:aws:kms:us-east-1:111122223333:key/" + KEY_ID + "        | expected arn:PARTITION:kms:REGION:ACCOUNT:key/ID",
      "" + KEY_ID + "                                               | expected arn:PARTITION:kms:REGION:ACCOUNT:key/ID",
  })
  void parse_malformed_rejectedNamingThePart(String text, String fragment) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyArn.parse(text));
    assertTrue(e.getMessage().startsWith("KMS key ARN: "), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @Test
  void parse_nullOrHuge_rejected() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> KeyArn.parse(null)).getMessage().contains("null"));
    String huge = "arn:aws:kms:us-east-1:111122223333:alias/" + "a".repeat(3000);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> KeyArn.parse(huge)).getMessage().contains("longer than"));
  }

  @Test
  void parse_controlCharacters_escapedInMessage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KeyArn.parse("arn:aws:kms:us-east-1:111122223333:key/a\nb"));
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertTrue(e.getMessage().contains("\\u000a"), e.getMessage());
  }

  @Test
  void equalsAndHashCode_byAllParts() {
    KeyArn a = KeyArn.parse("arn:aws:kms:us-east-1:111122223333:key/" + KEY_ID);
    assertEquals(a, KeyArn.parse(a.toString()));
    assertEquals(a.hashCode(), KeyArn.parse(a.toString()).hashCode());
    assertNotEquals(a, KeyArn.parse("arn:aws:kms:us-east-2:111122223333:key/" + KEY_ID));
    assertNotEquals(a, KeyArn.parse("arn:aws:kms:us-east-1:444455556666:key/" + KEY_ID));
    assertNotEquals(KeyArn.parse("arn:aws:kms:us-east-1:111122223333:alias/x"),
        KeyArn.parse("arn:aws:kms:us-east-1:111122223333:key/x"));
  }

  @Test
  void toStringAndHashCode_computedOnce() {
    KeyArn a = KeyArn.parse("arn:aws:kms:us-east-1:111122223333:key/" + KEY_ID);
    assertSame(a.toString(), a.toString());
    assertEquals(a.toString().hashCode(), a.hashCode());
    assertEquals(a, KeyArn.ofKey("aws", "us-east-1", AwsAccountId.of("111122223333"), KEY_ID));
  }

  @Property
  void ofKey_anyValidParts_roundTripsThroughText(@ForAll("partitions") String partition,
      @ForAll("regions") String region, @ForAll("accounts") String account, @ForAll("uuids") String keyId) {
    KeyArn arn = KeyArn.ofKey(partition, region, AwsAccountId.of(account), keyId);
    KeyArn reparsed = KeyArn.parse(arn.toString());
    assertEquals(arn, reparsed);
    assertEquals(partition, reparsed.partition());
    assertEquals(region, reparsed.region());
    assertEquals(account, reparsed.account().value());
    assertEquals(keyId, reparsed.resourceId());
    assertEquals("arn:" + partition + ":kms:" + region + ":" + account + ":key/" + keyId, arn.toString());
  }

  @Property
  void parse_arbitraryText_onlyEverThrowsIllegalArgument(@ForAll String text) {
    try {
      KeyArn arn = KeyArn.parse(text);
      assertEquals(text, arn.toString());
    } catch (IllegalArgumentException expected) {
      assertTrue(expected.getMessage().startsWith("KMS key ARN: "));
    }
  }

  @Property
  void parse_validArnWithOneFieldReplaced_rejected(@ForAll("wrongField") String[] replacement) {
    String[] parts = {"arn", "aws", "kms", "us-east-1", "111122223333", "key/" + KEY_ID};
    parts[Integer.parseInt(replacement[0])] = replacement[1];
    assertThrows(IllegalArgumentException.class, () -> KeyArn.parse(String.join(":", parts)));
  }

  @Provide
  Arbitrary<String> partitions() {
    return Arbitraries.of(KeyArn.PARTITIONS);
  }

  @Provide
  Arbitrary<String> regions() {
    Arbitrary<String> prefix = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(2).ofMaxLength(4);
    Arbitrary<String> middle = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10)
        .list().ofMinSize(1).ofMaxSize(3).map(l -> String.join("-", l));
    Arbitrary<Integer> number = Arbitraries.integers().between(1, 99);
    return Combinators.combine(prefix, middle, number).as((p, m, n) -> p + "-" + m + "-" + n);
  }

  @Provide
  Arbitrary<String> accounts() {
    return Arbitraries.strings().numeric().ofLength(12);
  }

  @Provide
  Arbitrary<String> uuids() {
    return Arbitraries.randomValue(r -> new UUID(r.nextLong(), r.nextLong()).toString());
  }

  /** {index, value} pairs that make one ARN field wrong. */
  @Provide
  Arbitrary<String[]> wrongField() {
    return Arbitraries.oneOf(
        Arbitraries.of("awz", "AWS", "", "aws-cnx").map(v -> new String[] {"1", v}),
        Arbitraries.of("s3", "iam", "", "kms2").map(v -> new String[] {"2", v}),
        Arbitraries.of("US-EAST-1", "east", "us-east", "us-east-123", "").map(v -> new String[] {"3", v}),
        Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(20).filter(s -> s.length() != 12)
            .map(v -> new String[] {"4", v}),
        Arbitraries.of("keys/x", "", "key", "alias", "role/x").map(v -> new String[] {"5", v}));
  }
}
