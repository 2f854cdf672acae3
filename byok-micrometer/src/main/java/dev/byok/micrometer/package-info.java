/**
 * {@link dev.byok.micrometer.MicrometerCryptoMetrics}: byok-crypto's {@code CryptoMetrics} on a
 * Micrometer registry. Nothing here is nullable unless marked {@code @Nullable}.
 */
@NullMarked
package dev.byok.micrometer;

import org.jspecify.annotations.NullMarked;
