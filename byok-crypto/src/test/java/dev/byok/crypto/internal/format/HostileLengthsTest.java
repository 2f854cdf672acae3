package dev.byok.crypto.internal.format;

import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.ParameterizedClass;
import dev.byok.crypto.CryptoProvider;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.EncryptionContext;
import dev.byok.core.InvalidCiphertextException;
import dev.byok.core.internal.ContextWireFormat;
import dev.byok.core.keys.PlaintextDataKey;
import dev.byok.crypto.AlgorithmSuite;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A writer that holds the data key can make a header that authenticates yet declares a huge frame
 * or body. With the caps raised to their limits, decryption must still fail as truncated without
 * allocating memory for the declared length: the streaming reader grows its buffers with the bytes
 * that actually arrive. Allocation is measured with the thread's allocated-bytes counter.
 */
@ParameterizedClass
@MethodSource("dev.byok.crypto.format.TestProviders#providers")
class HostileLengthsTest {
  private final CryptoProvider provider;

  HostileLengthsTest(CryptoProvider provider) {
    this.provider = provider;
    this.lax = MessageDecryptor.create(DecryptOptions.builder()
      .maxFrameLength(DecryptOptions.MAX_FRAME_LENGTH_LIMIT)
      .maxNonFramedContentLength(DecryptOptions.MAX_NON_FRAMED_CONTENT_LENGTH_LIMIT).build(), provider);
  }

  private static final byte[] DATA_KEY = new byte[32];
  private static final java.util.concurrent.atomic.AtomicInteger FORGED = new java.util.concurrent.atomic.AtomicInteger();
  private final MessageDecryptor lax;

  /** An authenticated header (valid commitment and tag under {@link #DATA_KEY}) with any content type and frame length. */
  static byte[] forgeHeader(byte contentType, long frameLength) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    AlgorithmSuite suite = AlgorithmSuite.defaultSuite();
    byte[] messageId = new byte[32];
    Arrays.fill(messageId, (byte) FORGED.incrementAndGet()); // the JDK refuses to seal twice under one key and IV
    b.write(2);
    b.write(suite.id() >>> 8);
    b.write(suite.id());
    b.writeBytes(messageId);
    byte[] ctx = ContextWireFormat.serialize(EncryptionContext.of("k", "v"));
    b.write(ctx.length >>> 8);
    b.write(ctx.length);
    b.writeBytes(ctx);
    b.writeBytes(new byte[] {0, 1}); // one EDK
    byte[] id = "p".getBytes(StandardCharsets.UTF_8);
    b.writeBytes(new byte[] {0, (byte) id.length});
    b.writeBytes(id);
    b.writeBytes(new byte[] {0, 0, 0, 1, 9});
    b.write(contentType);
    byte[] fl = new byte[4];
    Bytes.putUInt32(fl, 0, frameLength);
    b.writeBytes(fl);
    byte[] body = b.toByteArray();
    byte[] header = Arrays.copyOf(body, body.length + 32 + 16);
    BodyCrypto crypto = new BodyCrypto();
    crypto.start(AesGcm.of(CryptoProvider.JDK), KeyDerivation.jdk().derive(suite, DATA_KEY, messageId, 0, header, body.length),
        messageId, 0);
    crypto.sealHeader(header, 0, body.length + 32, header, body.length + 32);
    return header;
  }

  private static long allocatedBy(Executable e) {
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long before = mx.getThreadAllocatedBytes(id);
    assertThrows(InvalidCiphertextException.class, e);
    return mx.getThreadAllocatedBytes(id) - before;
  }

  @Test
  void decryptingStream_framedWithHugeFrameLength_failsTruncatedWithoutHugeAllocation() {
    byte[] header = forgeHeader(MessageHeader.CONTENT_TYPE_FRAMED, DecryptOptions.MAX_FRAME_LENGTH_LIMIT);
    byte[] message = Arrays.copyOf(header, header.length + 16 + 100_000);
    Bytes.putUInt32(message, header.length, 1); // sequence number 1, zero IV, then 100 kB of a 2 GiB frame
    lax.parseHeader(message, 0, message.length); // the header itself is fine
    long allocated = allocatedBy(() -> lax.decryptingStream(new ByteArrayInputStream(message), h -> PlaintextDataKey.copyOf(DATA_KEY))
        .readAllBytes());
    assertTrue(allocated < 16 << 20, "allocated " + allocated + " bytes for a 2 GiB frame that never came");
    assertTrue(allocatedBy(() -> lax.decrypt(message, 0, message.length, h -> PlaintextDataKey.copyOf(DATA_KEY))) < 16 << 20);
  }

  @Test
  void decryptingStream_nonFramedWithHugeLength_failsTruncatedWithoutHugeAllocation() {
    byte[] header = forgeHeader(MessageHeader.CONTENT_TYPE_NON_FRAMED, 0);
    byte[] message = Arrays.copyOf(header, header.length + 12 + 8 + 100_000);
    Bytes.putUInt64(message, header.length + 12, DecryptOptions.MAX_NON_FRAMED_CONTENT_LENGTH_LIMIT);
    long allocated = allocatedBy(() -> lax.decryptingStream(new ByteArrayInputStream(message), h -> PlaintextDataKey.copyOf(DATA_KEY))
        .readAllBytes());
    assertTrue(allocated < 16 << 20, "allocated " + allocated + " bytes for a 2 GiB body that never came");
    Bytes.putUInt64(message, header.length + 12, Long.MAX_VALUE);
    assertThrows(InvalidCiphertextException.class, () -> lax.decryptingStream(new ByteArrayInputStream(message),
        h -> PlaintextDataKey.copyOf(DATA_KEY)).readAllBytes());
  }

  @Test
  void parseHeader_forgedHeaders_verifyOnlyWithTheirKey() {
    byte[] header = forgeHeader(MessageHeader.CONTENT_TYPE_FRAMED, 64);
    MessageDecryptor decryptor = MessageDecryptor.create(DecryptOptions.defaults(), provider);
    MessageHeader h = decryptor.parseHeader(header, 0, header.length);
    decryptor.verifyHeader(h, PlaintextDataKey.copyOf(DATA_KEY), new BodyCrypto());
    byte[] other = DATA_KEY.clone();
    other[0] = 1;
    assertThrows(InvalidCiphertextException.class,
        () -> decryptor.verifyHeader(h, PlaintextDataKey.copyOf(other), new BodyCrypto()));
  }
}
