package dev.byok.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.EncryptionContext;
import org.junit.jupiter.api.Test;

class ContextDenyRuleTest {

  @Test
  void contextDenyRule_matchesExactValueOnly() {
    ContextDenyRule r = ContextDenyRule.of("tenant", "acme");
    assertTrue(r.matches(EncryptionContext.of("tenant", "acme")));
    assertFalse(r.matches(EncryptionContext.of("tenant", "acme2")));
    assertFalse(r.matches(EncryptionContext.of("Tenant", "acme")));
    assertFalse(r.matches(EncryptionContext.empty()));
    assertEquals("tenant=acme", r.toString());
    assertEquals(r, ContextDenyRule.of("tenant", "acme"));
    assertTrue(ContextDenyRule.of("tenant", "").matches(EncryptionContext.of("tenant", "")));
    assertThrows(IllegalArgumentException.class, () -> ContextDenyRule.of("", "x"));
    assertThrows(IllegalArgumentException.class, () -> ContextDenyRule.of(null, "x"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ContextDenyRule.of("tenant", null))
        .getMessage().contains("'tenant'"));
  }
}
