package dev.byok.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReasonCodeTest {

  @Test
  void standard_isTheDesignVocabulary() {
    assertEquals(List.of("CUSTOMER_INITIATED_ACCESS", "USER_REQUEST", "SEARCH_INDEXING", "SYSTEM_OPERATION",
            "BACKUP_RESTORE", "DATA_EXPORT", "VENDOR_SUPPORT_ACCESS", "LEGAL_REQUEST", "KEY_ROTATION_REWRAP",
            "REVOCATION_CHECK"),
        ReasonCode.STANDARD.stream().map(ReasonCode::value).collect(Collectors.toList()));
    assertEquals(ReasonCode.STANDARD.size(), new HashSet<>(ReasonCode.STANDARD).size());
  }

  @Test
  void of_standardName_returnsTheConstant() {
    for (ReasonCode c : ReasonCode.STANDARD) {
      assertSame(c, ReasonCode.of(c.value()));
      assertTrue(c.isStandard());
    }
  }

  @Test
  void of_customCode_isNotStandard() {
    ReasonCode c = ReasonCode.of("FRAUD_REVIEW_2");
    assertFalse(c.isStandard());
    assertEquals("FRAUD_REVIEW_2", c.toString());
    assertEquals(c, ReasonCode.of("FRAUD_REVIEW_2"));
    assertEquals(c.hashCode(), ReasonCode.of("FRAUD_REVIEW_2").hashCode());
    assertNotEquals(c, ReasonCode.USER_REQUEST);
  }

  @Test
  void of_lengthBoundaries() {
    assertEquals("ABC", ReasonCode.of("ABC").value());
    String max = "A" + "B".repeat(63);
    assertEquals(64, ReasonCode.of(max).value().length());
    assertThrows(IllegalArgumentException.class, () -> ReasonCode.of(max + "C"));
    assertThrows(IllegalArgumentException.class, () -> ReasonCode.of("AB"));
  }

  @ParameterizedTest(name = "[{index}] ''{0}''")
  @ValueSource(strings = {"", "A", "AB", "user_request", "User_Request", "1ABC", "_ABC", "A-BC", "A BC", "ABC.",
      "ÄBC", "ABC\n"})
  void of_malformed_rejectedWithTheRule(String value) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReasonCode.of(value));
    assertTrue(e.getMessage().contains("must match [A-Z][A-Z0-9_]{2,63}"), e.getMessage());
  }

  @Test
  void of_null_rejected() {
    assertThrows(IllegalArgumentException.class, () -> ReasonCode.of(null));
  }

  @Property
  void of_anyMatchingString_accepted(@ForAll("codes") String code) {
    assertEquals(code, ReasonCode.of(code).value());
  }

  @Property
  void of_anyLowerCaseLetter_rejected(@ForAll("codes") String code,
      @ForAll("lower") char lower) {
    String bad = code.substring(0, code.length() - 1) + lower;
    assertThrows(IllegalArgumentException.class, () -> ReasonCode.of(bad));
  }

  @Provide
  Arbitrary<String> codes() {
    Arbitrary<Character> first = Arbitraries.chars().range('A', 'Z');
    Arbitrary<String> rest = Arbitraries.strings().withCharRange('A', 'Z').withCharRange('0', '9').withChars('_')
        .ofMinLength(2).ofMaxLength(63);
    return Combinators.combine(first, rest).as((f, r) -> f + r);
  }

  @Provide
  Arbitrary<Character> lower() {
    return Arbitraries.chars().range('a', 'z');
  }

  @Test
  void constructor_validatesLikeOf() {
    assertThrows(IllegalArgumentException.class, () -> new ReasonCode("lower_case"));
    assertEquals(ReasonCode.USER_REQUEST, new ReasonCode("USER_REQUEST"));
    assertEquals("USER_REQUEST", new ReasonCode("USER_REQUEST").toString());
  }
}
