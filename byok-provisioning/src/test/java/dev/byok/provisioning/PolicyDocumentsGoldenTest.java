package dev.byok.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every document of every vendor profile against its golden file under
 * {@code src/test/resources/golden/<case>/<document>.json}, compared as JSON trees. After a deliberate
 * change, regenerate with {@code -Dbyok.updateGolden=true} and review the diff.
 */
class PolicyDocumentsGoldenTest {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String vendor : VendorProfile.BUILT_IN) {
      out.add(Arguments.of(vendor, Specs.base(vendor).build()));
    }
    out.add(Arguments.of("slack-options", Specs.withOptions()));
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void render_vendorProfile_matchesGoldenDocuments(String name, ProvisioningSpec spec) throws IOException {
    PolicyDocuments docs = PolicyDocuments.render(spec, ResourceNames.of(spec, Specs.ACCOUNT), Specs.EXTERNAL_ID);
    assertTrue(docs.names().size() >= 3, "documents rendered: " + docs.names());
    for (String d : docs.names()) {
      Path file = GOLDEN.resolve(name).resolve(d + ".json");
      JsonNode actual = docs.get(d);
      if (Boolean.getBoolean("byok.updateGolden")) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, JSON.writeValueAsString(actual) + "\n", StandardCharsets.UTF_8);
      }
      JsonNode expected = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
      assertEquals(expected, actual, name + "/" + d + " differs from " + file);
    }
    assertTrue(PolicyLinter.forSpec(spec, ResourceNames.of(spec, Specs.ACCOUNT), false).lint(docs).isEmpty(),
        "golden documents must pass lint");
  }
}
