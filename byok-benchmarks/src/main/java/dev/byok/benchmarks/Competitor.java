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
  /** Raw AES-256-GCM (JDK or ACCP) over 64 KiB pieces: no KMS, header or key derivation. */
  JCA;

  /** The competitor named {@code name} ({@code byok}, {@code esdk}, {@code tink}, {@code jca}). */
  public static Competitor of(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown competitor '" + name + "': expected byok, esdk, tink or jca", e);
    }
  }

  /** A new instance of this competitor over {@code kms} (ignored by {@link #JCA}), JDK providers, suite 0x0478. */
  public Envelope create(FakeKms kms, CacheMode cache) {
    return create(kms, cache, CryptoChoice.DEFAULT);
  }

  /** A new instance of this competitor over {@code kms} (ignored by {@link #JCA}) with {@code choice}. */
  public Envelope create(FakeKms kms, CacheMode cache, CryptoChoice choice) {
    switch (this) {
      case BYOK:
        return new ByokEnvelope(kms, cache, choice);
      case ESDK:
        return new EsdkEnvelope(kms, cache, choice);
      case TINK:
        return new TinkEnvelope(kms, choice);
      case JCA:
        return new JcaEnvelope(choice);
      default:
        throw new AssertionError(this);
    }
  }

  /** The name the benchmarks use. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
