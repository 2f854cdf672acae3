/**
 * byok crypto: {@code TenantCrypto} envelope encryption on a {@code KeyService}, the AWS KMS key
 * service and the audit sinks. The {@code ...internal} packages are not exported.
 *
 * <p>Micrometer is optional ({@code requires static}): the module resolves and runs without it;
 * only {@code MicrometerAuditMetrics} and a registry passed to {@code TenantCrypto} need it.
 * {@code requires transitive} covers every module whose types appear in the exported API
 * (javac {@code -Xlint:exports} is clean).
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.byok.crypto {
  requires transitive dev.byok.core;
  requires transitive com.github.benmanes.caffeine;
  requires transitive org.slf4j;
  requires static transitive micrometer.core;
  requires com.fasterxml.jackson.databind;
  requires org.bouncycastle.provider;

  requires transitive software.amazon.awssdk.services.kms;
  requires transitive software.amazon.awssdk.services.sts;
  requires transitive software.amazon.awssdk.services.cloudwatchlogs;
  requires transitive software.amazon.awssdk.auth;
  requires transitive software.amazon.awssdk.core;
  requires transitive software.amazon.awssdk.http;
  requires software.amazon.awssdk.awscore;
  requires software.amazon.awssdk.regions;
  requires software.amazon.awssdk.http.apache;
  requires software.amazon.awssdk.retries.api;
  requires software.amazon.awssdk.retries;

  exports dev.byok.crypto;
  exports dev.byok.crypto.audit;
  exports dev.byok.crypto.kms;
}
