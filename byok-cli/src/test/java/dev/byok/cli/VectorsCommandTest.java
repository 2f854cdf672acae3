package dev.byok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code byok vectors esdk-commitment FILE} on the shared vector file and on broken copies of it. */
class VectorsCommandTest {
  private static final Pattern SUMMARY = Pattern.compile("(\\d+) passed, (\\d+) failed");

  /** The shared vector file, or a skip (a failure under BYOK_REQUIRE_TEST_VECTORS=1) with the reason. */
  private static Path vectorFile() {
    String dir = System.getenv("BYOK_TEST_VECTORS");
    if (dir == null || dir.isEmpty()) {
      dir = System.getProperty("byok.testVectors");
    }
    Path file = dir == null || dir.isEmpty() ? null : Paths.get(dir, "esdk", "commitment-test-vectors.json");
    if (file == null || !Files.isRegularFile(file)) {
      String reason = "ESDK commitment vectors not found (" + (file == null ? "BYOK_TEST_VECTORS and -Dbyok.testVectors unset" : file)
          + "); they live in ../shared/test-vectors beside the repository";
      if ("1".equals(System.getenv("BYOK_REQUIRE_TEST_VECTORS"))) {
        fail(reason);
      }
      Assumptions.abort(reason);
    }
    return file;
  }

  private static Matcher summary(CliRun r) {
    List<String> lines = r.out.lines().filter(l -> !l.isBlank()).toList();
    Matcher m = SUMMARY.matcher(lines.isEmpty() ? "" : lines.get(lines.size() - 1));
    assertTrue(m.matches(), "last line is not 'N passed, M failed':\n" + r.out);
    return m;
  }

  @Test
  void esdkCommitment_sharedFile_allPassExitZero() {
    Path file = vectorFile();
    CliRun r = CliRun.run("vectors", "esdk-commitment", file.toString());
    assertEquals(ExitCodes.OK, r.status, r.out + r.err);
    Matcher m = summary(r);
    assertTrue(Integer.parseInt(m.group(1)) > 0, r.out);
    assertEquals("0", m.group(2), r.out);
    assertTrue(r.out.contains("PASS 13. Two different plaintext data keys"), "the status-false vector is reported as passing:\n" + r.out);
  }

  @Test
  void esdkCommitment_vectorWithWrongPlaintextAndWrongStatus_countsFailuresExitOne(@TempDir Path dir) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = (ObjectNode) json.readTree(Files.readAllBytes(vectorFile()));
    ArrayNode tests = (ArrayNode) root.get("tests");
    ((ObjectNode) tests.get(0)).putArray("plaintext-frames").add("something else");
    for (int i = 0; i < tests.size(); i++) {
      if (!tests.get(i).get("status").asBoolean()) {
        ((ObjectNode) tests.get(i)).put("status", true); // a rejected vector that claims to decrypt
        break;
      }
    }
    Path broken = dir.resolve("broken.json");
    Files.write(broken, json.writeValueAsBytes(root));
    CliRun r = CliRun.run("vectors", "esdk-commitment", broken.toString());
    assertEquals(ExitCodes.FAILED, r.status, r.out + r.err);
    Matcher m = summary(r);
    assertEquals("2", m.group(2), r.out);
    assertEquals(tests.size() - 2, Integer.parseInt(m.group(1)), r.out);
  }

  @Test
  void esdkCommitment_missingFile_usageError(@TempDir Path dir) {
    CliRun r = CliRun.run("vectors", "esdk-commitment", dir.resolve("absent.json").toString());
    assertEquals(ExitCodes.USAGE, r.status, r.out + r.err);
    assertTrue(r.err.contains("absent.json"), r.err);
  }

  @Test
  void esdkCommitment_notAVectorFile_failsWithOneLine(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("x.json");
    Files.write(file, "{\"title\": \"no tests here\"}".getBytes(StandardCharsets.UTF_8));
    CliRun r = CliRun.run("vectors", "esdk-commitment", file.toString());
    assertEquals(ExitCodes.USAGE, r.status, r.out + r.err);
    assertEquals(1, r.errLines().size(), r.err);
    Files.write(file, "{\"tests\": []}".getBytes(StandardCharsets.UTF_8));
    CliRun empty = CliRun.run("vectors", "esdk-commitment", file.toString());
    assertEquals(ExitCodes.FAILED, empty.status, empty.out + empty.err);
  }
}
