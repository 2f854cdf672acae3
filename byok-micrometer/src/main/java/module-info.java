/** byok micrometer: {@code MicrometerCryptoMetrics}, the Micrometer adapter of byok-crypto's {@code CryptoMetrics}. */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.byok.micrometer {
  requires transitive dev.byok.crypto;
  requires transitive micrometer.core;

  exports dev.byok.micrometer;
}
