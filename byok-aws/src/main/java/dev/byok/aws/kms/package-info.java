/**
 * {@link dev.byok.aws.kms.AwsKmsKeyService}: the {@code KeyService} SPI on AWS KMS, and the
 * classification of KMS errors into definitive, transient and bad-input failures. Nothing here is
 * nullable unless marked {@code @Nullable}.
 */
@NullMarked
package dev.byok.aws.kms;

import org.jspecify.annotations.NullMarked;
