/**
 * {@link dev.byok.aws.kms.AwsKmsKeyService}: the {@code KeyService} SPI on AWS KMS, and the
 * classification of KMS errors into definitive, transient and bad-input failures.
 */
package dev.byok.aws.kms;
