package dev.byok.crypto.internal.format;

/**
 * Limits and policy of a {@link MessageDecryptor}. Every length a message declares is checked
 * against these caps before anything is allocated for it, so a hostile header cannot make the
 * reader allocate more than the caps allow:
 *
 * <table>
 *   <caption>caps</caption>
 *   <tr><th>cap</th><th>default</th><th>range</th></tr>
 *   <tr><td>{@link Builder#maxEncryptedDataKeys}</td><td>{@value #DEFAULT_MAX_ENCRYPTED_DATA_KEYS}</td>
 *       <td>1 – 65,535 (the ESDK's own default is no limit)</td></tr>
 *   <tr><td>{@link Builder#maxFrameLength}</td><td>{@value #DEFAULT_MAX_FRAME_LENGTH} (4 MiB)</td>
 *       <td>1 – {@value #MAX_FRAME_LENGTH_LIMIT}</td></tr>
 *   <tr><td>{@link Builder#maxNonFramedContentLength}</td><td>{@value #DEFAULT_MAX_NON_FRAMED_CONTENT_LENGTH}
 *       (64 MiB)</td><td>0 – {@value #MAX_NON_FRAMED_CONTENT_LENGTH_LIMIT}</td></tr>
 * </table>
 *
 * <p>Fixed by the format: the encryption context is at most 65,535 bytes, each EDK field at most
 * 65,535 bytes, so a header is at most about 3.2 MB with 16 EDKs. A streaming reader holds about
 * twice the frame length (ciphertext and plaintext of one frame); a non-framed body is held whole
 * (it cannot be released before its single tag verified), up to its cap.
 *
 * <p>Policy: {@link Builder#allowSignedStreaming} (default {@code false}). A streaming decrypt of a
 * signed (0x0578) message fails right after the header unless it is set, because the plaintext of
 * its regular frames is released before the signature at the end is checked; the final frame is
 * held until the signature verified either way. The byte-array decrypt always verifies everything
 * first and needs no opt-in.
 *
 * <p>Immutable and thread-safe. {@code DecryptOptions.builder().maxFrameLength(1 << 20).build()}
 */
public final class DecryptOptions {
  public static final int DEFAULT_MAX_ENCRYPTED_DATA_KEYS = 16;
  public static final int DEFAULT_MAX_FRAME_LENGTH = 4 * 1024 * 1024;
  public static final int MAX_FRAME_LENGTH_LIMIT = Integer.MAX_VALUE - 64;
  public static final int DEFAULT_MAX_NON_FRAMED_CONTENT_LENGTH = 64 * 1024 * 1024;
  public static final int MAX_NON_FRAMED_CONTENT_LENGTH_LIMIT = Integer.MAX_VALUE - 64;

  private static final DecryptOptions DEFAULTS = builder().build();

  private final int maxEncryptedDataKeys;
  private final int maxFrameLength;
  private final int maxNonFramedContentLength;
  private final boolean allowSignedStreaming;

  private DecryptOptions(Builder b) {
    this.maxEncryptedDataKeys = b.maxEncryptedDataKeys;
    this.maxFrameLength = b.maxFrameLength;
    this.maxNonFramedContentLength = b.maxNonFramedContentLength;
    this.allowSignedStreaming = b.allowSignedStreaming;
  }

  /** The defaults above. */
  public static DecryptOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public int maxEncryptedDataKeys() {
    return maxEncryptedDataKeys;
  }

  public int maxFrameLength() {
    return maxFrameLength;
  }

  public int maxNonFramedContentLength() {
    return maxNonFramedContentLength;
  }

  public boolean allowSignedStreaming() {
    return allowSignedStreaming;
  }

  @Override
  public String toString() {
    return "DecryptOptions{maxEncryptedDataKeys=" + maxEncryptedDataKeys + ", maxFrameLength=" + maxFrameLength
        + ", maxNonFramedContentLength=" + maxNonFramedContentLength + ", allowSignedStreaming=" + allowSignedStreaming + "}";
  }

  /** Builds {@link DecryptOptions}; each setter validates its value. Not thread-safe. */
  public static final class Builder {
    private int maxEncryptedDataKeys = DEFAULT_MAX_ENCRYPTED_DATA_KEYS;
    private int maxFrameLength = DEFAULT_MAX_FRAME_LENGTH;
    private int maxNonFramedContentLength = DEFAULT_MAX_NON_FRAMED_CONTENT_LENGTH;
    private boolean allowSignedStreaming;

    private Builder() {}

    /** Messages with more encrypted data keys are rejected before the keys are read. 1 to 65,535. */
    public Builder maxEncryptedDataKeys(int max) {
      if (max < 1 || max > 0xFFFF) {
        throw new IllegalArgumentException("maxEncryptedDataKeys must be 1 to 65535, got " + max);
      }
      this.maxEncryptedDataKeys = max;
      return this;
    }

    /** Messages whose header declares longer frames are rejected. 1 to {@value #MAX_FRAME_LENGTH_LIMIT}. */
    public Builder maxFrameLength(int max) {
      if (max < 1 || max > MAX_FRAME_LENGTH_LIMIT) {
        throw new IllegalArgumentException("maxFrameLength must be 1 to " + MAX_FRAME_LENGTH_LIMIT + ", got " + max);
      }
      this.maxFrameLength = max;
      return this;
    }

    /** Non-framed bodies declaring more content are rejected. 0 to {@value #MAX_NON_FRAMED_CONTENT_LENGTH_LIMIT}. */
    public Builder maxNonFramedContentLength(int max) {
      if (max < 0 || max > MAX_NON_FRAMED_CONTENT_LENGTH_LIMIT) {
        throw new IllegalArgumentException("maxNonFramedContentLength must be 0 to "
            + MAX_NON_FRAMED_CONTENT_LENGTH_LIMIT + ", got " + max);
      }
      this.maxNonFramedContentLength = max;
      return this;
    }

    /**
     * Lets a streaming decrypt release the plaintext of a signed message's regular frames before the
     * signature is verified (the ESDK's default streaming behaviour). The caller must then discard
     * everything it read if the stream ends in an exception.
     */
    public Builder allowSignedStreaming(boolean allow) {
      this.allowSignedStreaming = allow;
      return this;
    }

    public DecryptOptions build() {
      return new DecryptOptions(this);
    }
  }
}
