/**
 * {@link dev.byok.crypto.TenantCrypto}, the vendor's entry point: envelope encryption of each
 * tenant's data under the tenant's customer key in the AWS Encryption SDK message format, with its
 * settings ({@link dev.byok.crypto.CachePolicy}, {@link dev.byok.crypto.RevocationPolicy},
 * {@link dev.byok.crypto.AlgorithmSuite}), the operator's revocation controls
 * ({@link dev.byok.crypto.KeyAccessControl}) and the injection points for time, threads and
 * metrics ({@link dev.byok.crypto.Ticker}, {@link dev.byok.crypto.Scheduler},
 * {@link dev.byok.crypto.CryptoMetrics}). Nothing here is nullable unless marked {@code @Nullable}.
 */
@NullMarked
package dev.byok.crypto;

import org.jspecify.annotations.NullMarked;
