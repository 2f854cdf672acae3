package dev.byok.aws.logs.internal;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a sink without a spill directory keeps the events it could not deliver by close (and those
 * CloudWatch Logs refused for good), so that they are never lost without a durable trace:
 * {@code <root>/<instanceId>/}, owner-only, in the spill format, so a sink started with
 * {@code spillDirectory(<root>/<instanceId>)} delivers them. The root is, first that applies:
 * <ol>
 *   <li>the system property {@value #PROPERTY};
 *   <li>{@code $XDG_STATE_HOME/byok/audit-spill} when {@code XDG_STATE_HOME} is an absolute path;
 *   <li>{@code ~/.local/state/byok/audit-spill} (the XDG default) when the home directory is writable;
 *   <li>{@code ${java.io.tmpdir}/byok-spill-<user>}.
 * </ol>
 */
public final class DefaultSpillLocation {
  /** The system property that names the root directory. */
  public static final String PROPERTY = "byok.audit.defaultSpillDirectory";

  private DefaultSpillLocation() {}

  /** The root directory, by the rules above. */
  public static Path root() {
    String p = System.getProperty(PROPERTY);
    if (p != null && !p.isBlank()) {
      return Path.of(p);
    }
    String xdg = System.getenv("XDG_STATE_HOME");
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "byok", "audit-spill");
    }
    String home = System.getProperty("user.home");
    if (home != null && !home.isBlank() && Path.of(home).isAbsolute() && Files.isDirectory(Path.of(home))
        && Files.isWritable(Path.of(home))) {
      return Path.of(home, ".local", "state", "byok", "audit-spill");
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "byok-spill-" + safe(System.getProperty("user.name", "user")));
  }

  /** The directory of one sink instance under {@link #root()}. */
  public static Path forInstance(String instanceId) {
    return root().resolve(safe(instanceId));
  }

  private static String safe(String s) {
    String t = s.replaceAll("[^A-Za-z0-9_-]", "_");
    return t.isEmpty() ? "_" : t;
  }
}
