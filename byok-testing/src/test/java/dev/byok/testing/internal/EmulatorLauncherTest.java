package dev.byok.testing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmulatorLauncherTest {

  @TempDir Path tmp;

  @Test
  void binaries_installerLayout_areWhereTheInstallerPutsThem() {
    Path tools = Path.of("repo", ".tools");

    assertEquals(tools.resolve("moto/bin/moto_server"), EmulatorLauncher.motoBinary(tools));
    assertEquals(tools.resolve("bin/local-kms"), EmulatorLauncher.localKmsBinary(tools));
  }

  @Test
  void start_bogusToolsDir_failsNamingTheMissingEmulatorAndInstallCommand() {
    Path bogus = tmp.resolve("not-the-tools");

    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                EmulatorLauncher.start(
                    bogus, tmp.resolve("logs"), EmulatorProcess.Timing.system(Duration.ofSeconds(5))));

    assertTrue(e.getMessage().contains("'local-kms'"), e.getMessage());
    assertTrue(
        e.getMessage().contains(EmulatorLauncher.localKmsBinary(bogus).toString()), e.getMessage());
    assertTrue(e.getMessage().contains("./scripts/install-emulators"), e.getMessage());
  }
}
