package dev.byok.crypto.format;

import dev.byok.crypto.CryptoProvider;
import dev.byok.core.EncryptionContext;
import dev.byok.core.keys.EncryptedDataKey;
import dev.byok.core.keys.PlaintextDataKey;
import dev.byok.crypto.AlgorithmSuite;
import dev.byok.crypto.internal.format.EncryptionMaterials;
import dev.byok.crypto.internal.format.MessageContext;
import dev.byok.crypto.internal.format.MessageEncryptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Materials and messages for format tests; deterministic where a seed is given. */
final class Fixtures {
  static final EncryptionContext CONTEXT = EncryptionContext.of(Map.of("tenant", "acme", "data-class", "messages"));

  private Fixtures() {}

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static List<EncryptedDataKey> edks(int count) {
    List<EncryptedDataKey> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(EncryptedDataKey.of("test-provider-" + i, ("key-" + i).getBytes(StandardCharsets.UTF_8), bytes(40 + i, i)));
    }
    return out;
  }

  static PlaintextDataKey dataKey(long seed) {
    return PlaintextDataKey.wrap(bytes(32, seed));
  }

  /** Materials whose signing key pair (for a signed suite) comes from {@code provider}. */
  static EncryptionMaterials materials(CryptoProvider provider, AlgorithmSuite suite, PlaintextDataKey key,
      EncryptionContext context, int edkCount, int frameLength) {
    return EncryptionMaterials.create(MessageContext.create(suite, context, provider), key, edks(edkCount), frameLength);
  }

  /** A message written through the streaming API, in writes of {@code chunk} bytes. */
  static byte[] encryptStreaming(CryptoProvider provider, EncryptionMaterials m, byte[] plaintext, int chunk) {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = MessageEncryptor.create(provider).encryptingStream(m, sink)) {
      for (int off = 0; off < plaintext.length; off += chunk) {
        int n = Math.min(chunk, plaintext.length - off);
        if (n == 1) {
          out.write(plaintext[off]);
        } else {
          out.write(plaintext, off, n);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sink.toByteArray();
  }
}
