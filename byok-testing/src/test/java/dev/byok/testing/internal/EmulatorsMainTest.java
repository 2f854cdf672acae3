package dev.byok.testing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmulatorsMainTest {

  @Test
  void exportLines_pointEveryServiceAtMotoAndKmsAtLocalKms_withRegionAndDummyCredentials() {
    String lines =
        EmulatorsMain.exportLines(
            URI.create("http://127.0.0.1:5001"), URI.create("http://127.0.0.1:5002"), Path.of("/logs"));

    List<String> exports = lines.lines().filter(l -> l.startsWith("export ")).toList();
    assertEquals(
        List.of(
            "export AWS_ENDPOINT_URL=http://127.0.0.1:5001",
            "export AWS_ENDPOINT_URL_KMS=http://127.0.0.1:5002",
            "export AWS_REGION=us-east-1",
            "export AWS_DEFAULT_REGION=us-east-1",
            "export AWS_ACCESS_KEY_ID=testing",
            "export AWS_SECRET_ACCESS_KEY=testing"),
        exports);
    assertTrue(lines.contains("unset AWS_SESSION_TOKEN AWS_PROFILE\n"), lines);
    assertTrue(
        lines.lines().allMatch(l -> l.startsWith("export ") || l.startsWith("unset ") || l.startsWith("# ")),
        "only lines a shell can eval:\n" + lines);
  }
}
