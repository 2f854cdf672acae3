package dev.byok.cli.internal;

import dev.byok.core.ByokException;
import dev.byok.local.LocalKeyService;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens the embedded key service's keystore file for a command. Only {@code byok keys create}
 * creates a missing file; every other command reports it as a usage error naming the file, so a
 * typo never silently creates an empty keystore. Stateless and thread-safe.
 */
public final class Keystores {
  private Keystores() {}

  /**
   * Opens {@code file}; creates it (owner-only permissions, by {@link LocalKeyService}) when
   * {@code create} is set and it does not exist.
   *
   * @throws UsageException when the file is missing and {@code create} is not set, or is a folder
   * @throws ByokException naming the file when it is corrupt or unreadable
   */
  public static LocalKeyService open(Path file, boolean create) {
    if (Files.isDirectory(file)) {
      throw new UsageException("keystore '" + file + "' is a folder, not a keystore file");
    }
    if (!create && !Files.exists(file)) {
      throw new UsageException("keystore file '" + file + "' does not exist (create it and a key with: "
          + "byok keys create --keystore " + file + ")");
    }
    return LocalKeyService.open(file);
  }
}
