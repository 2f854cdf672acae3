package dev.byok.cli;

import dev.byok.crypto.CryptoProvider;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code byok --version}: the version, the Java runtime and the crypto provider that
 * {@link CryptoProvider#AUTO} resolves to here (ACCP when its native library loads on this
 * platform, else the JDK's).
 */
final class VersionProvider implements IVersionProvider {
  static final String VERSION = "byok 0.1.0-SNAPSHOT";

  @Override
  public String[] getVersion() {
    return new String[] {
      VERSION,
      "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ")",
      "crypto provider: " + CryptoProvider.AUTO.describeResolved(),
    };
  }
}
