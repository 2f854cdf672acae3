package dev.byok.crypto.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads the third-party test-vector files shipped in this module's test resources under
 * {@code vectors/} ({@code vectors/README.md} names each file's source and licence). They are on
 * the class path of every test of this module and, through byok-crypto's test-jar, of the modules
 * that depend on it; a missing file is an error, never a skip.
 */
public final class TestVectorFiles {
  private TestVectorFiles() {}

  /**
   * The bytes of the file at {@code relative} under {@code vectors/}, e.g.
   * {@code esdk/commitment-test-vectors.json}.
   *
   * @throws IllegalStateException if no such resource is on the class path
   */
  public static byte[] read(String relative) {
    String name = "/vectors/" + relative;
    try (InputStream in = TestVectorFiles.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("test vector resource " + name + " is not on the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("reading test vector resource " + name, e);
    }
  }
}
