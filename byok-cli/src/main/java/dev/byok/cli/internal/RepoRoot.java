package dev.byok.cli.internal;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * Finds the byok source tree the command runs from, for subcommands that call its scripts: the
 * environment variable {@code BYOK_HOME} (the {@code ./byok} launcher sets it), else the folders
 * above the running jar, else the working folder and its parents. Stateless and thread-safe.
 */
public final class RepoRoot {
  private RepoRoot() {}

  /** The first candidate folder that holds {@code relative}, or empty. */
  public static Optional<Path> find(String relative) {
    String env = System.getenv("BYOK_HOME");
    if (env != null && !env.isEmpty() && Files.exists(Paths.get(env).resolve(relative))) {
      return Optional.of(Paths.get(env).toAbsolutePath());
    }
    try {
      Path jar = Paths.get(RepoRoot.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Optional<Path> up = upward(jar, relative);
      if (up.isPresent()) {
        return up;
      }
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      // no code source: fall back to the working folder
    }
    return upward(Paths.get("").toAbsolutePath(), relative);
  }

  private static Optional<Path> upward(Path start, String relative) {
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.exists(p.resolve(relative))) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
