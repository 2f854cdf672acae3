/**
 * byok core: value types ({@code KeyArn}, {@code EncryptionContext}, ...), the tenant directory,
 * the {@code KeyService} and {@code AuditSink} SPIs and the exceptions. No AWS SDK. The
 * {@code ...internal} package (the encryption context's wire format, the audit event's JSON line
 * writer) is exported only to byok's own modules. Null-marked with JSpecify.
 */
module dev.byok.core {
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports dev.byok.core;
  exports dev.byok.core.audit;
  exports dev.byok.core.keys;
  exports dev.byok.core.internal to dev.byok.crypto, dev.byok.local, dev.byok.aws;
}
