package dev.byok.benchmarks;

import java.util.Locale;

/** The competitors, by the names the benchmarks' {@code impl} parameter uses. */
public enum Competitor {
  /** This library, through its public entry point. */
  BYOK,
  /** The AWS Encryption SDK for Java 3.0.2 with its caching materials manager. */
  ESDK,
  /** Google Tink 1.18.0 {@code KmsEnvelopeAead}. */
  TINK,
  /** Raw JDK AES-256-GCM over 64 KiB pieces: the floor. */
  JCA;

  /** The competitor named {@code name} ({@code byok}, {@code esdk}, {@code tink}, {@code jca}). */
  public static Competitor of(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown competitor '" + name + "': expected byok, esdk, tink or jca", e);
    }
  }

  /** A new instance of this competitor over {@code kms} (ignored by {@link #JCA}). */
  public Envelope create(FakeKms kms, CacheMode cache) {
    switch (this) {
      case BYOK:
        return new ByokEnvelope(kms, cache);
      case ESDK:
        return new EsdkEnvelope(kms, cache);
      case TINK:
        return new TinkEnvelope(kms);
      case JCA:
        return new JcaEnvelope();
      default:
        throw new AssertionError(this);
    }
  }

  /** The name the benchmarks use. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
