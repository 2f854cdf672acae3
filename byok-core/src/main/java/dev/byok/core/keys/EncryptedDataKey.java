package dev.byok.core.keys;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A wrapped data key as stored in a message header: provider ID, provider info and ciphertext,
 * exactly as the AWS Encryption SDK writes them. For AWS KMS the provider ID is {@code aws-kms},
 * the provider info the key ARN, the ciphertext the KMS CiphertextBlob. Immutable (defensive
 * copies in and out). Not secret.
 */
public final class EncryptedDataKey {
  /** The provider ID of data keys wrapped by AWS KMS. */
  public static final String AWS_KMS_PROVIDER_ID = "aws-kms";

  private final String providerId;
  private final byte[] providerInfo;
  private final byte[] ciphertext;
  private final int hash;

  private EncryptedDataKey(String providerId, byte[] providerInfo, byte[] ciphertext) {
    this.providerId = providerId;
    this.providerInfo = providerInfo;
    this.ciphertext = ciphertext;
    this.hash = 31 * (31 * providerId.hashCode() + Arrays.hashCode(providerInfo)) + Arrays.hashCode(ciphertext);
  }

  /** Copies its arguments. Each part must fit a UInt16 length. */
  public static EncryptedDataKey of(String providerId, byte[] providerInfo, byte[] ciphertext) {
    Objects.requireNonNull(providerId, "providerId");
    if (providerId.getBytes(StandardCharsets.UTF_8).length > 0xFFFF || providerInfo.length > 0xFFFF || ciphertext.length > 0xFFFF) {
      throw new IllegalArgumentException("encrypted data key: each part must be at most 65,535 bytes");
    }
    return new EncryptedDataKey(providerId, providerInfo.clone(), ciphertext.clone());
  }

  /** The provider ID, e.g. {@code aws-kms}. */
  public String providerId() {
    return providerId;
  }

  /** A copy of the provider info. */
  public byte[] providerInfo() {
    return providerInfo.clone();
  }

  /** The provider info as UTF-8 text (for AWS KMS, the key ARN). */
  public String providerInfoAsString() {
    return new String(providerInfo, StandardCharsets.UTF_8);
  }

  /** A copy of the ciphertext. */
  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  /** The length of the provider info in bytes. */
  public int providerInfoLength() {
    return providerInfo.length;
  }

  /** The length of the ciphertext in bytes. */
  public int ciphertextLength() {
    return ciphertext.length;
  }

  /** Copies the provider info into {@code dest} at {@code offset}. */
  public void providerInfoInto(byte[] dest, int offset) {
    System.arraycopy(providerInfo, 0, dest, offset, providerInfo.length);
  }

  /** Copies the ciphertext into {@code dest} at {@code offset}. */
  public void ciphertextInto(byte[] dest, int offset) {
    System.arraycopy(ciphertext, 0, dest, offset, ciphertext.length);
  }

  /** Equal when provider ID, provider info and ciphertext are equal. */
  @Override
  public boolean equals(@Nullable Object o) {
    if (o == this) {
      return true; // the decrypt path's usual case: a remembered header section hands out the same object
    }
    if (!(o instanceof EncryptedDataKey k)) {
      return false;
    }
    return hash == k.hash && providerId.equals(k.providerId) && Arrays.equals(providerInfo, k.providerInfo)
        && Arrays.equals(ciphertext, k.ciphertext);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "EncryptedDataKey{providerId=" + providerId + ", providerInfo=" + providerInfoAsString()
        + ", ciphertext=" + ciphertext.length + " bytes}";
  }
}
