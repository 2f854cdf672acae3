package dev.byok.aws.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.EncryptionContext;
import dev.byok.core.keys.EncryptedDataKey;
import dev.byok.core.keys.KeyServiceException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.kms.KmsClient;

/** Offline behaviour of {@link AwsKmsKeyService}: builder checks, clients per region, data-key recognition. */
class AwsKmsKeyServiceTest {
  private static final String ARN_EAST = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final String ARN_EAST_OTHER_ACCOUNT = "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final String ARN_WEST = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  private static AwsKmsKeyService.Builder offline() {
    return AwsKmsKeyService.builder().endpointOverride(URI.create("http://127.0.0.1:1"))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")));
  }

  @Test
  void clientFor_oneLazilyBuiltClientPerRegion() {
    AtomicInteger built = new AtomicInteger();
    try (AwsKmsKeyService kms = offline().clientBuilder(() -> {
      built.incrementAndGet();
      return KmsClient.builder();
    }).build()) {
      assertEquals(0, built.get(), "no client before the first call");
      KmsClient east = kms.clientFor(ARN_EAST);
      assertSame(east, kms.clientFor(ARN_EAST_OTHER_ACCOUNT), "cross-account keys of one region share its client");
      assertNotSame(east, kms.clientFor(ARN_WEST));
      assertEquals(2, built.get());
      assertEquals("us-east-1", east.serviceClientConfiguration().region().id());
    }
  }

  @Test
  void generateDataKey_malformedArn_badInput() {
    try (AwsKmsKeyService kms = offline().build()) {
      KeyServiceException e = assertThrows(KeyServiceException.class,
          () -> kms.generateDataKey("not-an-arn", EncryptionContext.empty()));
      assertEquals(KeyServiceException.ErrorClass.BAD_INPUT, e.errorClass());
    }
  }

  @Test
  void generateDataKey_unreachableEndpoint_transientWithCode() {
    try (AwsKmsKeyService kms = offline().maxAttempts(1).apiCallTimeout(Duration.ofSeconds(5)).build()) {
      KeyServiceException e = assertThrows(KeyServiceException.class,
          () -> kms.generateDataKey(ARN_EAST, EncryptionContext.of("tenant", "acme")));
      assertEquals(KeyServiceException.ErrorClass.TRANSIENT, e.errorClass());
      assertTrue(e.retryable());
      assertEquals("SdkClientException", e.errorCode());
    }
  }

  @Test
  void canDecrypt_onlyKmsDataKeysNamingAKeyArn() {
    try (AwsKmsKeyService kms = offline().build()) {
      assertTrue(kms.canDecrypt(EncryptedDataKey.of("aws-kms", ARN_EAST.getBytes(StandardCharsets.UTF_8), new byte[8])));
      assertFalse(kms.canDecrypt(EncryptedDataKey.of("aws-kms", "alias".getBytes(StandardCharsets.UTF_8), new byte[8])));
      assertFalse(kms.canDecrypt(EncryptedDataKey.of("byok-local", ARN_EAST.getBytes(StandardCharsets.UTF_8), new byte[8])));
      assertEquals("aws-kms", kms.providerId());
    }
  }

  @Test
  void builder_badValues_rejectedNamingThem() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> AwsKmsKeyService.builder().maxAttempts(0))
        .getMessage().contains("maxAttempts"));
    assertThrows(IllegalArgumentException.class, () -> AwsKmsKeyService.builder().endpointOverride(URI.create("relative")));
    assertThrows(IllegalArgumentException.class, () -> AwsKmsKeyService.builder().apiCallTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> AwsKmsKeyService.builder().apiCallTimeout(Duration.ofSeconds(1))
        .apiCallAttemptTimeout(Duration.ofSeconds(2)).build());
  }

  @Test
  void closed_refusesCalls() {
    AwsKmsKeyService kms = offline().build();
    kms.close();
    assertThrows(IllegalStateException.class, () -> kms.describeKey(ARN_EAST));
  }
}
