/**
 * byok crypto: {@code TenantCrypto} envelope encryption on a {@code KeyService}: the AWS Encryption
 * SDK message format, the data-key caches, revocation and the generic audit sinks. It has no AWS
 * SDK dependency and no third-party type in its exported API; the AWS adapters are in
 * {@code dev.byok.aws}. The {@code ...internal} packages are not exported. Null-marked with
 * JSpecify.
 */
@SuppressWarnings("requires-automatic")
module dev.byok.crypto {
  requires transitive dev.byok.core;
  requires com.github.benmanes.caffeine;
  requires org.crac; // CRaC / SnapStart hooks; a no-op without CRaC
  requires org.slf4j;
  requires org.bouncycastle.provider;
  // Optional (CryptoProvider AUTO/ACCP): read only when present, looked up by class name first.
  requires static com.amazon.corretto.crypto.provider;
  requires static transitive org.jspecify;

  exports dev.byok.crypto;
  exports dev.byok.crypto.audit;
  exports dev.byok.crypto.fleet;
}
