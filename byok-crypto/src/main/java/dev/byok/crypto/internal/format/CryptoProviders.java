package dev.byok.crypto.internal.format;

import dev.byok.crypto.CryptoProvider;
import java.security.Provider;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves a {@link CryptoProvider} choice to {@link CryptoProvider#JDK} or {@link CryptoProvider#ACCP}
 * and hands out the {@link Provider} object behind ACCP. ACCP is looked for once per JVM: its class
 * is loaded by name (it is an optional dependency) and {@code assertHealthy()} must pass. ACCP is
 * never installed globally. The first resolution logs the provider in use, once. Thread-safe.
 */
public final class CryptoProviders {
  private static final Logger LOG = LoggerFactory.getLogger(CryptoProviders.class);
  static final String ACCP_CLASS = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";
  private static final AtomicBoolean LOGGED = new AtomicBoolean();

  private CryptoProviders() {}

  /** What looking for ACCP found: the provider, or why not. */
  private static final class Accp {
    static final @Nullable Provider PROVIDER;
    static final String ABSENT_REASON;

    static {
      Provider p = null;
      String reason = "";
      try {
        Class.forName(ACCP_CLASS, false, CryptoProviders.class.getClassLoader());
        p = AccpSupport.healthyInstance();
      } catch (ClassNotFoundException | LinkageError e) {
        reason = "the Amazon Corretto Crypto Provider (software.amazon.cryptools:AmazonCorrettoCryptoProvider) "
            + "is not on the class path";
      } catch (RuntimeException e) {
        reason = "the Amazon Corretto Crypto Provider is on the class path but not healthy on this platform: " + e;
      }
      PROVIDER = p;
      ABSENT_REASON = reason;
    }
  }

  /** Whether ACCP is present and healthy. */
  public static boolean accpAvailable() {
    return Accp.PROVIDER != null;
  }

  /**
   * {@code requested} resolved: {@code AUTO} gives {@code ACCP} when available, else {@code JDK}.
   *
   * @throws IllegalStateException for {@code ACCP} when it is absent or unhealthy, saying which
   */
  public static CryptoProvider resolve(CryptoProvider requested) {
    Objects.requireNonNull(requested, "cryptoProvider");
    CryptoProvider resolved;
    switch (requested) {
      case JDK:
        resolved = CryptoProvider.JDK;
        break;
      case ACCP:
        if (Accp.PROVIDER == null) {
          throw new IllegalStateException("cryptoProvider ACCP was requested but " + Accp.ABSENT_REASON
              + "; add it (classifier of this platform, e.g. linux-x86_64) or choose AUTO or JDK");
        }
        resolved = CryptoProvider.ACCP;
        break;
      default:
        resolved = Accp.PROVIDER != null ? CryptoProvider.ACCP : CryptoProvider.JDK;
        break;
    }
    if (LOGGED.compareAndSet(false, true)) {
      LOG.info("byok crypto provider: {} (requested {}){}", describe(resolved), requested,
          resolved == CryptoProvider.JDK && Accp.PROVIDER == null ? "; " + Accp.ABSENT_REASON : "");
    }
    return resolved;
  }

  /** The JCA provider of a resolved choice: ACCP's instance, or {@code null} for the JDK's usual lookup. */
  static @Nullable Provider jcaProvider(CryptoProvider resolved) {
    if (resolved == CryptoProvider.ACCP) {
      return Objects.requireNonNull(Accp.PROVIDER, "ACCP resolved but absent");
    }
    if (resolved != CryptoProvider.JDK) {
      throw new IllegalArgumentException("cryptoProvider must be resolved first (JDK or ACCP), got " + resolved);
    }
    return null;
  }

  /** A one-line description of a choice after resolution, e.g. {@code ACCP 2.5.0 (AWS-LC v1.47.0)} or {@code JDK (SunJCE 17)}. */
  public static String describe(CryptoProvider requested) {
    CryptoProvider resolved = requested == CryptoProvider.AUTO
        ? (accpAvailable() ? CryptoProvider.ACCP : CryptoProvider.JDK) : requested;
    if (resolved == CryptoProvider.ACCP) {
      return accpAvailable() ? "ACCP " + AccpSupport.versions(Accp.PROVIDER) : "ACCP (absent: " + Accp.ABSENT_REASON + ")";
    }
    Provider sunJce = java.security.Security.getProvider("SunJCE");
    return "JDK (" + (sunJce == null ? "Java " + Runtime.version().feature() : sunJce.getName() + " " + sunJce.getVersionStr()) + ")";
  }
}
