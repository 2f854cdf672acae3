package dev.byok.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.AccessReason;
import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyArn;
import dev.byok.core.ReasonCode;
import dev.byok.core.TenantDirectory;
import dev.byok.core.audit.AuditSink;
import dev.byok.core.audit.AuditUnavailableException;
import dev.byok.core.audit.KeyUseEvent;
import dev.byok.crypto.fakes.FakeTicker;
import dev.byok.crypto.fakes.ManualScheduler;
import dev.byok.testing.fakes.FakeKeyService;
import dev.byok.testing.fakes.ManualExecutor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 point 1: no path returns plaintext (or ciphertext) whose audit event was neither queued nor
 * stored. A sink that refuses the event (closed, or interrupted while waiting for room, as
 * {@code CloudWatchLogsAuditSink} does under BLOCK) fails the operation, and the interrupt stays set.
 */
class AuditEmitFailureTest {
  private static final AccessReason USER = AccessReason.of(ReasonCode.USER_REQUEST, "open message", "user:42");
  private static final EncryptionContext ACME = EncryptionContext.of(Map.of("tenant", "acme"));
  private static final byte[] PLAINTEXT = "customer data".getBytes(StandardCharsets.UTF_8);

  /** Refuses events while {@code refusing}, the way the CloudWatch sink refuses a waiting producer that is interrupted. */
  private static final class RefusingSink implements AuditSink {
    volatile boolean refusing;
    final List<KeyUseEvent> accepted = new ArrayList<>();

    @Override
    public synchronized void emit(KeyUseEvent event) {
      if (refusing) {
        throw new IllegalStateException("interrupted while waiting for room in the audit queue; audit event "
            + event.eventId() + " was not accepted");
      }
      accepted.add(event);
    }
  }

  private final FakeTicker ticker = new FakeTicker();
  private final FakeKeyService kms = new FakeKeyService();
  private final RefusingSink audit = new RefusingSink();
  private final TenantCrypto crypto = TenantCrypto.builder().keyService(kms)
      .tenants(TenantDirectory.builder().put("acme", KeyArn.parse(kms.createKey("111122223333",
          "1234abcd-12ab-34cd-56ef-1234567890ab"))).build())
      .auditSink(audit).ticker(ticker).executor(new ManualExecutor()).scheduler(new ManualScheduler(ticker)).build();

  @AfterEach
  void close() {
    Thread.interrupted(); // leave the runner's thread as we found it
    crypto.close();
  }

  @Test
  void decrypt_sinkRefusesTheEventWhileInterrupted_noPlaintextAndInterruptKept() {
    byte[] message = crypto.encrypt("acme", ACME, USER, PLAINTEXT);
    audit.refusing = true;
    Thread.currentThread().interrupt();
    AuditUnavailableException e = assertThrows(AuditUnavailableException.class,
        () -> crypto.decrypt("acme", ACME, USER, message));
    assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is restored for the caller");
    assertTrue(e.getMessage().contains("acme"), e.getMessage());
    assertTrue(e.retryable());
    assertTrue(e.getCause() instanceof IllegalStateException);
  }

  @Test
  void encrypt_sinkRefuses_noCiphertext() {
    audit.refusing = true;
    assertThrows(AuditUnavailableException.class, () -> crypto.encrypt("acme", ACME, USER, PLAINTEXT));
    assertFalse(Thread.currentThread().isInterrupted());
    audit.refusing = false;
    byte[] m = crypto.encrypt("acme", ACME, USER, PLAINTEXT);
    assertArrayEquals(PLAINTEXT, crypto.decrypt("acme", ACME, USER, m));
    assertEquals(2, audit.accepted.size(), "each use that returned has its event");
  }

  @Test
  void failedDecrypt_sinkRefuses_theOperationsOwnErrorWithTheRefusalSuppressed() {
    audit.refusing = true;
    byte[] garbage = new byte[64];
    RuntimeException e = assertThrows(RuntimeException.class, () -> crypto.decrypt("acme", ACME, USER, garbage));
    assertFalse(e instanceof AuditUnavailableException, "the caller learns why the decrypt failed: " + e);
    assertEquals(1, e.getSuppressed().length);
    assertTrue(e.getSuppressed()[0] instanceof IllegalStateException);
  }

  @Test
  void streams_sinkRefusesAtClose_closeFails() throws IOException {
    byte[] message = crypto.encrypt("acme", ACME, USER, PLAINTEXT);
    audit.refusing = true;
    InputStream in = crypto.decryptingStream("acme", ACME, USER, new ByteArrayInputStream(message));
    // The stream's event is emitted when the message ends (issue 12: even if never closed), so the
    // refusal surfaces at the read that reaches the end: the caller never sees a clean end of file.
    IOException atEnd = assertThrows(IOException.class, in::readAllBytes);
    assertTrue(atEnd.getCause() instanceof AuditUnavailableException, atEnd.toString());
    in.close();

    OutputStream out = crypto.encryptingStream("acme", ACME, USER, new ByteArrayOutputStream());
    out.write(PLAINTEXT);
    IOException e = assertThrows(IOException.class, out::close);
    assertSame(AuditUnavailableException.class, e.getCause().getClass());
  }
}
