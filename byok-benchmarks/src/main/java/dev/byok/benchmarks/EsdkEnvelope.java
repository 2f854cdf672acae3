package dev.byok.benchmarks;

import com.amazonaws.encryptionsdk.AwsCrypto;
import com.amazonaws.encryptionsdk.CommitmentPolicy;
import com.amazonaws.encryptionsdk.CryptoAlgorithm;
import com.amazonaws.encryptionsdk.CryptoMaterialsManager;
import com.amazonaws.encryptionsdk.CryptoResult;
import com.amazonaws.encryptionsdk.DefaultCryptoMaterialsManager;
import com.amazonaws.encryptionsdk.caching.CachingCryptoMaterialsManager;
import com.amazonaws.encryptionsdk.caching.LocalCryptoMaterialsCache;
import com.amazonaws.encryptionsdk.kmssdkv2.KmsMasterKeyProvider;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The AWS Encryption SDK for Java 3.0.2 on its fastest KMS path: suite 0x0478
 * (AES_256_GCM_HKDF_SHA512_COMMIT_KEY) or 0x0578 as the trial chooses, with the JDK's providers or ACCP
 * installed first ({@link CryptoChoice}), commitment policy REQUIRE_ENCRYPT_REQUIRE_DECRYPT, a strict
 * {@code kmssdkv2.KmsMasterKeyProvider} whose regional client is the shared {@link FakeKms}, and,
 * with {@link CacheMode#WARM}, a {@code CachingCryptoMaterialsManager} over a
 * {@code LocalCryptoMaterialsCache} (the only data-key cache the ESDK Java has: the Material
 * Providers Library 1.7 offers no caching CMM, and its hierarchical keyring needs a DynamoDB key
 * store and still wraps a fresh data key per message). Default frame size (4096 bytes). Decrypt
 * checks that the message's context holds the expected pairs, as a caller of the legacy CMM
 * must. Thread-safe.
 */
final class EsdkEnvelope implements Envelope {
  /** Cache limits generous enough never to bind in a benchmark iteration. */
  private static final int CACHE_CAPACITY = 1_000;
  private static final long MAX_AGE_MINUTES = 10;
  private static final long MESSAGE_USE_LIMIT = 1L << 32; // the ESDK maximum

  private final AwsCrypto crypto;
  private final CryptoMaterialsManager cmm;

  private final CryptoChoice choice;

  EsdkEnvelope(FakeKms kms, CacheMode cache, CryptoChoice choice) {
    this.choice = choice;
    choice.installGlobal();
    crypto = AwsCrypto.builder()
        .withCommitmentPolicy(CommitmentPolicy.RequireEncryptRequireDecrypt)
        .withEncryptionAlgorithm(choice.suite().equals("0578")
            ? CryptoAlgorithm.ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384
            : CryptoAlgorithm.ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY)
        .build();
    KmsMasterKeyProvider provider = KmsMasterKeyProvider.builder()
        .customRegionalClientSupplier(region -> kms)
        .buildStrict(kms.keyArn());
    if (cache == CacheMode.WARM) {
      cmm = CachingCryptoMaterialsManager.newBuilder()
          .withMasterKeyProvider(provider)
          .withCache(new LocalCryptoMaterialsCache(CACHE_CAPACITY))
          .withMaxAge(MAX_AGE_MINUTES, TimeUnit.MINUTES)
          .withMessageUseLimit(MESSAGE_USE_LIMIT)
          .build();
    } else {
      cmm = new DefaultCryptoMaterialsManager(provider);
    }
  }

  @Override
  public byte[] encrypt(byte[] plaintext, Map<String, String> context) {
    return crypto.encryptData(cmm, plaintext, context).getResult();
  }

  @Override
  public byte[] decrypt(byte[] message, Map<String, String> context) {
    CryptoResult<byte[], ?> result = crypto.decryptData(cmm, message);
    Map<String, String> stored = result.getEncryptionContext();
    for (Map.Entry<String, String> e : context.entrySet()) {
      if (!e.getValue().equals(stored.get(e.getKey()))) {
        throw new IllegalStateException("esdk: encryption context mismatch on key " + e.getKey());
      }
    }
    return result.getResult();
  }

  @Override
  public void close() {
    choice.uninstallGlobal();
  }
}
