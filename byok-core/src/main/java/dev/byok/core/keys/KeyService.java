package dev.byok.core.keys;

import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyArn;

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
