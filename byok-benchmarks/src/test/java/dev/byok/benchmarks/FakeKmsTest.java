package dev.byok.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyArn;
import dev.byok.core.keys.DecryptedDataKey;
import dev.byok.core.keys.GeneratedDataKey;
import dev.byok.core.keys.KeyServiceException;
import dev.byok.core.keys.KeyState;
import dev.byok.aws.kms.AwsKmsKeyService;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

class FakeKmsTest {
  private final FakeKms kms = FakeKms.create();

  @Test
  void generateDataKey_thenDecrypt_returnsSameKeyAndRequestIds() {
    Map<String, String> ctx = Map.of("tenant", "acme");
    GenerateDataKeyResponse g = kms.generateDataKey(b -> b.keyId(kms.keyArn()).keySpec(DataKeySpec.AES_256).encryptionContext(ctx));
    assertEquals(32, g.plaintext().asByteArray().length);
    assertEquals(kms.keyArn(), g.keyId());
    byte[] pt = kms.decrypt(b -> b.keyId(kms.keyArn()).ciphertextBlob(g.ciphertextBlob()).encryptionContext(ctx))
        .plaintext().asByteArray();
    assertArrayEquals(g.plaintext().asByteArray(), pt);
    assertNotNull(g.responseMetadata().requestId());
    assertEquals(1, kms.generateDataKeyCalls());
    assertEquals(1, kms.decryptCalls());
  }

  @Test
  void requestIds_differPerCall() {
    String a = kms.describeKey(b -> b.keyId(kms.keyArn())).responseMetadata().requestId();
    String b2 = kms.describeKey(b -> b.keyId(kms.keyArn())).responseMetadata().requestId();
    assertNotEquals(a, b2);
    assertEquals(36, a.length(), a);
  }

  @Test
  void decrypt_otherContext_invalidCiphertext() {
    GenerateDataKeyResponse g = kms.generateDataKey(b -> b.keyId(kms.keyArn()).numberOfBytes(32).encryptionContext(Map.of("tenant", "acme")));
    assertThrows(InvalidCiphertextException.class, () -> kms.decrypt(b -> b.keyId(kms.keyArn())
        .ciphertextBlob(g.ciphertextBlob()).encryptionContext(Map.of("tenant", "other"))));
  }

  @Test
  void decrypt_truncatedBlob_invalidCiphertext() {
    assertThrows(InvalidCiphertextException.class,
        () -> kms.decrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArray(new byte[] {0, 3, 1}))));
  }

  @Test
  void encrypt_unknownKey_notFound() {
    assertThrows(NotFoundException.class, () -> kms.encrypt(b -> b.keyId("arn:aws:kms:us-east-1:111122223333:key/other")
        .plaintext(SdkBytes.fromByteArray(new byte[32]))));
  }

  @Test
  void create_negativeLatency_rejected() {
    assertThrows(IllegalArgumentException.class, () -> FakeKms.create(Duration.ofMillis(-1)));
  }

  @Test
  void awsKmsKeyService_overFakeKms_roundTripsAndDescribes() {
    EncryptionContext ctx = EncryptionContext.of("tenant", "acme");
    KeyArn arn = KeyArn.parse(kms.keyArn());
    try (AwsKmsKeyService keys = FakeKmsKeyService.over(kms)) {
      GeneratedDataKey g = keys.generateDataKey(arn, ctx);
      DecryptedDataKey d = keys.decryptDataKey(arn, g.encrypted(), ctx);
      assertEquals(true, g.plaintext().equalsConstantTime(d.plaintext()));
      assertNotNull(d.requestId());
      assertEquals(KeyState.ENABLED, keys.describeKey(arn).state());
      KeyServiceException e = assertThrows(KeyServiceException.class,
          () -> keys.decryptDataKey(arn, g.encrypted(), EncryptionContext.of("tenant", "other")));
      assertEquals(KeyServiceException.ErrorClass.BAD_INPUT, e.errorClass());
    }
    assertEquals(1, kms.generateDataKeyCalls());
    assertEquals(2, kms.decryptCalls());
  }
}
