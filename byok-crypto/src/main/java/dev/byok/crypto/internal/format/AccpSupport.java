package dev.byok.crypto.internal.format;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.Provider;

/**
 * The only code that names ACCP's provider class; loaded only after {@link CryptoProviders} found
 * that class, so byok-crypto runs without ACCP on the class path.
 */
final class AccpSupport {
  private AccpSupport() {}

  /** ACCP's instance after {@code assertHealthy()} (which throws when the native library failed). */
  static Provider healthyInstance() {
    AmazonCorrettoCryptoProvider p = AmazonCorrettoCryptoProvider.INSTANCE;
    p.assertHealthy();
    return p;
  }

  static String versions(Provider p) {
    AmazonCorrettoCryptoProvider a = (AmazonCorrettoCryptoProvider) p;
    return a.getVersionStr() + " (" + a.getAwsLcVersionStr() + ")";
  }
}
