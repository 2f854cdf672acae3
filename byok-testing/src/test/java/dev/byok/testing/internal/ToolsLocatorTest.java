package dev.byok.testing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolsLocatorTest {

  @TempDir Path tmp;

  @Test
  void locate_propertySet_winsOverEnvAndWorkingDir() throws IOException {
    Files.createDirectories(tmp.resolve(".tools"));
    Path fromProperty = tmp.resolve("prop-tools");

    assertEquals(
        fromProperty, ToolsLocator.locate(fromProperty.toString(), tmp.resolve("env").toString(), tmp));
  }

  @Test
  void locate_onlyEnvSet_usesEnv() {
    Path fromEnv = tmp.resolve("env-tools");

    assertEquals(fromEnv, ToolsLocator.locate(" ", fromEnv.toString(), tmp));
  }

  @Test
  void locate_nothingConfigured_findsToolsFolderInAnAncestor() throws IOException {
    Path tools = Files.createDirectories(tmp.resolve(".tools"));
    Path deep = Files.createDirectories(tmp.resolve("repo-module/target/classes"));

    assertEquals(tools, ToolsLocator.locate(null, null, deep));
  }

  @Test
  void locate_nothingConfiguredAndNoToolsFolder_failsNamingInstallCommand() throws IOException {
    Path deep = Files.createDirectories(tmp.resolve("a/b"));
    // the walk continues above tmp; only meaningful when no ancestor of tmp has a .tools folder
    org.junit.jupiter.api.Assumptions.assumeTrue(
        noToolsAbove(tmp), "an ancestor of the temp folder has a .tools folder");

    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> ToolsLocator.locate(null, "", deep));

    assertTrue(e.getMessage().contains("./scripts/install-emulators"), e.getMessage());
    assertTrue(e.getMessage().contains(ToolsLocator.TOOLS_DIR_PROPERTY), e.getMessage());
  }

  private static boolean noToolsAbove(Path dir) {
    for (Path d = dir.toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve(".tools"))) {
        return false;
      }
    }
    return true;
  }
}
