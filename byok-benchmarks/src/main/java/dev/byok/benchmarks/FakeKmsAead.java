package dev.byok.benchmarks;

import com.google.crypto.tink.Aead;
import java.security.GeneralSecurityException;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DecryptRequest;
import software.amazon.awssdk.services.kms.model.EncryptRequest;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * A Tink {@link Aead} backed by a KMS key, shaped like Tink's own {@code AwsKmsAead}: Encrypt and
 * Decrypt calls on a {@link KmsClient}, the associated data (if any) sent as the encryption context
 * pair {@code additional_associated_data} in hex. Thread-safe if the client is.
 */
final class FakeKmsAead implements Aead {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final KmsClient kms;
  private final String keyArn;

  FakeKmsAead(KmsClient kms, String keyArn) {
    this.kms = kms;
    this.keyArn = keyArn;
  }

  @Override
  public byte[] encrypt(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
    try {
      EncryptRequest.Builder req = EncryptRequest.builder().keyId(keyArn).plaintext(SdkBytes.fromByteArray(plaintext));
      if (associatedData != null && associatedData.length > 0) {
        req.encryptionContext(Map.of("additional_associated_data", hex(associatedData)));
      }
      return kms.encrypt(req.build()).ciphertextBlob().asByteArray();
    } catch (KmsException e) {
      throw new GeneralSecurityException("KMS encrypt failed", e);
    }
  }

  @Override
  public byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
    try {
      DecryptRequest.Builder req = DecryptRequest.builder().keyId(keyArn).ciphertextBlob(SdkBytes.fromByteArray(ciphertext));
      if (associatedData != null && associatedData.length > 0) {
        req.encryptionContext(Map.of("additional_associated_data", hex(associatedData)));
      }
      return kms.decrypt(req.build()).plaintext().asByteArray();
    } catch (KmsException e) {
      throw new GeneralSecurityException("KMS decrypt failed", e);
    }
  }

  private static String hex(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
      out[2 * i + 1] = HEX[bytes[i] & 0xF];
    }
    return new String(out);
  }
}
