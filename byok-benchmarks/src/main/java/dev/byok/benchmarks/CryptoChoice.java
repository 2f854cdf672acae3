package dev.byok.benchmarks;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import dev.byok.crypto.AlgorithmSuite;
import dev.byok.crypto.CryptoProvider;
import java.security.Provider;

/**
 * The crypto provider and algorithm suite of one benchmark trial, from the {@code provider}
 * ({@code jdk}, {@code accp}) and {@code suite} ({@code 0478}, {@code 0578}) parameters. byok and
 * jca are handed the provider explicitly; esdk and tink have no provider option, so with
 * {@code accp} they get ACCP inserted as the JCA's first provider for the trial (what the ESDK's
 * documentation recommends), removed again when the trial ends. Suites apply to byok and esdk;
 * tink and jca have none and ignore it.
 *
 * @param provider {@code jdk} or {@code accp}
 * @param suite {@code 0478} or {@code 0578}
 */
public record CryptoChoice(String provider, String suite) {
  /** JDK providers, suite 0x0478: the benchmarks that have no provider parameter. */
  public static final CryptoChoice DEFAULT = new CryptoChoice("jdk", "0478");

  public CryptoChoice {
    if (!provider.equals("jdk") && !provider.equals("accp")) {
      throw new IllegalArgumentException("provider must be jdk or accp, got '" + provider + "'");
    }
    if (!suite.equals("0478") && !suite.equals("0578")) {
      throw new IllegalArgumentException("suite must be 0478 or 0578, got '" + suite + "'");
    }
  }

  boolean accp() {
    return provider.equals("accp");
  }

  CryptoProvider byokProvider() {
    return accp() ? CryptoProvider.ACCP : CryptoProvider.JDK;
  }

  AlgorithmSuite byokSuite() {
    return suite.equals("0578") ? AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384
        : AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY;
  }

  /** ACCP after {@code assertHealthy()}, or {@code null} for {@code jdk}. */
  Provider jcaProvider() {
    if (!accp()) {
      return null;
    }
    AmazonCorrettoCryptoProvider.INSTANCE.assertHealthy();
    return AmazonCorrettoCryptoProvider.INSTANCE;
  }

  /** For esdk and tink with {@code accp}: ACCP first in the JCA list until {@link #uninstallGlobal}. */
  void installGlobal() {
    if (accp()) {
      AmazonCorrettoCryptoProvider.install();
      AmazonCorrettoCryptoProvider.INSTANCE.assertHealthy();
    }
  }

  void uninstallGlobal() {
    if (accp()) {
      java.security.Security.removeProvider(AmazonCorrettoCryptoProvider.PROVIDER_NAME);
    }
  }
}
