package dev.byok.crypto.format;

import dev.byok.crypto.CryptoProvider;
import dev.byok.crypto.internal.format.CryptoProviders;
import java.util.stream.Stream;

/**
 * The providers the format suite runs under: {@code JDK} and {@code ACCP} when ACCP is on the test
 * class path (the default Surefire run), {@code JDK} and {@code AUTO} when it is not (the Surefire
 * run without ACCP, where {@code AUTO} must fall back to the JDK; {@code ProviderChoiceTest} checks
 * which of the two runs this is).
 */
public final class TestProviders {
  private TestProviders() {}

  /** The {@code @MethodSource} of the format suite's parameterised classes. */
  public static Stream<CryptoProvider> providers() {
    return Stream.of(CryptoProvider.JDK, CryptoProviders.accpAvailable() ? CryptoProvider.ACCP : CryptoProvider.AUTO);
  }
}
