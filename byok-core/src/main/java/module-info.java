/**
 * byok core: value types ({@code KeyArn}, {@code EncryptionContext}, ...), the {@code KeyService}
 * SPI and the audit event model. Has no {@code internal} package; everything here is public API.
 */
module dev.byok.core {
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports dev.byok.core;
  exports dev.byok.core.audit;
  exports dev.byok.core.keys;
}
