package dev.byok.crypto.internal.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.byok.core.EncryptionContext;
import dev.byok.core.keys.EncryptedDataKey;
import dev.byok.core.keys.PlaintextDataKey;
import dev.byok.crypto.AlgorithmSuite;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 point 5: a decrypting stream latches every failure, not only
 * {@code InvalidCiphertextException}: a runtime or I/O exception while the end of the message is
 * being confirmed must not let a later {@code read()} hand out the final frame unchecked.
 */
class DecryptingStreamLatchTest {
  private static final byte[] KEY = new byte[32];

  static {
    Arrays.fill(KEY, (byte) 9);
  }

  private static byte[] message(byte[] plaintext) {
    EncryptedDataKey edk = EncryptedDataKey.of("test", "k".getBytes(StandardCharsets.UTF_8), new byte[40]);
    EncryptionMaterials m = EncryptionMaterials.create(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
        PlaintextDataKey.wrap(KEY.clone()), EncryptionContext.of("tenant", "acme"), List.of(edk), 4096);
    return MessageEncryptor.create().encrypt(m, plaintext);
  }

  /** Serves {@code message}, then on the read past its end throws {@code failure} once, then more bytes. */
  private static final class FailingAtEnd extends InputStream {
    private final ByteArrayInputStream body;
    private final Exception failure;
    private final byte[] after;
    private boolean thrown;
    private int afterPos;

    FailingAtEnd(byte[] message, Exception failure, byte[] after) {
      this.body = new ByteArrayInputStream(message);
      this.failure = failure;
      this.after = after;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (body.available() > 0) {
        return body.read(b, off, len);
      }
      if (!thrown) {
        thrown = true;
        if (failure instanceof IOException) {
          throw (IOException) failure;
        }
        throw (RuntimeException) failure;
      }
      if (afterPos == after.length) {
        return -1;
      }
      int n = Math.min(len, after.length - afterPos);
      System.arraycopy(after, afterPos, b, off, n);
      afterPos += n;
      return n;
    }
  }

  private static InputStream stream(InputStream in) {
    return MessageDecryptor.create().decryptingStream(in, h -> PlaintextDataKey.wrap(KEY.clone()));
  }

  @Test
  void read_runtimeExceptionWhileConfirmingTheEnd_latchedAndFinalFrameNeverServed() throws IOException {
    byte[] msg = message("the final frame".getBytes(StandardCharsets.UTF_8));
    IllegalStateException boom = new IllegalStateException("transport broke");
    InputStream s = stream(new FailingAtEnd(msg, boom, new byte[0]));
    byte[] buf = new byte[64];
    assertSame(boom, assertThrows(IllegalStateException.class, () -> s.read(buf)));
    for (int i = 0; i < 3; i++) {
      assertSame(boom, assertThrows(IllegalStateException.class, () -> s.read(buf)), "read " + i + " after the failure");
    }
    assertEquals(0, s.available(), "nothing is available after a failure");
    assertArrayEquals(new byte[64], buf, "no plaintext reached the caller");
  }

  @Test
  void read_ioExceptionWhileConfirmingTheEnd_latchedEvenIfTheInputRecovers() {
    byte[] msg = message("the final frame".getBytes(StandardCharsets.UTF_8));
    IOException boom = new IOException("connection reset");
    InputStream s = stream(new FailingAtEnd(msg, boom, new byte[100]));
    byte[] buf = new byte[64];
    assertSame(boom, assertThrows(IOException.class, () -> s.read(buf)));
    assertSame(boom, assertThrows(IOException.class, () -> s.read(buf)), "the same failure again");
    assertSame(boom, assertThrows(IOException.class, s::read), "single-byte read too");
    assertArrayEquals(new byte[64], buf, "no plaintext reached the caller");
  }

  @Test
  void read_keyResolverThrows_latched() {
    byte[] msg = message("x".getBytes(StandardCharsets.UTF_8));
    IllegalArgumentException denied = new IllegalArgumentException("denied");
    int[] calls = {0};
    InputStream s = MessageDecryptor.create().decryptingStream(new ByteArrayInputStream(msg), h -> {
      calls[0]++;
      throw denied;
    });
    assertSame(denied, assertThrows(IllegalArgumentException.class, s::read));
    assertSame(denied, assertThrows(IllegalArgumentException.class, s::read));
    assertEquals(1, calls[0], "the key is asked for once; the failure is latched");
  }
}
