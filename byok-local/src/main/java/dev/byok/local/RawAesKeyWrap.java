package dev.byok.local;

import dev.byok.core.keys.EncryptedDataKey;
import dev.byok.core.EncryptionContext;
import dev.byok.core.internal.ContextWireFormat;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AWS Encryption SDK raw AES keyring's encrypted-data-key layout (specification
 * {@code framework/raw-aes-keyring.md}), big-endian:
 *
 * <pre>
 * provider ID   = key namespace (UTF-8)
 * provider info = key name (UTF-8) ‖ UInt32 tag length in bits (128) ‖ UInt32 IV length in bytes (12) ‖ IV
 * ciphertext    = AES-256-GCM(wrapping key, IV, AAD = serialized encryption context, data key) ‖ 16-byte tag
 * </pre>
 *
 * <p>Package-private; stateless and thread-safe.
 */
final class RawAesKeyWrap {
  static final int TAG_LENGTH_IN_BITS = 128;
  static final int TAG_LENGTH_IN_BYTES = TAG_LENGTH_IN_BITS / 8;
  static final int IV_LENGTH_IN_BYTES = 12;
  static final int DATA_KEY_LENGTH_IN_BYTES = 32;
  /** The provider-info bytes after the key name: two UInt32 and the IV. */
  static final int PROVIDER_INFO_SUFFIX_LENGTH = 4 + 4 + IV_LENGTH_IN_BYTES;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";

  /** Why an encrypted data key could not be unwrapped. */
  enum Failure { NOT_OURS, WRONG_KEY, INVALID }

  /** Thrown by {@link #unwrap}; carries no detail that could act as an oracle. */
  static final class UnwrapException extends Exception {
    private static final long serialVersionUID = 1L;
    final Failure failure;

    UnwrapException(Failure failure) {
      super(failure.name(), null, false, false);
      this.failure = failure;
    }
  }

  private RawAesKeyWrap() {}

  static EncryptedDataKey wrap(String keyNamespace, byte[] keyName, SecretKeySpec wrappingKey, byte[] dataKey,
      EncryptionContext context, SecureRandom random) throws GeneralSecurityException {
    byte[] iv = new byte[IV_LENGTH_IN_BYTES];
    random.nextBytes(iv);
    Cipher cipher = Cipher.getInstance(TRANSFORMATION);
    cipher.init(Cipher.ENCRYPT_MODE, wrappingKey, new GCMParameterSpec(TAG_LENGTH_IN_BITS, iv));
    if (!context.isEmpty()) {
      cipher.updateAAD(ContextWireFormat.serialize(context));
    }
    byte[] ciphertext = cipher.doFinal(dataKey); // wrapped key ‖ tag, as the layout wants
    byte[] providerInfo = ByteBuffer.allocate(keyName.length + PROVIDER_INFO_SUFFIX_LENGTH)
        .put(keyName).putInt(TAG_LENGTH_IN_BITS).putInt(IV_LENGTH_IN_BYTES).put(iv).array();
    return EncryptedDataKey.of(keyNamespace, providerInfo, ciphertext);
  }

  /**
   * The key name in {@code providerInfo}, or {@code null} if it is not a raw AES keyring provider
   * info with a 128-bit tag and a 12-byte IV.
   */
  static byte[] keyName(byte[] providerInfo) {
    int nameLength = providerInfo.length - PROVIDER_INFO_SUFFIX_LENGTH;
    if (nameLength <= 0) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(providerInfo, nameLength, 8);
    if (b.getInt() != TAG_LENGTH_IN_BITS || b.getInt() != IV_LENGTH_IN_BYTES) {
      return null;
    }
    return Arrays.copyOf(providerInfo, nameLength);
  }

  static byte[] unwrap(String keyNamespace, byte[] keyName, SecretKeySpec wrappingKey, EncryptedDataKey edk,
      EncryptionContext context) throws UnwrapException, GeneralSecurityException {
    if (!keyNamespace.equals(edk.providerId())) {
      throw new UnwrapException(Failure.NOT_OURS);
    }
    byte[] providerInfo = edk.providerInfo();
    byte[] name = keyName(providerInfo);
    if (name == null) {
      throw new UnwrapException(Failure.INVALID);
    }
    if (!MessageDigest.isEqual(name, keyName)) {
      throw new UnwrapException(Failure.WRONG_KEY);
    }
    if (edk.ciphertextLength() != DATA_KEY_LENGTH_IN_BYTES + TAG_LENGTH_IN_BYTES) {
      throw new UnwrapException(Failure.INVALID);
    }
    byte[] iv = Arrays.copyOfRange(providerInfo, providerInfo.length - IV_LENGTH_IN_BYTES, providerInfo.length);
    Cipher cipher = Cipher.getInstance(TRANSFORMATION);
    cipher.init(Cipher.DECRYPT_MODE, wrappingKey, new GCMParameterSpec(TAG_LENGTH_IN_BITS, iv));
    if (!context.isEmpty()) {
      cipher.updateAAD(ContextWireFormat.serialize(context));
    }
    try {
      return cipher.doFinal(edk.ciphertext());
    } catch (AEADBadTagException e) {
      throw new UnwrapException(Failure.INVALID);
    }
  }
}
