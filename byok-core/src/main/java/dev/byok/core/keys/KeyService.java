package dev.byok.core.keys;

import dev.byok.core.EncryptionContext;

/**
 * The key-management operations the vendor side needs. Implementations: {@code AwsKmsKeyService}
 * (byok-aws, on AWS KMS) and {@code LocalKeyService} (embedded, for development and tests).
 *
 * <p>Every failure is a {@link KeyServiceException} with its {@link KeyServiceException.ErrorClass};
 * every result carries the service's request ID. Implementations are thread-safe.
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
   */
  GeneratedDataKey generateDataKey(String keyArn, EncryptionContext context);

  /**
   * Unwraps {@code edk}, which must have been made under {@code keyArn} with the same
   * {@code context}.
   */
  DecryptedDataKey decryptDataKey(String keyArn, EncryptedDataKey edk, EncryptionContext context);

  /** Describes the key: its ARN and state. Used to probe whether access has returned. */
  KeyDescription describeKey(String keyArn);
}
