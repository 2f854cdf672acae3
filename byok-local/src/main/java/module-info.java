/**
 * byok local: {@code LocalKeyService}, the embedded key service that behaves like AWS KMS for the
 * calls byok makes. For demos, the CLI's {@code keys} command and tests; not for production.
 * Null-marked with JSpecify.
 */
module dev.byok.local {
  requires transitive dev.byok.core;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports dev.byok.local;
}
