package dev.byok.crypto.internal.format;

import dev.byok.core.EncryptionContext;
import dev.byok.core.internal.ContextWireFormat;
import dev.byok.crypto.AlgorithmSuite;
import dev.byok.crypto.CryptoProvider;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.Objects;

/**
 * The first step of building {@link EncryptionMaterials}: the suite plus the encryption context
 * exactly as it will stand in the message header. For the unsigned suite that is the caller's
 * context; for the signing suite a fresh ECDSA P-384 key pair is generated here and its public key
 * added under the reserved key {@code aws-crypto-public-key}, as every AWS Encryption SDK does.
 *
 * <p>{@link #context()} is what the data key must be bound to: the encryption context of the KMS
 * GenerateDataKey/Encrypt call, or the AAD of a raw-AES-keyring wrap. An ESDK reader sends the
 * header's full context (public key included) to KMS Decrypt, so a data key generated under the
 * caller's context alone would not decrypt there.
 *
 * <pre>{@code
 * MessageContext mc = MessageContext.create(suite, callerContext);
 * GeneratedDataKey dk = keyService.generateDataKey(keyArn, mc.context());   // bind to the full context
 * EncryptionMaterials m = EncryptionMaterials.create(mc, dk.plaintext(), List.of(dk.encrypted()), frameLength);
 * }</pre>
 *
 * <p>Immutable and thread-safe. Holds the private signing key of a signed suite; {@link #toString()}
 * never shows it.
 */
public final class MessageContext {
  private final AlgorithmSuite suite;
  private final EncryptionContext context;
  private final PrivateKey signingKey; // null for unsigned suites

  private MessageContext(AlgorithmSuite suite, EncryptionContext context, PrivateKey signingKey) {
    this.suite = suite;
    this.context = context;
    this.signingKey = signingKey;
  }

  /**
   * The message context of {@code suite} for the caller's {@code context}.
   *
   * @throws IllegalArgumentException if {@code context} already holds a reserved
   *     {@code aws-crypto-} key
   */
  public static MessageContext create(AlgorithmSuite suite, EncryptionContext context) {
    return create(suite, context, CryptoProvider.AUTO);
  }

  /**
   * The message context of {@code suite} for the caller's {@code context}; a signed suite's key pair
   * comes from {@code cryptoProvider}.
   *
   * @throws IllegalArgumentException if {@code context} already holds a reserved
   *     {@code aws-crypto-} key
   * @throws IllegalStateException for {@code ACCP} when it is absent or unhealthy
   */
  public static MessageContext create(AlgorithmSuite suite, EncryptionContext context, CryptoProvider cryptoProvider) {
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(context, "context");
    if (!context.withoutReserved().equals(context)) {
      throw new IllegalArgumentException("message context: the caller's encryption context holds a reserved '"
          + EncryptionContext.RESERVED_PREFIX + "' key; pass the context without it");
    }
    if (!suite.isSigned()) {
      return new MessageContext(suite, context, null);
    }
    KeyPair pair = EcdsaP384.generateKeyPair(CryptoProviders.jcaProvider(CryptoProviders.resolve(cryptoProvider)));
    EncryptionContext full = ContextWireFormat.withReserved(context, EcdsaP384.PUBLIC_KEY_CONTEXT_KEY,
        EcdsaP384.encodePublicKey(pair.getPublic()));
    return new MessageContext(suite, full, pair.getPrivate());
  }

  public AlgorithmSuite suite() {
    return suite;
  }

  /** The context as written in the header (for a signed suite including the public key). */
  public EncryptionContext context() {
    return context;
  }

  /** The private signing key, or {@code null} for an unsigned suite. */
  PrivateKey signingKey() {
    return signingKey;
  }

  @Override
  public String toString() {
    return "MessageContext{suite=" + suite + ", context=" + context + (signingKey == null ? "" : ", signing key redacted") + "}";
  }
}
