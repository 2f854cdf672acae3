package dev.byok.crypto.internal.format;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Base64;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;

/**
 * ECDSA with P-384 and SHA-384 as the signing ESDK suite uses it: the verification key travels in
 * the encryption context under {@value #PUBLIC_KEY_CONTEXT_KEY} as the base64 of the SEC 1
 * (section 2.3.3) compressed point (49 bytes: {@code 02}/{@code 03} by the parity of y, then x);
 * the signature is the DER {@code ECDSA-Sig-Value} (SEQUENCE of INTEGER r, s), which is what the
 * JDK's {@code SHA384withECDSA} produces and checks. The chosen provider (the JDK's, or ACCP's when
 * given) generates keys, signs and verifies; Bouncy Castle only decompresses the point (the JCA has
 * no API for that). Thread-safe.
 */
final class EcdsaP384 {
  /** The reserved encryption-context key of the verification key. */
  static final String PUBLIC_KEY_CONTEXT_KEY = "aws-crypto-public-key";
  /** The longest DER signature for P-384: SEQUENCE(2) + 2 × INTEGER(2 + 49). */
  static final int MAX_SIGNATURE_LENGTH_IN_BYTES = 104;
  static final String ALGORITHM = "SHA384withECDSA";
  private static final int FIELD_LENGTH_IN_BYTES = 48;
  private static final int COMPRESSED_LENGTH_IN_BYTES = 1 + FIELD_LENGTH_IN_BYTES;

  private static final ECParameterSpec JDK_PARAMS;
  private static final X9ECParameters BC_PARAMS = ECNamedCurveTable.getByName("secp384r1");

  static {
    try {
      AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
      p.init(new ECGenParameterSpec("secp384r1"));
      JDK_PARAMS = p.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The last key decoded: a writer reuses its key pair for every message under a cached data key. */
  private static volatile DecodedKey lastDecoded;

  private EcdsaP384() {}

  private static final class DecodedKey {
    final String value;
    final PublicKey key;

    DecodedKey(String value, PublicKey key) {
      this.value = value;
      this.key = key;
    }
  }

  /** A fresh key pair from {@code provider} ({@code null}: the JCA's usual lookup). */
  static KeyPair generateKeyPair(Provider provider) {
    try {
      KeyPairGenerator g = provider == null ? KeyPairGenerator.getInstance("EC") : KeyPairGenerator.getInstance("EC", provider);
      g.initialize(new ECGenParameterSpec("secp384r1"), Randomness.secureRandom());
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate an ECDSA P-384 key pair", e);
    }
  }

  /** The context value for {@code publicKey}: base64 of its compressed point. */
  static String encodePublicKey(PublicKey publicKey) {
    ECPoint w = ((ECPublicKey) publicKey).getW();
    byte[] out = new byte[COMPRESSED_LENGTH_IN_BYTES];
    out[0] = (byte) (w.getAffineY().testBit(0) ? 0x03 : 0x02);
    byte[] x = w.getAffineX().toByteArray(); // big-endian, possibly with a sign byte or shorter
    int n = Math.min(x.length, FIELD_LENGTH_IN_BYTES);
    System.arraycopy(x, x.length - n, out, COMPRESSED_LENGTH_IN_BYTES - n, n);
    return Base64.getEncoder().encodeToString(out);
  }

  /**
   * The public key of a context value.
   *
   * @throws IllegalArgumentException if it is not base64 of a compressed point on P-384
   */
  static PublicKey decodePublicKey(String value) {
    DecodedKey last = lastDecoded;
    if (last != null && last.value.equals(value)) {
      return last.key;
    }
    PublicKey key = decode(value);
    lastDecoded = new DecodedKey(value, key);
    return key;
  }

  private static PublicKey decode(String value) {
    byte[] bytes = Base64.getDecoder().decode(value);
    if (bytes.length != COMPRESSED_LENGTH_IN_BYTES || (bytes[0] != 0x02 && bytes[0] != 0x03)) {
      throw new IllegalArgumentException("not a compressed P-384 point");
    }
    org.bouncycastle.math.ec.ECPoint p = BC_PARAMS.getCurve().decodePoint(bytes).normalize();
    if (p.isInfinity() || !p.isValid()) {
      throw new IllegalArgumentException("not a point on P-384");
    }
    BigInteger x = p.getAffineXCoord().toBigInteger();
    BigInteger y = p.getAffineYCoord().toBigInteger();
    try {
      return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), JDK_PARAMS));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a valid P-384 public key", e);
    }
  }

  static Signature signer(PrivateKey key, Provider provider) {
    try {
      Signature s = signature(provider);
      s.initSign(key, Randomness.secureRandom());
      return s;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot initialise " + ALGORITHM, e);
    }
  }

  static Signature verifier(PublicKey key, Provider provider) {
    try {
      Signature s = signature(provider);
      s.initVerify(provider == null ? key : translated(key, provider));
      return s;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot initialise " + ALGORITHM, e);
    }
  }

  /** The last key translated: a reader sees many messages of one writer's key pair. */
  private static volatile Translated lastTranslated;

  private static final class Translated {
    final PublicKey jdkKey;
    final Provider provider;
    final PublicKey key;

    Translated(PublicKey jdkKey, Provider provider, PublicKey key) {
      this.jdkKey = jdkKey;
      this.provider = provider;
      this.key = key;
    }
  }

  /**
   * {@code key} (decoded by the JDK) as {@code provider}'s own key object, so the provider does not
   * convert it on every {@code initVerify}; one entry cached.
   */
  private static PublicKey translated(PublicKey key, Provider provider) throws GeneralSecurityException {
    Translated last = lastTranslated;
    if (last != null && last.jdkKey == key && last.provider == provider) {
      return last.key;
    }
    PublicKey t = (PublicKey) KeyFactory.getInstance("EC", provider).translateKey(key);
    lastTranslated = new Translated(key, provider, t);
    return t;
  }

  private static Signature signature(Provider provider) throws GeneralSecurityException {
    return provider == null ? Signature.getInstance(ALGORITHM) : Signature.getInstance(ALGORITHM, provider);
  }
}
