package dev.byok.aws.kms;

import dev.byok.crypto.AlgorithmSuite;
import dev.byok.crypto.TenantCrypto;
import dev.byok.core.TenantDirectory;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.encryptionsdk.AwsCrypto;
import com.amazonaws.encryptionsdk.CommitmentPolicy;
import com.amazonaws.encryptionsdk.CryptoAlgorithm;
import com.amazonaws.encryptionsdk.CryptoResult;
import dev.byok.core.AccessReason;
import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyArn;
import dev.byok.core.ReasonCode;
import dev.byok.testing.Emulators;
import dev.byok.testing.WithEmulators;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.cryptography.materialproviders.IKeyring;
import software.amazon.cryptography.materialproviders.MaterialProviders;
import software.amazon.cryptography.materialproviders.model.CreateAwsKmsKeyringInput;
import software.amazon.cryptography.materialproviders.model.MaterialProvidersConfig;

/**
 * Interop with the AWS Encryption SDK for Java 3.0.2 and its AWS KMS keyring, on the same KMS
 * (local-kms): a message from {@link TenantCrypto} on {@link AwsKmsKeyService} decrypts with the
 * ESDK, and an ESDK message decrypts with {@link TenantCrypto}, for both suites.
 */
@WithEmulators
class EsdkKmsInteropIT {
  private static final Map<String, String> CONTEXT = Map.of("tenant", "acme", "data-class", "messages");
  private static final AccessReason R = AccessReason.of(ReasonCode.USER_REQUEST);
  private static final byte[] PLAINTEXT = ("interop with the AWS Encryption SDK, " + "x".repeat(10_000))
      .getBytes(StandardCharsets.UTF_8);

  private KmsClient esdkKms;
  private AwsKmsKeyService kms;
  private String keyArn;
  private IKeyring keyring;

  @BeforeEach
  void setUp(Emulators emu) {
    esdkKms = emu.localKms(KmsClient.builder()).build();
    keyArn = esdkKms.createKey(b -> b.description("interop")).keyMetadata().arn();
    kms = AwsKmsKeyService.builder().clientBuilder(() -> emu.localKms(KmsClient.builder())).build();
    MaterialProviders mpl = MaterialProviders.builder().MaterialProvidersConfig(MaterialProvidersConfig.builder().build()).build();
    keyring = mpl.CreateAwsKmsKeyring(CreateAwsKmsKeyringInput.builder().kmsKeyId(keyArn).kmsClient(esdkKms).build());
  }

  @AfterEach
  void tearDown() {
    kms.close();
    esdkKms.close();
  }

  private TenantCrypto crypto(AlgorithmSuite suite) {
    return TenantCrypto.builder().keyService(kms).tenants(TenantDirectory.builder().put("acme", KeyArn.parse(keyArn)).build())
        .algorithmSuite(suite).build();
  }

  private static CryptoAlgorithm esdkAlgorithm(AlgorithmSuite suite) {
    return suite.isSigned() ? CryptoAlgorithm.ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384
        : CryptoAlgorithm.ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY;
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void byokMessage_decryptsWithEsdkKmsKeyring(AlgorithmSuite suite) {
    byte[] message;
    try (TenantCrypto crypto = crypto(suite)) {
      message = crypto.encrypt("acme", EncryptionContext.of(CONTEXT), R, PLAINTEXT);
    }
    AwsCrypto esdk = AwsCrypto.builder().withCommitmentPolicy(CommitmentPolicy.RequireEncryptRequireDecrypt).build();
    CryptoResult<byte[], ?> r = esdk.decryptData(keyring, message, CONTEXT);
    assertArrayEquals(PLAINTEXT, r.getResult());
    assertEquals(esdkAlgorithm(suite), r.getCryptoAlgorithm());
    assertTrue(r.getEncryptionContext().entrySet().containsAll(CONTEXT.entrySet()));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void esdkMessage_decryptsWithTenantCrypto(AlgorithmSuite suite) {
    AwsCrypto esdk = AwsCrypto.builder().withCommitmentPolicy(CommitmentPolicy.RequireEncryptRequireDecrypt)
        .withEncryptionAlgorithm(esdkAlgorithm(suite)).build();
    byte[] message = esdk.encryptData(keyring, PLAINTEXT, CONTEXT).getResult();
    try (TenantCrypto crypto = crypto(AlgorithmSuite.defaultSuite())) {
      assertArrayEquals(PLAINTEXT, crypto.decrypt("acme", EncryptionContext.of(CONTEXT), R, message));
    }
  }
}
