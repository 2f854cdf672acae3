package dev.byok.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.byok.core.AccessReason;
import dev.byok.core.EncryptionContext;
import dev.byok.core.InvalidCiphertextException;
import dev.byok.core.KeyArn;
import dev.byok.core.ReasonCode;
import dev.byok.core.TenantDirectory;
import dev.byok.core.keys.DecryptedDataKey;
import dev.byok.core.keys.EncryptedDataKey;
import dev.byok.core.keys.GeneratedDataKey;
import dev.byok.core.keys.KeyDescription;
import dev.byok.core.keys.KeyService;
import dev.byok.core.keys.KeyServiceException;
import dev.byok.crypto.fakes.FakeTicker;
import dev.byok.crypto.fakes.ManualScheduler;
import dev.byok.testing.fakes.FakeKeyService;
import dev.byok.testing.fakes.ManualExecutor;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 point 5: {@code outageGrace} applies only to transient failures, as docs/revocation.md
 * says. A stale cached key whose re-confirmation fails with a transient error serves within the
 * grace; one whose re-confirmation fails otherwise (here KMS answers bad input) does not.
 */
class OutageGraceTransientOnlyTest {
  private static final AccessReason R = AccessReason.of(ReasonCode.USER_REQUEST);
  private static final EncryptionContext ACME = EncryptionContext.of("tenant", "acme");
  private static final byte[] PLAINTEXT = {1, 2, 3};

  private final FakeTicker ticker = new FakeTicker();
  private final FakeKeyService kms = new FakeKeyService();
  private volatile boolean badInputOnDecrypt;
  private TenantCrypto crypto;

  /** The fake, but Decrypt answers a bad-input error while {@link #badInputOnDecrypt} is set. */
  private final KeyService keyService = new KeyService() {
    @Override
    public String providerId() {
      return kms.providerId();
    }

    @Override
    public GeneratedDataKey generateDataKey(KeyArn keyArn, EncryptionContext context) {
      return kms.generateDataKey(keyArn, context);
    }

    @Override
    public DecryptedDataKey decryptDataKey(KeyArn keyArn, EncryptedDataKey edk, EncryptionContext context) {
      if (badInputOnDecrypt) {
        throw new KeyServiceException(KeyServiceException.ErrorClass.BAD_INPUT, "InvalidCiphertextException",
            keyArn.toString(), "req-bad", "not a valid ciphertext", null);
      }
      return kms.decryptDataKey(keyArn, edk, context);
    }

    @Override
    public KeyDescription describeKey(KeyArn keyArn) {
      return kms.describeKey(keyArn);
    }
  };

  @BeforeEach
  void setUp() {
    KeyArn key = KeyArn.parse(kms.createKey("111122223333", "1234abcd-12ab-34cd-56ef-1234567890ab"));
    crypto = TenantCrypto.builder().keyService(keyService).tenants(TenantDirectory.builder().put("acme", key).build())
        .cachePolicy(CachePolicy.builder().revalidateAfter(Duration.ofSeconds(60)).build())
        .revocationPolicy(RevocationPolicy.builder().outageGrace(Duration.ofMinutes(5)).build())
        .ticker(ticker).executor(new ManualExecutor()).scheduler(new ManualScheduler(ticker)).build();
  }

  @AfterEach
  void tearDown() {
    crypto.close();
  }

  @Test
  void decrypt_staleKeyDuringTransientOutage_servesWithinGrace() {
    byte[] m = crypto.encrypt("acme", ACME, R, PLAINTEXT);
    kms.outage("ThrottlingException");
    ticker.advance(Duration.ofSeconds(61));
    assertArrayEquals(PLAINTEXT, crypto.decrypt("acme", ACME, R, m), "transient: served within outageGrace");
  }

  @Test
  void decrypt_staleKeyWhoseReconfirmationIsRefusedAsBadInput_notServed() {
    byte[] m = crypto.encrypt("acme", ACME, R, PLAINTEXT);
    badInputOnDecrypt = true;
    ticker.advance(Duration.ofSeconds(61));
    assertThrows(InvalidCiphertextException.class, () -> crypto.decrypt("acme", ACME, R, m),
        "not an outage: outageGrace does not apply");
  }
}
