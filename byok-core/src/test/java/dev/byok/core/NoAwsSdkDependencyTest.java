package dev.byok.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * byok-core knows nothing of AWS: the runtime class path Maven resolves for it (what an application
 * that depends on byok-core gets) holds no AWS SDK artifact. The class path is written by
 * maven-dependency-plugin's {@code build-classpath} (see this module's pom) and handed over in the
 * system property {@code byok.runtimeClasspathFile}. The test also checks that it names
 * Jackson databind and SLF4J, so an empty or wrong file cannot pass.
 */
class NoAwsSdkDependencyTest {

  /** Path fragments (with {@code /} as the separator) of the AWS SDK for Java v2 and v1 and the ESDK. */
  private static final List<String> AWS_PATHS = List.of("software/amazon/awssdk", "com/amazonaws");

  @Test
  void runtimeClassPath_hasNoAwsSdkArtifact() throws IOException {
    List<String> entries = runtimeClassPath();
    for (String expected : List.of("jackson-databind", "slf4j-api")) {
      assertTrue(entries.stream().anyMatch(e -> e.contains(expected)),
          "the runtime class path should name " + expected + " but is " + entries);
    }
    for (String aws : AWS_PATHS) {
      List<String> found = entries.stream().filter(e -> e.contains(aws)).collect(Collectors.toList());
      assertTrue(found.isEmpty(), "byok-core's runtime class path holds AWS artifacts: " + found);
    }
  }

  private static List<String> runtimeClassPath() throws IOException {
    String file = System.getProperty("byok.runtimeClasspathFile");
    assertFalse(file == null || file.isBlank(),
        "system property byok.runtimeClasspathFile is not set: run this test through Maven (mvn test)");
    Path path = Path.of(file);
    assertTrue(Files.isRegularFile(path), "no runtime class path file at " + path
        + ": maven-dependency-plugin build-classpath writes it at generate-test-resources");
    String text = Files.readString(path, StandardCharsets.UTF_8).trim();
    List<String> entries = Arrays.stream(text.split(File.pathSeparator))
        .filter(e -> !e.isBlank())
        .map(e -> e.replace(File.separatorChar, '/'))
        .collect(Collectors.toList());
    assertFalse(entries.isEmpty(), "the runtime class path file " + path + " is empty");
    return entries;
  }
}
