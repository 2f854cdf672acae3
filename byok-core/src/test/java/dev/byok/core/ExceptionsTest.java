package dev.byok.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.internal.Strings;

import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExceptionsTest {

  @Test
  void byokException_isUncheckedAndNotRetryable() {
    ByokException e = new ByokException("x");
    assertTrue(e instanceof RuntimeException);
    assertFalse(e.retryable());
  }

  @Test
  void keyServiceUnavailable_isRetryableAndKeepsCause() {
    IOException cause = new IOException("reset");
    KeyServiceUnavailableException e = new KeyServiceUnavailableException("KMS unreachable", cause);
    assertTrue(e.retryable());
    assertSame(cause, e.getCause());
  }

  @Test
  void keyAccessRevoked_wholeKeyOrScope() {
    KeyAccessRevokedException whole = new KeyAccessRevokedException("arn:k", null, "DisabledException");
    assertEquals("access to customer key arn:k is revoked: DisabledException", whole.getMessage());
    assertEquals(Optional.empty(), whole.scope());
    assertFalse(whole.retryable());
    KeyAccessRevokedException scoped = new KeyAccessRevokedException("arn:k", "tenant=acme", "AccessDeniedException");
    assertEquals("access to customer key arn:k for scope tenant=acme is revoked: AccessDeniedException", scoped.getMessage());
    assertEquals(Optional.of("tenant=acme"), scoped.scope());
    assertEquals("arn:k", scoped.keyArn());
  }

  @Test
  void invalidCiphertext_oneMessageShape() {
    assertEquals("invalid ciphertext: header tag mismatch", new InvalidCiphertextException("header tag mismatch").getMessage());
    assertFalse(new InvalidCiphertextException("x", new RuntimeException()).retryable());
  }

  @Test
  void provisioning_isByokException() {
    assertTrue(new ProvisioningException("lint: policy too large") instanceof ByokException);
  }

  @Test
  void strings_printable_escapesAndTruncates() {
    assertEquals("a\\u000ab\\u007f", Strings.printable("a\nb\u007f"));
    assertEquals("\\ud800", Strings.printable("\uD800"));
    assertEquals("x".repeat(80) + "...", Strings.printable("x".repeat(81)));
    assertEquals("null", Strings.printable(null));
  }
}
