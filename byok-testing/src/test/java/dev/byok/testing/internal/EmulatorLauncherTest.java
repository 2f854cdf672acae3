package dev.byok.testing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
  void start_bogusToolsDir_failsNamingBothMissingEmulatorsAndInstallCommand() {
    Path bogus = tmp.resolve("not-the-tools");

    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                EmulatorLauncher.start(
                    bogus, tmp.resolve("logs"), EmulatorProcess.Timing.system(Duration.ofSeconds(5))));

    assertTrue(
        e.getMessage().contains("local-kms (" + EmulatorLauncher.localKmsBinary(bogus) + ")"),
        e.getMessage());
    assertTrue(
        e.getMessage().contains("moto (" + EmulatorLauncher.motoBinary(bogus) + ")"), e.getMessage());
    assertTrue(e.getMessage().contains("./scripts/install-emulators"), e.getMessage());
  }

  @Test
  void start_onlyMotoMissing_failsNamingMotoOnly() throws Exception {
    Path tools = tmp.resolve("tools");
    Path kms = EmulatorLauncher.localKmsBinary(tools);
    Files.createDirectories(kms.getParent());
    Files.writeString(kms, "#!/bin/sh\nexit 1\n");
    Files.setPosixFilePermissions(kms, PosixFilePermissions.fromString("rwx------"));

    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                EmulatorLauncher.start(
                    tools, tmp.resolve("logs"), EmulatorProcess.Timing.system(Duration.ofSeconds(5))));

    assertTrue(e.getMessage().contains("moto (" + EmulatorLauncher.motoBinary(tools) + ")"), e.getMessage());
    assertFalse(e.getMessage().contains("local-kms ("), e.getMessage());
  }
}
