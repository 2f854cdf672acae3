package dev.byok.testing.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the {@code .tools} folder that {@code ./scripts/install-emulators} fills: the system
 * property {@code byok.toolsDir} (set by the parent pom for Surefire and Failsafe) wins, then the
 * environment variable {@code BYOK_TOOLS_DIR}, then the first {@code .tools} folder found walking up
 * from the working directory.
 *
 * <p>Stateless and thread-safe.
 */
public final class ToolsLocator {

  /** System property naming the tools folder. */
  public static final String TOOLS_DIR_PROPERTY = "byok.toolsDir";
  /** Environment variable naming the tools folder. */
  public static final String TOOLS_DIR_ENV = "BYOK_TOOLS_DIR";

  private static final String TOOLS_FOLDER_NAME = ".tools";

  private ToolsLocator() {}

  /** Locates the tools folder from this JVM's system property, environment and working directory. */
  public static Path locate() {
    return locate(
        System.getProperty(TOOLS_DIR_PROPERTY),
        System.getenv(TOOLS_DIR_ENV),
        Path.of("").toAbsolutePath());
  }

  /**
   * Locates the tools folder from the given inputs; blank values count as absent. A configured
   * folder is returned as given even when it does not exist, so the later error names the path
   * that was configured.
   *
   * @throws IllegalStateException if nothing is configured and no {@code .tools} folder is found
   *     above {@code workingDir}
   */
  public static Path locate(String property, String env, Path workingDir) {
    if (property != null && !property.isBlank()) {
      return Path.of(property.strip()).toAbsolutePath().normalize();
    }
    if (env != null && !env.isBlank()) {
      return Path.of(env.strip()).toAbsolutePath().normalize();
    }
    return walkUp(workingDir)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "Cannot find the emulator tools folder: system property "
                        + TOOLS_DIR_PROPERTY
                        + " and environment variable "
                        + TOOLS_DIR_ENV
                        + " are unset and no "
                        + TOOLS_FOLDER_NAME
                        + " folder exists in "
                        + workingDir
                        + " or any parent. Install the emulators with ./scripts/install-emulators"
                        + " from the repository root."));
  }

  private static Optional<Path> walkUp(Path start) {
    for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(TOOLS_FOLDER_NAME);
      if (Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
