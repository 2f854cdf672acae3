package dev.byok.core.keys;

import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyArn;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The key-management operations the vendor side needs. Implementations: {@code AwsKmsKeyService}
 * (byok-aws, on AWS KMS) and {@code LocalKeyService} (byok-local, embedded, for development and
 * tests).
 *
 * <p>Keys are named by {@link KeyArn}s parsed once, where the tenant directory is built, so no call
 * parses an ARN again. Every failure is a {@link KeyServiceException} with its
 * {@link KeyServiceException.ErrorClass}; every result carries the service's request ID.
 * Implementations are thread-safe.
 */
public interface KeyService {

  /**
   * The provider ID this service writes into and accepts from encrypted data keys
   * ({@code aws-kms} for AWS KMS).
   */
  String providerId();

  /** Whether this service can unwrap {@code edk} (by provider ID, and key ARN where it applies). */
  default boolean canDecrypt(EncryptedDataKey edk) {
    return providerId().equals(edk.providerId());
  }

  /**
   * Whether {@code edk}, read from a message, is a data key wrapped under the customer key
   * {@code keyArn} that this service can unwrap. {@code TenantCrypto} decrypts with the first
   * encrypted data key of a message for which this holds, with the tenant's key as {@code keyArn},
   * so a message never steers it to another key.
   *
   * <p>The default holds when {@link #canDecrypt(EncryptedDataKey)} does and the provider info is
   * {@code keyArn} itself (the AWS KMS keyring's layout) or {@code keyArn} followed by the raw AES
   * keyring's tag length, IV length and 12-byte IV ({@code LocalKeyService}'s layout). A service
   * that wraps under key names other than the ARN overrides it.
   */
  default boolean canDecrypt(KeyArn keyArn, EncryptedDataKey edk) {
    byte[] arn = keyArn.toString().getBytes(StandardCharsets.UTF_8);
    int infoLength = edk.providerInfoLength();
    int rawAesInfoLength = arn.length + 4 + 4 + 12; // key name, UInt32 tag bits, UInt32 IV length, IV
    if (infoLength != arn.length && infoLength != rawAesInfoLength) {
      return false;
    }
    return Arrays.equals(edk.providerInfo(), 0, arn.length, arn, 0, arn.length) && canDecrypt(edk);
  }

  /**
   * Generates a new 256-bit data key under the customer key {@code keyArn}, bound to
   * {@code context}.
   *
   * @throws KeyServiceException classified, with the service's error code and request ID
   */
  GeneratedDataKey generateDataKey(KeyArn keyArn, EncryptionContext context);

  /**
   * Unwraps {@code edk}, which must have been made under {@code keyArn} with the same
   * {@code context}.
   *
   * @throws KeyServiceException classified, with the service's error code and request ID
   */
  DecryptedDataKey decryptDataKey(KeyArn keyArn, EncryptedDataKey edk, EncryptionContext context);

  /**
   * Describes the key: its ARN and state. Used to probe whether access has returned.
   *
   * @throws KeyServiceException classified, with the service's error code and request ID
   */
  KeyDescription describeKey(KeyArn keyArn);
}
