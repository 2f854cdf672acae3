package dev.byok.crypto.internal.format;

import dev.byok.core.EncryptionContext;
import dev.byok.core.internal.ContextWireFormat;
import dev.byok.core.keys.EncryptedDataKey;
import dev.byok.core.keys.PlaintextDataKey;
import dev.byok.crypto.AlgorithmSuite;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.spec.SecretKeySpec;

/**
 * Everything needed to write messages under one (cached) data key: suite, plaintext data key,
 * encryption context, encrypted data keys and frame length, with the part of the header that
 * depends only on them serialized once (the AAD with the context, the encrypted-data-key section,
 * content type and frame length). Per message only the version, suite ID, message ID, commitment
 * key and header tag are written around it.
 *
 * <p>Limits (checked here, so every message written is one a default {@link MessageDecryptor}
 * reads): data key 32 bytes; 1 to {@value DecryptOptions#DEFAULT_MAX_ENCRYPTED_DATA_KEYS} encrypted
 * data keys; frame length 1 to {@value DecryptOptions#DEFAULT_MAX_FRAME_LENGTH} bytes (default
 * {@value #DEFAULT_FRAME_LENGTH}, see {@code docs/message-format.md} for why).
 *
 * <p>Immutable and thread-safe; shared by all threads writing under the data key. It holds a copy
 * of the data key; {@link #destroy()} zeroes it once no message is still deriving from it (a
 * message that starts after {@code destroy()} fails with {@link IllegalStateException}).
 * {@link #toString()} never shows key bytes.
 */
public final class EncryptionMaterials {
  /**
   * The default frame length, 64 KiB: large enough that per-frame costs (a GCM init and 32 bytes of
   * framing) vanish (under 0.1 % of the bytes), small enough for bounded streaming memory and for the
   * JDK 17 AES-GCM fast path, which a single {@code doFinal} over a megabyte misses.
   */
  public static final int DEFAULT_FRAME_LENGTH = 64 * 1024;

  private static final int DESTROYED = 1 << 30;

  private final AlgorithmSuite suite;
  private final EncryptionContext context;
  private final List<EncryptedDataKey> edks;
  private final int frameLength;
  private final byte[] dataKey;
  private final PrivateKey signingKey;
  private final byte[] headerMiddle; // AAD length ‖ context ‖ EDK count ‖ EDKs ‖ content type ‖ frame length
  private final AtomicInteger state = new AtomicInteger(); // users in progress, | DESTROYED

  private EncryptionMaterials(MessageContext mc, byte[] dataKey, List<EncryptedDataKey> edks, int frameLength) {
    this.suite = mc.suite();
    this.context = mc.context();
    this.signingKey = mc.signingKey();
    this.edks = edks;
    this.frameLength = frameLength;
    this.dataKey = dataKey;
    this.headerMiddle = serializeMiddle(context, edks, frameLength);
  }

  /**
   * Materials of the unsigned suite; a shortcut for
   * {@code create(MessageContext.create(suite, context), dataKey, edks, frameLength)}.
   *
   * @throws IllegalArgumentException for a signed suite (its data key must be bound to the context
   *     with the public key: use {@link MessageContext} first), or as {@link #create(MessageContext,
   *     PlaintextDataKey, List, int)}
   */
  public static EncryptionMaterials create(AlgorithmSuite suite, PlaintextDataKey dataKey, EncryptionContext context,
      List<EncryptedDataKey> edks, int frameLength) {
    Objects.requireNonNull(suite, "suite");
    if (suite.isSigned()) {
      throw new IllegalArgumentException("encryption materials: suite " + suite + " signs messages; create a "
          + "MessageContext first and bind the data key to its context (it carries the public key)");
    }
    return create(MessageContext.create(suite, context), dataKey, edks, frameLength);
  }

  /**
   * Materials for messages in {@code messageContext}, under {@code dataKey} (copied), whose wrapped
   * forms are {@code edks} (bound to {@code messageContext.context()}).
   *
   * @throws IllegalArgumentException naming the rule: a data key that is not 32 bytes or destroyed,
   *     no or too many encrypted data keys, a frame length out of range, a header over 2 GiB
   */
  public static EncryptionMaterials create(MessageContext messageContext, PlaintextDataKey dataKey,
      List<EncryptedDataKey> edks, int frameLength) {
    Objects.requireNonNull(messageContext, "messageContext");
    Objects.requireNonNull(dataKey, "dataKey");
    Objects.requireNonNull(edks, "edks");
    if (dataKey.isDestroyed()) {
      throw new IllegalArgumentException("encryption materials: the data key has been destroyed");
    }
    if (dataKey.length() != AesGcm.KEY_LENGTH_IN_BYTES) {
      throw new IllegalArgumentException("encryption materials: the data key must be 32 bytes, got " + dataKey.length());
    }
    if (edks.isEmpty() || edks.size() > DecryptOptions.DEFAULT_MAX_ENCRYPTED_DATA_KEYS) {
      throw new IllegalArgumentException("encryption materials: need 1 to " + DecryptOptions.DEFAULT_MAX_ENCRYPTED_DATA_KEYS
          + " encrypted data keys, got " + edks.size());
    }
    if (frameLength < 1 || frameLength > DecryptOptions.DEFAULT_MAX_FRAME_LENGTH) {
      throw new IllegalArgumentException("encryption materials: frame length must be 1 to "
          + DecryptOptions.DEFAULT_MAX_FRAME_LENGTH + " bytes, got " + frameLength);
    }
    List<EncryptedDataKey> copy = List.copyOf(edks);
    return new EncryptionMaterials(messageContext, dataKey.copyBytes(), copy, frameLength);
  }

  private static byte[] serializeMiddle(EncryptionContext context, List<EncryptedDataKey> edks, int frameLength) {
    int contextLength = ContextWireFormat.serializedLength(context);
    long len = 2L + contextLength + 2;
    byte[][] ids = new byte[edks.size()][];
    for (int i = 0; i < ids.length; i++) {
      EncryptedDataKey k = edks.get(i);
      ids[i] = k.providerId().getBytes(StandardCharsets.UTF_8);
      len += 6L + ids[i].length + k.providerInfoLength() + k.ciphertextLength();
    }
    len += 1 + 4;
    if (len > Integer.MAX_VALUE - 1024) {
      throw new IllegalArgumentException("encryption materials: header too large");
    }
    byte[] b = new byte[(int) len];
    int p = 0;
    Bytes.putUInt16(b, p, contextLength);
    p += 2;
    ContextWireFormat.serializeInto(context, b, p);
    p += contextLength;
    Bytes.putUInt16(b, p, edks.size());
    p += 2;
    for (int i = 0; i < ids.length; i++) {
      EncryptedDataKey k = edks.get(i);
      Bytes.putUInt16(b, p, ids[i].length);
      System.arraycopy(ids[i], 0, b, p + 2, ids[i].length);
      p += 2 + ids[i].length;
      Bytes.putUInt16(b, p, k.providerInfoLength());
      k.providerInfoInto(b, p + 2);
      p += 2 + k.providerInfoLength();
      Bytes.putUInt16(b, p, k.ciphertextLength());
      k.ciphertextInto(b, p + 2);
      p += 2 + k.ciphertextLength();
    }
    b[p++] = MessageHeader.CONTENT_TYPE_FRAMED;
    Bytes.putUInt32(b, p, frameLength);
    return b;
  }

  public AlgorithmSuite suite() {
    return suite;
  }

  /** The context written in each header (for a signed suite including the public key). */
  public EncryptionContext context() {
    return context;
  }

  /** The encrypted data keys, unmodifiable. */
  public List<EncryptedDataKey> edks() {
    return edks;
  }

  public int frameLength() {
    return frameLength;
  }

  /** The header length of every message written with these materials, tag included. */
  public int headerLength() {
    return headerBodyLength() + AesGcm.TAG_LENGTH_IN_BYTES;
  }

  int headerBodyLength() {
    return 1 + 2 + MessageHeader.MESSAGE_ID_LENGTH_IN_BYTES + headerMiddle.length
        + KeyDerivation.COMMITMENT_LENGTH_IN_BYTES;
  }

  PrivateKey signingKey() {
    return signingKey;
  }

  /**
   * Writes the header body of a message with the given message ID at {@code out[off]} except the
   * commitment key, and returns the offset of the commitment key.
   */
  int writeHeaderBodyPrefix(byte[] messageId, byte[] out, int off) {
    out[off] = MessageHeader.VERSION_2;
    Bytes.putUInt16(out, off + 1, suite.id());
    System.arraycopy(messageId, 0, out, off + 3, MessageHeader.MESSAGE_ID_LENGTH_IN_BYTES);
    int p = off + 3 + MessageHeader.MESSAGE_ID_LENGTH_IN_BYTES;
    System.arraycopy(headerMiddle, 0, out, p, headerMiddle.length);
    return p + headerMiddle.length;
  }

  /**
   * Derives the AES key of a message and writes its commitment key at {@code commitmentOut[off]}.
   *
   * @throws IllegalStateException after {@link #destroy()}
   */
  SecretKeySpec deriveMessageKey(KeyDerivation keyDerivation, byte[] messageId, byte[] commitmentOut, int off) {
    for (;;) {
      int s = state.get();
      if ((s & DESTROYED) != 0) {
        throw new IllegalStateException("encryption materials have been destroyed");
      }
      if (state.compareAndSet(s, s + 1)) {
        break;
      }
    }
    try {
      return keyDerivation.derive(suite, dataKey, messageId, 0, commitmentOut, off);
    } finally {
      if (state.decrementAndGet() == DESTROYED) {
        Arrays.fill(dataKey, (byte) 0);
      }
    }
  }

  /**
   * Zeroes the copy of the data key (best effort: the JVM may have copied it), at once or when the
   * last message still deriving from it is done. Messages started later fail. Idempotent.
   */
  public void destroy() {
    int old = state.getAndUpdate(s -> s | DESTROYED);
    if ((old & DESTROYED) == 0 && old == 0) {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  public boolean isDestroyed() {
    return (state.get() & DESTROYED) != 0;
  }

  @Override
  public String toString() {
    return "EncryptionMaterials{suite=" + suite + ", context=" + context + ", edks=" + edks.size()
        + ", frameLength=" + frameLength + ", data key redacted" + (isDestroyed() ? ", destroyed" : "") + "}";
  }
}
