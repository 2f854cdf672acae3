package dev.byok.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.AccessReason;
import dev.byok.core.EncryptionContext;
import dev.byok.core.InvalidCiphertextException;
import dev.byok.core.KeyArn;
import dev.byok.core.ReasonCode;
import dev.byok.core.TenantDirectory;
import dev.byok.core.audit.KeyUseEvent;
import dev.byok.testing.fakes.CollectingSink;
import dev.byok.testing.fakes.FakeKeyService;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 point 5, audit gaps: a decrypting stream read to its end emits its event even if the
 * caller never closes it (and only one event when it does), a failed stream emits at its failure,
 * and the event of a failed decrypt marks its context and message ID as read from an
 * unauthenticated header.
 */
class DecryptAuditGapsTest {
  private static final AccessReason R = AccessReason.of(ReasonCode.USER_REQUEST);
  private static final EncryptionContext ACME = EncryptionContext.of("tenant", "acme");
  private static final byte[] PLAINTEXT = "a message of the tenant".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private final FakeKeyService kms = new FakeKeyService();
  private final CollectingSink audit = new CollectingSink();
  private TenantCrypto crypto;

  @BeforeEach
  void setUp() {
    KeyArn key = KeyArn.parse(kms.createKey("111122223333", "1234abcd-12ab-34cd-56ef-1234567890ab"));
    crypto = TenantCrypto.builder().keyService(kms).tenants(TenantDirectory.builder().put("acme", key).build())
        .auditSink(audit).build();
  }

  @AfterEach
  void tearDown() {
    crypto.close();
  }

  private List<KeyUseEvent> decryptEvents() {
    return audit.events().stream().filter(e -> e.operation() == KeyUseEvent.Operation.DECRYPT).collect(Collectors.toList());
  }

  @Test
  void decryptingStream_readToEndNeverClosed_emitsItsEvent() throws IOException {
    byte[] m = crypto.encrypt("acme", ACME, R, PLAINTEXT);
    InputStream in = crypto.decryptingStream("acme", ACME, R, new ByteArrayInputStream(m));
    assertArrayEquals(PLAINTEXT, in.readAllBytes());
    List<KeyUseEvent> events = decryptEvents();
    assertEquals(1, events.size(), "the event is emitted at the end of the message, without close()");
    assertEquals(KeyUseEvent.Outcome.SUCCESS, events.get(0).outcome());
    assertTrue(events.get(0).headerAuthenticated());
    in.close();
    assertEquals(1, decryptEvents().size(), "close() adds no second event");
  }

  @Test
  void decryptingStream_tamperedNeverClosed_emitsFailureMarkedUnauthenticated() {
    byte[] m = crypto.encrypt("acme", ACME, R, PLAINTEXT);
    m[m.length - 1] ^= 1;
    InputStream in = crypto.decryptingStream("acme", ACME, R, new ByteArrayInputStream(m));
    assertThrows(InvalidCiphertextException.class, in::readAllBytes);
    List<KeyUseEvent> events = decryptEvents();
    assertEquals(1, events.size(), "the failure is audited without close()");
    assertEquals(KeyUseEvent.Outcome.FAILURE, events.get(0).outcome());
    assertFalse(events.get(0).headerAuthenticated(), "context and message ID came from an unauthenticated header");
  }

  @Test
  void decrypt_failure_eventMarksContextAndMessageIdUnauthenticated() {
    byte[] m = crypto.encrypt("acme", ACME, R, PLAINTEXT);
    assertArrayEquals(PLAINTEXT, crypto.decrypt("acme", ACME, R, m));
    byte[] bad = m.clone();
    bad[bad.length - 1] ^= 1;
    assertThrows(InvalidCiphertextException.class, () -> crypto.decrypt("acme", ACME, R, bad));
    List<KeyUseEvent> events = decryptEvents();
    assertEquals(2, events.size());
    assertTrue(events.get(0).headerAuthenticated(), "success: the header authenticated");
    assertFalse(events.get(0).toJson().contains("headerAuthenticated"), "written only when false");
    KeyUseEvent failed = events.get(1);
    assertFalse(failed.headerAuthenticated());
    assertTrue(failed.toJson().contains("\"headerAuthenticated\":false"), failed.toJson());
    assertFalse(KeyUseEvent.fromJson(failed.toJson()).headerAuthenticated(), "read back");
  }
}
