package dev.byok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.crypto.format.TestVectorFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code byok vectors esdk-commitment FILE} on the ESDK vector file and on broken copies of it. */
class VectorsCommandTest {
  private static final Pattern SUMMARY = Pattern.compile("(\\d+) passed, (\\d+) failed");

  /** The ESDK vector file from byok-crypto's test resources, written to {@code dir} for the command. */
  private static Path vectorFile(Path dir) throws IOException {
    return Files.write(dir.resolve("commitment-test-vectors.json"), TestVectorFiles.read("esdk/commitment-test-vectors.json"));
  }

  private static Matcher summary(CliRun r) {
    List<String> lines = r.out.lines().filter(l -> !l.isBlank()).toList();
    Matcher m = SUMMARY.matcher(lines.isEmpty() ? "" : lines.get(lines.size() - 1));
    assertTrue(m.matches(), "last line is not 'N passed, M failed':\n" + r.out);
    return m;
  }

  @Test
  void esdkCommitment_vectorFile_allPassExitZero(@TempDir Path dir) throws IOException {
    Path file = vectorFile(dir);
    CliRun r = CliRun.run("vectors", "esdk-commitment", file.toString());
    assertEquals(ExitCodes.OK, r.status, r.out + r.err);
    Matcher m = summary(r);
    assertTrue(Integer.parseInt(m.group(1)) > 0, r.out);
    assertEquals("0", m.group(2), r.out);
    int vectors = new ObjectMapper().readTree(Files.readAllBytes(file)).get("tests").size();
    assertEquals(vectors, Integer.parseInt(m.group(1)), "every vector of the file is run:\n" + r.out);
    assertTrue(r.out.contains("PASS 13. Two different plaintext data keys"), "the status-false vector is reported as passing:\n" + r.out);
    assertTrue(r.out.contains("PASS 1. Non-KMS key provider"), "the vector whose data key is not a KMS key's passes:\n" + r.out);
  }

  @Test
  void esdkCommitment_vectorWithWrongPlaintextAndWrongStatus_countsFailuresExitOne(@TempDir Path dir) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = (ObjectNode) json.readTree(Files.readAllBytes(vectorFile(dir)));
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
  void esdkCommitment_wrongDataKeyMessageIdOrContext_eachFailsWithItsReason(@TempDir Path dir) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = (ObjectNode) json.readTree(Files.readAllBytes(vectorFile(dir)));
    ArrayNode tests = (ArrayNode) root.get("tests");
    ObjectNode kept = null;
    for (int i = 0; i < tests.size() && kept == null; i++) {
      if (tests.get(i).get("status").asBoolean() && tests.get(i).get("encryption-context").size() > 0) {
        kept = (ObjectNode) tests.get(i);
      }
    }
    ObjectNode wrongKey = kept.deepCopy().put("comment", "wrong key");
    byte[] dek = java.util.Base64.getDecoder().decode(wrongKey.get("decrypted-dek").asText());
    dek[0] ^= 1;
    wrongKey.put("decrypted-dek", java.util.Base64.getEncoder().encodeToString(dek));
    ObjectNode wrongId = kept.deepCopy().put("comment", "wrong id").put("message-id",
        java.util.Base64.getEncoder().encodeToString(new byte[32]));
    ObjectNode wrongContext = kept.deepCopy().put("comment", "wrong context");
    ((ObjectNode) wrongContext.get("encryption-context")).put("not-in-the-message", "x");
    tests.removeAll();
    tests.add(wrongKey).add(wrongId).add(wrongContext);
    Path broken = dir.resolve("broken.json");
    Files.write(broken, json.writeValueAsBytes(root));
    CliRun r = CliRun.run("vectors", "esdk-commitment", broken.toString());
    assertEquals(ExitCodes.FAILED, r.status, r.out + r.err);
    assertEquals("0", summary(r).group(1), r.out);
    assertTrue(r.out.contains("FAIL wrong key: ") && r.out.contains("commitment"), r.out);
    assertTrue(r.out.contains("FAIL wrong id: message ID differs"), r.out);
    assertTrue(r.out.contains("FAIL wrong context: encryption context differs"), r.out);
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
