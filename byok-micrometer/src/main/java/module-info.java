/**
 * byok micrometer: {@code MicrometerCryptoMetrics}, the Micrometer adapter of byok-crypto's
 * {@code CryptoMetrics}. Null-marked with JSpecify.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.byok.micrometer {
  requires transitive dev.byok.crypto;
  requires transitive micrometer.core;
  requires static transitive org.jspecify;

  exports dev.byok.micrometer;
}
