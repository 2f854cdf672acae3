package dev.byok.crypto.format;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the shared test-vector files: env {@code BYOK_TEST_VECTORS}, else the system property
 * {@code byok.testVectors} (set by surefire to {@code ../shared/test-vectors}). Where a file is
 * absent the test is skipped with the reason, unless env {@code BYOK_REQUIRE_TEST_VECTORS=1}
 * (CI), which makes it fail.
 */
public final class TestVectorFiles {
  private TestVectorFiles() {}

  /** The file at {@code relative} under the vector folder, or a skip/failure as above. */
  public static Path require(String relative) {
    String dir = System.getenv("BYOK_TEST_VECTORS");
    if (dir == null || dir.isEmpty()) {
      dir = System.getProperty("byok.testVectors");
    }
    Path file = dir == null || dir.isEmpty() ? null : Paths.get(dir).resolve(relative);
    if (file == null || !Files.isRegularFile(file)) {
      String reason = "test vectors not found: " + (file == null
          ? "neither BYOK_TEST_VECTORS nor -Dbyok.testVectors is set" : file + " does not exist")
          + " (they live in ../shared/test-vectors beside the repository)";
      if ("1".equals(System.getenv("BYOK_REQUIRE_TEST_VECTORS"))) {
        fail(reason + " and BYOK_REQUIRE_TEST_VECTORS=1");
      }
      Assumptions.abort(reason);
    }
    return file;
  }
}
