package dev.byok.crypto.internal.format;

/** Big-endian unsigned integer reads and writes of the message format. Stateless. */
final class Bytes {
  private Bytes() {}

  static int getUInt16(byte[] b, int off) {
    return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
  }

  static long getUInt32(byte[] b, int off) {
    return ((long) (b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8)
        | (b[off + 3] & 0xFF);
  }

  /** A UInt64 as a signed long: values of 2^63 and above come back negative. */
  static long getUInt64(byte[] b, int off) {
    return (getUInt32(b, off) << 32) | getUInt32(b, off + 4);
  }

  static void putUInt16(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
  }

  static void putUInt32(byte[] b, int off, long v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  static void putUInt64(byte[] b, int off, long v) {
    putUInt32(b, off, v >>> 32);
    putUInt32(b, off + 4, v);
  }
}
