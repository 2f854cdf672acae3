package dev.byok.aws.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyArn;
import dev.byok.core.keys.EncryptedDataKey;
import dev.byok.core.keys.GeneratedDataKey;
import dev.byok.core.keys.KeyServiceException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.DefaultAwsResponseMetadata;
import software.amazon.awssdk.awscore.util.AwsHeader;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;
import software.amazon.awssdk.services.kms.model.DecryptRequest;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.DescribeKeyRequest;
import software.amazon.awssdk.services.kms.model.DescribeKeyResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyRequest;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;

/** Offline behaviour of {@link AwsKmsKeyService}: builder checks, clients per region, data-key recognition. */
class AwsKmsKeyServiceTest {
  private static final String ARN_EAST_TEXT = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final KeyArn ARN_EAST = KeyArn.parse(ARN_EAST_TEXT);
  private static final KeyArn ARN_EAST_OTHER_ACCOUNT = KeyArn.parse("arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab");
  private static final KeyArn ARN_WEST = KeyArn.parse("arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
  private static final KeyArn ALIAS_EAST = KeyArn.parse("arn:aws:kms:us-east-1:111122223333:alias/acme");

  /** A KMS client whose GenerateDataKey answers with {@code keyId} and a 32-byte data key. */
  private static KmsClient answering(String keyId) {
    return new KmsClient() {
      @Override
      public GenerateDataKeyResponse generateDataKey(GenerateDataKeyRequest request) {
        return (GenerateDataKeyResponse) GenerateDataKeyResponse.builder().keyId(keyId)
            .plaintext(SdkBytes.fromByteArray(new byte[32])).ciphertextBlob(SdkBytes.fromByteArray(new byte[8]))
            .responseMetadata(DefaultAwsResponseMetadata.create(Map.of(AwsHeader.AWS_REQUEST_ID, "req-1"))).build();
      }

      @Override
      public String serviceName() {
        return "kms";
      }

      @Override
      public void close() {}
    };
  }

  /** A service whose every region's client is {@code client}: the supplied builder ignores its settings. */
  private static AwsKmsKeyService over(KmsClient client) {
    return offline().clientBuilder(() -> (KmsClientBuilder) Proxy.newProxyInstance(
        AwsKmsKeyServiceTest.class.getClassLoader(), new Class<?>[] {KmsClientBuilder.class},
        (proxy, method, args) -> {
          if (method.getName().equals("build") && method.getParameterCount() == 0) {
            return client;
          }
          if (method.getDeclaringClass() == Object.class) {
            return method.getName().equals("equals") ? proxy == args[0]
                : method.getName().equals("hashCode") ? System.identityHashCode(proxy) : "FakeKmsClientBuilder";
          }
          return method.getReturnType().isInstance(proxy) ? proxy : null;
        })).build();
  }

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

  // A malformed ARN can no longer reach the service: the calls take a parsed KeyArn. What the
  // service still checks is the ARN KMS answers with.

  @Test
  void generateDataKey_answerIsNotAKeyArn_malformedResponse() {
    try (AwsKmsKeyService kms = over(answering("not-an-arn"))) {
      KeyServiceException e = assertThrows(KeyServiceException.class,
          () -> kms.generateDataKey(ARN_EAST, EncryptionContext.empty()));
      assertEquals("MalformedResponse", e.errorCode());
      assertEquals(ARN_EAST_TEXT, e.keyArn());
    }
  }

  @Test
  void generateDataKey_answerNamesTheRequestedKey_noReparsing() {
    try (AwsKmsKeyService kms = over(answering(ARN_EAST_TEXT))) {
      GeneratedDataKey g = kms.generateDataKey(ARN_EAST, EncryptionContext.empty());
      assertSame(ARN_EAST, g.keyArn());
      assertEquals("req-1", g.requestId());
      assertEquals(ARN_EAST_TEXT, g.encrypted().providerInfoAsString());
    }
  }

  @Test
  void generateDataKey_byAliasArn_answerIsTheKeyArn() {
    try (AwsKmsKeyService kms = over(answering(ARN_EAST_TEXT))) {
      assertEquals(ARN_EAST, kms.generateDataKey(ALIAS_EAST, EncryptionContext.empty()).keyArn());
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
      assertTrue(kms.canDecrypt(EncryptedDataKey.of("aws-kms", ARN_EAST_TEXT.getBytes(StandardCharsets.UTF_8), new byte[8])));
      assertFalse(kms.canDecrypt(EncryptedDataKey.of("aws-kms", "alias".getBytes(StandardCharsets.UTF_8), new byte[8])));
      assertFalse(kms.canDecrypt(EncryptedDataKey.of("byok-local", ARN_EAST_TEXT.getBytes(StandardCharsets.UTF_8), new byte[8])));
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
  void builder_settingTwice_rejectedNamingIt() {
    assertEquals("AwsKmsKeyService.Builder: maxAttempts was already set", assertThrows(IllegalStateException.class,
        () -> AwsKmsKeyService.builder().maxAttempts(2).maxAttempts(3)).getMessage());
    assertEquals("AwsKmsKeyService.Builder: endpointOverride was already set", assertThrows(IllegalStateException.class,
        () -> offline().endpointOverride(URI.create("http://127.0.0.1:2"))).getMessage());
  }

  @Test
  void closed_refusesCalls() {
    AwsKmsKeyService kms = offline().build();
    kms.close();
    assertThrows(IllegalStateException.class, () -> kms.describeKey(ARN_EAST));
  }

  /** A KMS client answering every call for {@code ARN_EAST} with {@code metadata}'s headers, like local-kms (no request ID). */
  private static KmsClient answeringWithHeaders(Map<String, String> metadata) {
    return new KmsClient() {
      @Override
      public GenerateDataKeyResponse generateDataKey(GenerateDataKeyRequest request) {
        return (GenerateDataKeyResponse) GenerateDataKeyResponse.builder().keyId(ARN_EAST_TEXT)
            .plaintext(SdkBytes.fromByteArray(new byte[32])).ciphertextBlob(SdkBytes.fromByteArray(new byte[8]))
            .responseMetadata(DefaultAwsResponseMetadata.create(metadata)).build();
      }

      @Override
      public DecryptResponse decrypt(DecryptRequest request) {
        return (DecryptResponse) DecryptResponse.builder().keyId(ARN_EAST_TEXT)
            .plaintext(SdkBytes.fromByteArray(new byte[32]))
            .responseMetadata(DefaultAwsResponseMetadata.create(metadata)).build();
      }

      @Override
      public DescribeKeyResponse describeKey(DescribeKeyRequest request) {
        return (DescribeKeyResponse) DescribeKeyResponse.builder()
            .keyMetadata(KeyMetadata.builder().arn(ARN_EAST_TEXT).keyState(KeyState.ENABLED).build())
            .responseMetadata(DefaultAwsResponseMetadata.create(metadata)).build();
      }

      @Override
      public String serviceName() {
        return "kms";
      }

      @Override
      public void close() {}
    };
  }

  // Issue 19 item 3: the SDK reports a missing request ID as the text "UNKNOWN" (local-kms sends
  // none); that must not reach audit events, where it would join falsely with CloudTrail.
  @Test
  void noRequestIdHeader_requestIdIsNull_neverTheSdksUnknown() {
    EncryptedDataKey edk = EncryptedDataKey.of("aws-kms", ARN_EAST_TEXT.getBytes(StandardCharsets.UTF_8), new byte[8]);
    try (AwsKmsKeyService kms = over(answeringWithHeaders(Map.of()))) {
      assertNull(kms.generateDataKey(ARN_EAST, EncryptionContext.empty()).requestId());
      assertNull(kms.decryptDataKey(ARN_EAST, edk, EncryptionContext.empty()).requestId());
      assertNull(kms.describeKey(ARN_EAST).requestId());
    }
    try (AwsKmsKeyService kms = over(answeringWithHeaders(Map.of(AwsHeader.AWS_REQUEST_ID, "")))) {
      assertNull(kms.generateDataKey(ARN_EAST, EncryptionContext.empty()).requestId());
    }
    try (AwsKmsKeyService kms = over(answeringWithHeaders(Map.of(AwsHeader.AWS_REQUEST_ID, "req-7")))) {
      assertEquals("req-7", kms.decryptDataKey(ARN_EAST, edk, EncryptionContext.empty()).requestId());
      assertEquals("req-7", kms.describeKey(ARN_EAST).requestId());
    }
  }
}
