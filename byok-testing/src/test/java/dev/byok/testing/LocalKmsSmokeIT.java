package dev.byok.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;

/** Proves the harness's local-kms: real envelope calls, and disabled keys rejected like AWS. */
@WithEmulators
class LocalKmsSmokeIT {

  private static final Map<String, String> CONTEXT = Map.of("tenant", "acme", "purpose", "smoke");

  private KmsClient kms;

  @BeforeEach
  void setUp(Emulators emu) {
    kms = emu.localKms(KmsClient.builder()).build();
  }

  @AfterEach
  void tearDown() {
    kms.close();
  }

  @Test
  void createKey_inLocalKms_hasConfiguredAccountAndRegion(Emulators emu) {
    KeyMetadata key = kms.createKey(b -> b.description("smoke")).keyMetadata();

    assertEquals(KeyState.ENABLED, key.keyState());
    assertTrue(
        key.arn().startsWith("arn:aws:kms:us-east-1:" + emu.localKmsAccountId() + ":key/"),
        key.arn());
  }

  @Test
  void generateDataKeyThenDecrypt_sameContext_returnsSamePlaintext() {
    String keyId = kms.createKey(b -> b.description("smoke")).keyMetadata().keyId();

    GenerateDataKeyResponse generated =
        kms.generateDataKey(b -> b.keyId(keyId).keySpec(DataKeySpec.AES_256).encryptionContext(CONTEXT));
    DecryptResponse decrypted =
        kms.decrypt(
            b -> b.keyId(keyId).ciphertextBlob(generated.ciphertextBlob()).encryptionContext(CONTEXT));

    assertEquals(32, generated.plaintext().asByteArray().length);
    assertArrayEquals(generated.plaintext().asByteArray(), decrypted.plaintext().asByteArray());
    assertEquals(generated.keyId(), decrypted.keyId());
  }

  @Test
  void decrypt_otherContext_failsWithInvalidCiphertext() {
    String keyId = kms.createKey(b -> b.description("smoke")).keyMetadata().keyId();
    SdkBytes blob =
        kms.generateDataKey(b -> b.keyId(keyId).keySpec(DataKeySpec.AES_256).encryptionContext(CONTEXT))
            .ciphertextBlob();

    assertThrows(
        InvalidCiphertextException.class,
        () ->
            kms.decrypt(
                b -> b.keyId(keyId).ciphertextBlob(blob).encryptionContext(Map.of("tenant", "other"))));
  }

  @Test
  void decrypt_disabledKey_failsUntilEnabledAgain() {
    String keyId = kms.createKey(b -> b.description("smoke")).keyMetadata().keyId();
    GenerateDataKeyResponse generated =
        kms.generateDataKey(b -> b.keyId(keyId).keySpec(DataKeySpec.AES_256).encryptionContext(CONTEXT));

    kms.disableKey(b -> b.keyId(keyId));
    assertEquals(KeyState.DISABLED, kms.describeKey(b -> b.keyId(keyId)).keyMetadata().keyState());
    assertThrows(
        DisabledException.class,
        () ->
            kms.decrypt(
                b ->
                    b.keyId(keyId)
                        .ciphertextBlob(generated.ciphertextBlob())
                        .encryptionContext(CONTEXT)));
    assertThrows(
        DisabledException.class,
        () -> kms.generateDataKey(b -> b.keyId(keyId).keySpec(DataKeySpec.AES_256)));

    kms.enableKey(b -> b.keyId(keyId));
    DecryptResponse decrypted =
        kms.decrypt(
            b -> b.keyId(keyId).ciphertextBlob(generated.ciphertextBlob()).encryptionContext(CONTEXT));
    assertArrayEquals(generated.plaintext().asByteArray(), decrypted.plaintext().asByteArray());
  }
}
