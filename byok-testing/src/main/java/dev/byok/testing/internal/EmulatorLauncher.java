package dev.byok.testing.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Starts moto and local-kms from a tools folder laid out by {@code ./scripts/install-emulators}:
 * {@code moto/bin/moto_server} and {@code bin/local-kms}.
 *
 * <p>Stateless and thread-safe; each {@link #start} starts new processes.
 */
public final class EmulatorLauncher {

  /** moto's name in messages and logs. */
  public static final String MOTO = "moto";
  /** local-kms's name in messages and logs. */
  public static final String LOCAL_KMS = "local-kms";
  /** The account local-kms puts into its key ARNs. */
  public static final String LOCAL_KMS_ACCOUNT_ID = "111122223333";
  /** The account moto puts into its ARNs. */
  public static final String MOTO_ACCOUNT_ID = "123456789012";
  /** The region both emulators are configured for. */
  public static final String REGION = "us-east-1";

  private EmulatorLauncher() {}

  /** Where the installer puts {@code moto_server}. */
  public static Path motoBinary(Path toolsDir) {
    return toolsDir.resolve("moto").resolve("bin").resolve("moto_server");
  }

  /** Where the installer puts {@code local-kms}. */
  public static Path localKmsBinary(Path toolsDir) {
    return toolsDir.resolve("bin").resolve("local-kms");
  }

  /** Both emulators, running; closing stops them and deletes local-kms's data. */
  public record Running(EmulatorProcess moto, EmulatorProcess localKms, Path localKmsData)
      implements AutoCloseable {

    @Override
    public void close() {
      try {
        moto.close();
      } finally {
        try {
          localKms.close();
        } finally {
          deleteRecursively(localKmsData);
        }
      }
    }
  }

  /**
   * Starts local-kms (with a fresh, empty data folder) and moto on free loopback ports and waits
   * until both answer.
   *
   * @throws IllegalStateException naming the emulator that could not start, the install command
   *     and its log tail
   */
  public static Running start(Path toolsDir, Path logDir, EmulatorProcess.Timing timing)
      throws InterruptedException {
    requireInstalled(toolsDir);
    Path kmsData;
    try {
      kmsData = Files.createTempDirectory("byok-local-kms-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a data folder for local-kms", e);
    }
    EmulatorProcess.Spec kmsSpec =
        new EmulatorProcess.Spec(
            LOCAL_KMS,
            localKmsBinary(toolsDir),
            port -> List.of(),
            port ->
                Map.of(
                    "PORT", Integer.toString(port),
                    "KMS_ACCOUNT_ID", LOCAL_KMS_ACCOUNT_ID,
                    "KMS_REGION", REGION,
                    // one folder per attempt, so a failed attempt leaves nothing behind for the next
                    "KMS_DATA_PATH", kmsData.resolve("port-" + port).toString(),
                    // a path that does not exist: no seeding from the default /init/seed.yaml
                    "KMS_SEED_PATH", kmsData.resolve("no-seed.yaml").toString()),
            HealthChecks::localKmsAnswers);
    EmulatorProcess.Spec motoSpec =
        new EmulatorProcess.Spec(
            MOTO,
            motoBinary(toolsDir),
            port -> List.of("-H", "127.0.0.1", "-p", Integer.toString(port)),
            port -> Map.of("MOTO_ACCOUNT_ID", MOTO_ACCOUNT_ID, "PYTHONUNBUFFERED", "1"),
            HealthChecks::motoAnswers);

    EmulatorProcess localKms = null;
    try {
      localKms = EmulatorProcess.start(kmsSpec, logDir, timing);
      EmulatorProcess moto = EmulatorProcess.start(motoSpec, logDir, timing);
      return new Running(moto, localKms, kmsData);
    } catch (RuntimeException | InterruptedException e) {
      if (localKms != null) {
        localKms.close();
      }
      deleteRecursively(kmsData);
      throw e;
    }
  }

  /** Fails naming every emulator whose binary is missing, before anything is started. */
  static void requireInstalled(Path toolsDir) {
    List<String> missing = new ArrayList<>();
    if (!Files.isExecutable(localKmsBinary(toolsDir))) {
      missing.add(LOCAL_KMS + " (" + localKmsBinary(toolsDir) + ")");
    }
    if (!Files.isExecutable(motoBinary(toolsDir))) {
      missing.add(MOTO + " (" + motoBinary(toolsDir) + ")");
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "Emulators not installed or not executable: "
              + String.join(", ", missing)
              + ". Install them with "
              + EmulatorProcess.INSTALL_COMMAND
              + " (from the repository root); the harness finds them through system property "
              + ToolsLocator.TOOLS_DIR_PROPERTY
              + ", env "
              + ToolsLocator.TOOLS_DIR_ENV
              + " or a .tools folder above the working directory.");
    }
  }

  static void deleteRecursively(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a leftover temp folder is harmless
    }
  }
}
