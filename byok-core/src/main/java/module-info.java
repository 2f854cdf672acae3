/**
 * byok core: value types ({@code KeyArn}, {@code EncryptionContext}, ...), the tenant directory,
 * the {@code KeyService} and {@code AuditSink} SPIs and the exceptions. No AWS SDK. The
 * {@code ...internal} package (the audit event's JSON line writer) is exported only to byok's own
 * modules that deliver events.
 */
module dev.byok.core {
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports dev.byok.core;
  exports dev.byok.core.audit;
  exports dev.byok.core.keys;
  exports dev.byok.core.internal to dev.byok.crypto, dev.byok.aws;
}
