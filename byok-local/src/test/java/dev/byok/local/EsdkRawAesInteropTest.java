package dev.byok.local;

import dev.byok.core.keys.DecryptedDataKey;
import dev.byok.core.keys.EncryptedDataKey;
import dev.byok.core.keys.GeneratedDataKey;
import dev.byok.core.keys.KeyService;
import dev.byok.core.keys.KeyServiceException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.amazonaws.encryptionsdk.AwsCrypto;
import com.amazonaws.encryptionsdk.CommitmentPolicy;
import com.amazonaws.encryptionsdk.CryptoAlgorithm;
import com.amazonaws.encryptionsdk.DataKey;
import com.amazonaws.encryptionsdk.ParsedCiphertext;
import com.amazonaws.encryptionsdk.jce.JceMasterKey;
import com.amazonaws.encryptionsdk.model.KeyBlob;
import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyArn;
import dev.byok.core.internal.ContextWireFormat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.cryptography.materialproviders.IKeyring;
import software.amazon.cryptography.materialproviders.MaterialProviders;
import software.amazon.cryptography.materialproviders.model.AesWrappingAlg;
import software.amazon.cryptography.materialproviders.model.AlgorithmSuiteId;
import software.amazon.cryptography.materialproviders.model.CreateRawAesKeyringInput;
import software.amazon.cryptography.materialproviders.model.DecryptionMaterials;
import software.amazon.cryptography.materialproviders.model.ESDKAlgorithmSuiteId;
import software.amazon.cryptography.materialproviders.model.InitializeDecryptionMaterialsInput;
import software.amazon.cryptography.materialproviders.model.MaterialProvidersConfig;
import software.amazon.cryptography.materialproviders.model.OnDecryptInput;

/**
 * Data keys of {@link LocalKeyService} and of the AWS Encryption SDK's own raw AES keyring (ESDK
 * Java 3.0.2 and its Material Providers Library) read each other, given the same wrapping key,
 * key namespace and key name (the key ARN).
 */
class EsdkRawAesInteropTest {
  private LocalKeyService svc;
  private String key;
  private KeyService client;
  private byte[] wrappingKey;

  @BeforeEach
  void setUp() {
    svc = LocalKeyService.builder().keyNamespace("acme-local").build();
    key = svc.createKey("interop").toString();
    client = svc.ownerClient();
    wrappingKey = svc.exportKeyMaterialForTesting(key);
  }

  static Stream<Map<String, String>> contexts() {
    return Stream.of(Map.of(), Map.of("tenant", "acme"),
        Map.of("tenant", "acme", "data-class", "messages", "\uE000", "private", "\uD83D\uDE00", "emoji"));
  }

  private IKeyring mplRawAesKeyring() {
    MaterialProviders mpl = MaterialProviders.builder().MaterialProvidersConfig(MaterialProvidersConfig.builder().build()).build();
    return mpl.CreateRawAesKeyring(CreateRawAesKeyringInput.builder()
        .keyNamespace("acme-local").keyName(key).wrappingKey(ByteBuffer.wrap(wrappingKey))
        .wrappingAlg(AesWrappingAlg.ALG_AES256_GCM_IV12_TAG16).build());
  }

  @ParameterizedTest
  @MethodSource("contexts")
  void localDataKey_unwrappedByMplRawAesKeyring(Map<String, String> ctx) {
    GeneratedDataKey g = client.generateDataKey(KeyArn.parse(key), EncryptionContext.of(ctx));
    MaterialProviders mpl = MaterialProviders.builder().MaterialProvidersConfig(MaterialProvidersConfig.builder().build()).build();
    DecryptionMaterials materials = mpl.InitializeDecryptionMaterials(InitializeDecryptionMaterialsInput.builder()
        .algorithmSuiteId(AlgorithmSuiteId.builder().ESDK(ESDKAlgorithmSuiteId.ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY).build())
        .encryptionContext(ctx).requiredEncryptionContextKeys(List.of()).build());
    software.amazon.cryptography.materialproviders.model.EncryptedDataKey edk =
        software.amazon.cryptography.materialproviders.model.EncryptedDataKey.builder()
            .keyProviderId(g.encrypted().providerId())
            .keyProviderInfo(ByteBuffer.wrap(g.encrypted().providerInfo()))
            .ciphertext(ByteBuffer.wrap(g.encrypted().ciphertext())).build();
    ByteBuffer plaintext = mplRawAesKeyring().OnDecrypt(OnDecryptInput.builder().materials(materials)
        .encryptedDataKeys(List.of(edk)).build()).materials().plaintextDataKey();
    byte[] got = new byte[plaintext.remaining()];
    plaintext.get(got);
    assertArrayEquals(g.plaintext().copyBytes(), got);
  }

  @ParameterizedTest
  @MethodSource("contexts")
  void localDataKey_unwrappedByJceMasterKey(Map<String, String> ctx) {
    GeneratedDataKey g = client.generateDataKey(KeyArn.parse(key), EncryptionContext.of(ctx));
    JceMasterKey jce = JceMasterKey.getInstance(new SecretKeySpec(wrappingKey, "AES"), "acme-local", key, "AES/GCM/NoPadding");
    KeyBlob blob = new KeyBlob(g.encrypted().providerId(), g.encrypted().providerInfo(), g.encrypted().ciphertext());
    DataKey<JceMasterKey> dk = jce.decryptDataKey(CryptoAlgorithm.ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY, List.of(blob), ctx);
    assertArrayEquals(g.plaintext().copyBytes(), dk.getKey().getEncoded());
  }

  @ParameterizedTest
  @MethodSource("contexts")
  void jceMasterKeyDataKey_unwrappedByLocalKeyService(Map<String, String> ctx) {
    JceMasterKey jce = JceMasterKey.getInstance(new SecretKeySpec(wrappingKey, "AES"), "acme-local", key, "AES/GCM/NoPadding");
    DataKey<JceMasterKey> dk = jce.generateDataKey(CryptoAlgorithm.ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY, ctx);
    EncryptedDataKey edk = EncryptedDataKey.of(dk.getProviderId(), dk.getProviderInformation(), dk.getEncryptedDataKey());
    assertEquals(true, client.canDecrypt(edk));
    DecryptedDataKey d = client.decryptDataKey(KeyArn.parse(key), edk, EncryptionContext.of(ctx));
    assertArrayEquals(dk.getKey().getEncoded(), d.plaintext().copyBytes());
  }

  /** A whole ESDK message under the MPL raw AES keyring; the signing suite adds a reserved context pair. */
  @ParameterizedTest
  @MethodSource("contexts")
  void esdkMessageDataKey_unwrappedByLocalKeyService(Map<String, String> ctx) {
    AwsCrypto crypto = AwsCrypto.builder().withCommitmentPolicy(CommitmentPolicy.RequireEncryptRequireDecrypt).build();
    byte[] message = crypto.encryptData(mplRawAesKeyring(), "hello".getBytes(StandardCharsets.UTF_8), ctx).getResult();
    ParsedCiphertext parsed = new ParsedCiphertext(message);
    EncryptionContext.Builder b = EncryptionContext.builder();
    Map<String, String> reserved = new java.util.TreeMap<>();
    parsed.getEncryptionContextMap().forEach((k, v) -> {
      if (k.startsWith(EncryptionContext.RESERVED_PREFIX)) {
        reserved.put(k, v);
      } else {
        b.put(k, v);
      }
    });
    EncryptionContext context = b.build();
    for (Map.Entry<String, String> e : reserved.entrySet()) {
      context = ContextWireFormat.withReserved(context, e.getKey(), e.getValue());
    }
    assertEquals(ctx.size() + 1, context.size(), "the signing suite's public key is in the context");
    KeyBlob blob = parsed.getEncryptedKeyBlobs().get(0);
    EncryptedDataKey edk = EncryptedDataKey.of(blob.getProviderId(), blob.getProviderInformation(), blob.getEncryptedDataKey());
    assertEquals(32, client.decryptDataKey(KeyArn.parse(key), edk, context).plaintext().length());
    // Without the reserved pair the AAD differs: the wrapped key does not open.
    EncryptionContext withoutReserved = context.withoutReserved();
    KeyServiceException e = assertThrows(KeyServiceException.class, () -> client.decryptDataKey(KeyArn.parse(key), edk, withoutReserved));
    assertEquals("InvalidCiphertextException", e.errorCode());
  }
}
