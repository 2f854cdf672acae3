package dev.byok.crypto.internal;

import dev.byok.core.TenantDirectory;
import dev.byok.core.keys.KeyService;
import dev.byok.crypto.AlgorithmSuite;
import dev.byok.crypto.CachePolicy;
import dev.byok.crypto.CryptoMetrics;
import dev.byok.crypto.CryptoProvider;
import dev.byok.crypto.RevocationPolicy;
import dev.byok.crypto.Scheduler;
import dev.byok.crypto.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.Executor;

/**
 * {@link CryptoSettings} for tests of the internal parts, with defaults for what a test does not set;
 * no refresh-ahead jitter (re-confirmations start at exactly 80% of {@code revalidateAfter}).
 */
public final class TestSettings {
  private TestSettings() {}

  /** Settings with the given cache policy, outage grace, time, executor and metrics; no audit sink. */
  public static CryptoSettings of(KeyService keyService, CachePolicy cachePolicy, Duration outageGrace, Ticker ticker,
      Executor executor, CryptoMetrics metrics) {
    return new CryptoSettings(keyService, TenantDirectory.builder().build(), cachePolicy,
        RevocationPolicy.builder().outageGrace(outageGrace).build(), /* auditSink= */ null, metrics, ticker,
        Clock.systemUTC(), executor, Scheduler.system(), AlgorithmSuite.defaultSuite(), /* frameLength= */ 64 * 1024,
        /* allowSignedStreamingDecrypt= */ false, /* refreshJitterSeed= */ OptionalLong.empty(),
        CryptoProvider.JDK);
  }
}
