package dev.byok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Follows docs/try-locally.md step by step: runs the page's {@code sh} blocks, in order, in one
 * bash shell from the repository root, as a new user would paste them: {@code scripts/emulators
 * start} and {@code env}, {@code byok provision apply}, the vendor's program, the customer's view of
 * the log group, {@code scripts/emulators stop}. Two substitutions only: the packaged jar's real
 * path for {@code byok-cli/target/byok.jar} (the build folder may be named otherwise), and the
 * emulators' state folder is a temporary one (so a developer's own running emulators are left alone).
 */
class TryLocallyIT {
  private static final Pattern SH_BLOCK = Pattern.compile("(?ms)^```sh\\n(.*?)^```");
  private static final Pattern STARTED = Pattern.compile("emulators: started \\(pid ([0-9]+)\\)");
  private static final String DOC_JAR = "byok-cli/target/byok.jar";

  private static Path root;
  private static Path jar;

  @TempDir Path state;

  @BeforeAll
  static void locate() {
    String rootProp = System.getProperty("byok.repoRoot");
    String jarProp = System.getProperty("byok.jar");
    assumeTrue(rootProp != null && jarProp != null, "byok.repoRoot and byok.jar are set by the byok-cli pom (run with Maven)");
    root = Path.of(rootProp);
    jar = Path.of(jarProp);
    assertTrue(Files.exists(jar), "packaged jar " + jar);
  }

  static List<String> steps(String page) {
    List<String> blocks = new ArrayList<>();
    Matcher m = SH_BLOCK.matcher(page);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  @Test
  void page_hasEveryStepInOrder() throws IOException {
    String all = String.join("\n", steps(Files.readString(root.resolve("docs/try-locally.md"))));
    String[] inOrder = {"./scripts/emulators start", "eval \"$(./scripts/emulators env)\"", "./byok provision apply",
        "docs/examples/VendorApp.java", "docs/examples/ShowEvents.java", "./scripts/emulators stop"};
    int at = -1;
    for (String step : inOrder) {
      int next = all.indexOf(step, at + 1);
      assertTrue(next > at, "docs/try-locally.md runs '" + step + "' after the previous step:\n" + all);
      at = next;
    }
  }

  @Test
  void page_fromNothingToEventsInTheLogGroup() throws Exception {
    List<String> blocks = steps(Files.readString(root.resolve("docs/try-locally.md")));
    StringBuilder script = new StringBuilder("set -euo pipefail\n");
    for (String b : blocks) {
      script.append(b.replace(DOC_JAR, jar.toString())).append('\n');
    }
    Path log = state.resolve("page.log");
    int status;
    try {
      status = bash(script.toString(), log);
    } finally {
      bash("./scripts/emulators stop", state.resolve("stop.log")); // whatever the page did
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(0, status, out);
    assertTrue(out.contains("byok provision apply: wrote the hand-off bundle to target/try-locally/bundles/acme.json"), out);
    assertTrue(out.contains("vendor: encrypted 17 bytes for acme"), out);
    assertTrue(out.contains("2 events in ACME_SLACK_SANDBOX_LOG_GROUP"), out);
    assertTrue(out.matches("(?s).*\"tenant\":\"acme\",\"operation\":\"ENCRYPT\".*\"reasonCode\":\"USER_REQUEST\".*"), out);
    assertTrue(out.matches("(?s).*\"operation\":\"DECRYPT\".*\"reasonCode\":\"SEARCH_INDEXING\".*"), out);
    assertTrue(out.contains("emulators: stopped"), out);
    Matcher started = STARTED.matcher(out);
    assertTrue(started.find(), out);
    long pid = Long.parseLong(started.group(1));
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the emulators' launcher stopped");
    assertFalse(Files.exists(state.resolve("env")), "no export lines left once stopped");
  }

  /** Runs {@code script} in bash from the repository root, output to {@code log}; returns the exit status. */
  private int bash(String script, Path log) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(root.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_")); // a fresh shell: no endpoint, region or credentials
    env.put("BYOK_JAR", jar.toString());
    env.put("BYOK_EMULATORS_DIR", state.toString());
    Process p = pb.start();
    p.getOutputStream().close();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      return -1;
    }
    return p.exitValue();
  }
}
