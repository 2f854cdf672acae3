package dev.byok.crypto;

/**
 * Which implementation of the message format's primitives (AES-GCM, HKDF-SHA512, ECDSA P-384) a
 * {@link TenantCrypto} uses; set it with {@link TenantCrypto.Builder#cryptoProvider}. The bytes
 * written and accepted are the same with every choice; only the speed differs.
 *
 * <p>byok never installs a provider globally ({@code Security.insertProviderAt}): the choice applies
 * to byok's own calls only.
 */
public enum CryptoProvider {
  /**
   * The default: {@link #ACCP} when the Amazon Corretto Crypto Provider is on the class path (or
   * module path) and its {@code assertHealthy()} passes, otherwise {@link #JDK}. The choice is made
   * once per JVM and logged once.
   */
  AUTO,
  /** The JDK's providers (SunJCE, SunEC), found through the JCA's usual lookup. */
  JDK,
  /**
   * The Amazon Corretto Crypto Provider (AWS-LC), artifact
   * {@code software.amazon.cryptools:AmazonCorrettoCryptoProvider} with the classifier of the
   * platform (byok's CLI jar carries {@code linux-x86_64}); HKDF uses its native
   * {@code HkdfWithHmacSHA512}. Building a {@code TenantCrypto} with it fails when the provider is
   * absent or unhealthy.
   */
  ACCP;

  /**
   * What this choice resolves to in this JVM, for logs and {@code --version}, e.g.
   * {@code ACCP 2.5.0 (AWS-LC v1.47.0)} or {@code JDK (SunJCE 17)}.
   */
  public String describeResolved() {
    return dev.byok.crypto.internal.format.CryptoProviders.describe(this);
  }
}
