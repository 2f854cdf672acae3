package dev.byok.crypto.internal.format;

import dev.byok.core.InvalidCiphertextException;

/**
 * The structure of an in-memory message body, checked before any decryption: sequence numbers
 * from 1 in order, exactly one final frame with at most a frame
 * length of content, a non-framed length within its cap, the footer of a signed suite, and nothing
 * after the end. Lengths are compared with the bytes present, so none can point past the end.
 */
final class BodyLayout {
  /** Sequence number (4) and IV (12). */
  static final int REGULAR_FRAME_PREFIX = 4 + AesGcm.IV_LENGTH_IN_BYTES;
  /** End marker (4), sequence number (4), IV (12), content length (4). */
  static final int FINAL_FRAME_PREFIX = 4 + 4 + AesGcm.IV_LENGTH_IN_BYTES + 4;
  /** IV (12) and content length (8). */
  static final int SINGLE_BLOCK_PREFIX = AesGcm.IV_LENGTH_IN_BYTES + 8;
  static final long FINAL_FRAME_MARKER = 0xFFFF_FFFFL;

  final int plaintextLength;
  final long finalSequenceNumber; // framed only
  final int footerStart; // == end when unsigned

  private BodyLayout(int plaintextLength, long finalSequenceNumber, int footerStart) {
    this.plaintextLength = plaintextLength;
    this.finalSequenceNumber = finalSequenceNumber;
    this.footerStart = footerStart;
  }

  static BodyLayout scan(MessageHeader header, DecryptOptions options, byte[] m, int start, int end) {
    int p = start;
    long total = 0;
    long seq = 1;
    if (header.framed()) {
      int frame = header.frameLength();
      for (;;) {
        need(p, 4, end);
        long marker = Bytes.getUInt32(m, p);
        if (marker == FINAL_FRAME_MARKER) {
          need(p, FINAL_FRAME_PREFIX, end);
          if (Bytes.getUInt32(m, p + 4) != seq) {
            throw outOfOrder();
          }
          long len = Bytes.getUInt32(m, p + 20);
          if (len > frame) {
            throw new InvalidCiphertextException("the final frame is longer than the frame length");
          }
          need(p, FINAL_FRAME_PREFIX + len + AesGcm.TAG_LENGTH_IN_BYTES, end);
          total += len;
          p += FINAL_FRAME_PREFIX + (int) len + AesGcm.TAG_LENGTH_IN_BYTES;
          break;
        }
        if (marker != seq) {
          throw outOfOrder();
        }
        need(p, (long) REGULAR_FRAME_PREFIX + frame + AesGcm.TAG_LENGTH_IN_BYTES, end);
        total += frame;
        p += REGULAR_FRAME_PREFIX + frame + AesGcm.TAG_LENGTH_IN_BYTES;
        seq++;
      }
    } else {
      need(p, SINGLE_BLOCK_PREFIX, end);
      long len = Bytes.getUInt64(m, p + AesGcm.IV_LENGTH_IN_BYTES);
      if (len < 0 || len > options.maxNonFramedContentLength()) {
        throw new InvalidCiphertextException("the non-framed content length is over the limit of "
            + options.maxNonFramedContentLength());
      }
      need(p, SINGLE_BLOCK_PREFIX + len + AesGcm.TAG_LENGTH_IN_BYTES, end);
      total = len;
      p += SINGLE_BLOCK_PREFIX + (int) len + AesGcm.TAG_LENGTH_IN_BYTES;
    }
    int footerStart = p;
    if (header.suite().isSigned()) {
      need(p, 2, end);
      int sigLen = Bytes.getUInt16(m, p);
      need(p, 2L + sigLen, end);
      p += 2 + sigLen;
    }
    if (p != end) {
      throw new InvalidCiphertextException("bytes after the end of the message");
    }
    // total <= end - start < 2^31, so the cast is exact
    return new BodyLayout((int) total, seq, footerStart);
  }

  private static void need(int p, long n, int end) {
    if (n > end - p) {
      throw MessageDecryptor.truncated();
    }
  }

  private static InvalidCiphertextException outOfOrder() {
    return new InvalidCiphertextException("a frame's sequence number is not the expected one");
  }
}
