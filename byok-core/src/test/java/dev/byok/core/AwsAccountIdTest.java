package dev.byok.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AwsAccountIdTest {

  @Test
  void of_twelveDigits_keepsValue() {
    AwsAccountId id = AwsAccountId.of("111122223333");
    assertEquals("111122223333", id.value());
    assertEquals("111122223333", id.toString());
    assertEquals("arn:aws:iam::111122223333:root", id.rootArn("aws"));
    assertEquals("arn:aws-cn:iam::111122223333:root", id.rootArn("aws-cn"));
  }

  @Test
  void of_leadingZeros_kept() {
    assertEquals("000000000001", AwsAccountId.of("000000000001").value());
  }

  @ParameterizedTest(name = "[{index}] ''{0}''")
  @CsvSource(delimiter = '|', value = {
      "12345678901     | got 11 characters",
      "1234567890123   | got 13 characters",
      "''              | got 0 characters",
      "12345678901a    | got a 'a' at position 11",
      "-12345678901    | got a '-' at position 0",
      "1234 5678 9012  | got 14 characters",
      "１２３４５６７８９０１２ | got a '１' at position 0",
  })
  void of_malformed_rejectedNamingTheRule(String value, String fragment) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AwsAccountId.of(value));
    assertTrue(e.getMessage().startsWith("AWS account ID: must be exactly 12 digits"), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @Test
  void of_null_rejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AwsAccountId.of(null));
    assertTrue(e.getMessage().contains("null"));
  }

  @Test
  void equalsHashCodeCompareTo_byValue() {
    AwsAccountId a = AwsAccountId.of("111122223333");
    assertEquals(a, AwsAccountId.of("111122223333"));
    assertEquals(a.hashCode(), AwsAccountId.of("111122223333").hashCode());
    assertNotEquals(a, AwsAccountId.of("444455556666"));
    assertTrue(a.compareTo(AwsAccountId.of("444455556666")) < 0);
    assertEquals(0, a.compareTo(AwsAccountId.of("111122223333")));
  }

  @Property
  void of_anyTwelveAsciiDigits_roundTrips(@ForAll("twelveDigits") String digits) {
    assertEquals(digits, AwsAccountId.of(digits).value());
  }

  @Property
  void of_digitsOfAnyOtherLength_rejected(@ForAll @IntRange(min = 0, max = 40) int length) {
    if (length == 12) {
      return;
    }
    String digits = "7".repeat(length);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AwsAccountId.of(digits));
    assertTrue(e.getMessage().contains("got " + length + " characters"), e.getMessage());
  }

  @Property
  void of_twelveCharsWithOneNonDigit_rejectedAtThatPosition(@ForAll("twelveDigits") String digits,
      @ForAll @IntRange(min = 0, max = 11) int position, @ForAll("nonDigit") char c) {
    String bad = digits.substring(0, position) + c + digits.substring(position + 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AwsAccountId.of(bad));
    assertTrue(e.getMessage().contains("at position " + position), e.getMessage());
  }

  @Provide
  Arbitrary<String> twelveDigits() {
    return Arbitraries.strings().numeric().ofLength(12);
  }

  @Provide
  Arbitrary<Character> nonDigit() {
    return Arbitraries.chars().filter(c -> c < '0' || c > '9');
  }

  @Test
  void constructor_validatesLikeOf() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new AwsAccountId("12345"))
        .getMessage().contains("exactly 12 digits"));
    assertEquals(AwsAccountId.of("111122223333"), new AwsAccountId("111122223333"));
    assertEquals("111122223333", new AwsAccountId("111122223333").toString());
  }
}
