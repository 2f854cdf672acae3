package dev.byok.crypto.format;

import com.amazonaws.encryptionsdk.AwsCrypto;
import com.amazonaws.encryptionsdk.CommitmentPolicy;
import com.amazonaws.encryptionsdk.CryptoAlgorithm;
import dev.byok.core.EncryptionContext;
import dev.byok.core.internal.ContextWireFormat;
import dev.byok.core.keys.EncryptedDataKey;
import dev.byok.core.keys.PlaintextDataKey;
import dev.byok.crypto.AlgorithmSuite;
import dev.byok.crypto.internal.format.MessageHeader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.cryptography.materialproviders.IKeyring;
import software.amazon.cryptography.materialproviders.MaterialProviders;
import software.amazon.cryptography.materialproviders.model.AesWrappingAlg;
import software.amazon.cryptography.materialproviders.model.CreateRawAesKeyringInput;
import software.amazon.cryptography.materialproviders.model.MaterialProvidersConfig;

/**
 * A test's own implementation of the ESDK raw AES keyring's data-key wrapping (AES-256-GCM), so
 * both sides of an interop test share the data key without KMS: provider ID = the key namespace,
 * provider info = key name ‖ UInt32 tag length in bits (128) ‖ UInt32 IV length (12) ‖ IV,
 * ciphertext = wrapped key ‖ tag, AAD = the serialized encryption context (the full context, with
 * the public key of a signed suite). {@link #esdkKeyring()} is the ESDK's keyring on the same key.
 */
final class RawAesKeyring {
  static final String NAMESPACE = "byok-interop";
  static final String KEY_NAME = "wrapping-key-1";

  private final byte[] wrappingKey;

  RawAesKeyring(byte[] wrappingKey) {
    this.wrappingKey = wrappingKey.clone();
  }

  IKeyring esdkKeyring() {
    MaterialProviders mpl = MaterialProviders.builder().MaterialProvidersConfig(MaterialProvidersConfig.builder().build()).build();
    return mpl.CreateRawAesKeyring(CreateRawAesKeyringInput.builder()
        .keyNamespace(NAMESPACE).keyName(KEY_NAME).wrappingKey(ByteBuffer.wrap(wrappingKey.clone()))
        .wrappingAlg(AesWrappingAlg.ALG_AES256_GCM_IV12_TAG16).build());
  }

  static AwsCrypto esdk(AlgorithmSuite suite, int frameLength) {
    return AwsCrypto.builder()
        .withCommitmentPolicy(CommitmentPolicy.RequireEncryptRequireDecrypt)
        .withEncryptionAlgorithm(suite.isSigned() ? CryptoAlgorithm.ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384
            : CryptoAlgorithm.ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY)
        .withEncryptionFrameSize(frameLength)
        .build();
  }

  EncryptedDataKey wrap(PlaintextDataKey dataKey, EncryptionContext fullContext) {
    byte[] iv = new byte[12];
    new SecureRandom().nextBytes(iv);
    byte[] sealed = cipher(Cipher.ENCRYPT_MODE, iv, fullContext, dataKey.copyBytes());
    byte[] name = KEY_NAME.getBytes(StandardCharsets.UTF_8);
    ByteBuffer info = ByteBuffer.allocate(name.length + 4 + 4 + 12).put(name).putInt(128).putInt(12).put(iv);
    return EncryptedDataKey.of(NAMESPACE, info.array(), sealed);
  }

  PlaintextDataKey unwrap(MessageHeader header) {
    byte[] name = KEY_NAME.getBytes(StandardCharsets.UTF_8);
    for (EncryptedDataKey edk : header.edks()) {
      byte[] info = edk.providerInfo();
      if (edk.providerId().equals(NAMESPACE) && info.length == name.length + 20
          && Arrays.equals(name, Arrays.copyOf(info, name.length))) {
        byte[] iv = Arrays.copyOfRange(info, name.length + 8, info.length);
        return PlaintextDataKey.wrap(cipher(Cipher.DECRYPT_MODE, iv, header.context(), edk.ciphertext()));
      }
    }
    throw new IllegalStateException("no data key of " + NAMESPACE + "/" + KEY_NAME + " in " + header);
  }

  private byte[] cipher(int mode, byte[] iv, EncryptionContext context, byte[] input) {
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(mode, new SecretKeySpec(wrappingKey, "AES"), new GCMParameterSpec(128, iv));
      c.updateAAD(ContextWireFormat.serialize(context));
      return c.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
