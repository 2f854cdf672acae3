package dev.byok.soak;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code scripts/soak [--minutes N] [--tenants N] [--threads N] [--seed S]}: runs the soak and exits
 * 0 when its last line is {@code soak: ok ...}, 1 when it is {@code soak: failed ...}, 2 on bad
 * arguments. Work files (bundles, spill directory, vendor and emulator logs) go to
 * {@code $BYOK_SOAK_DIR} or a new temporary folder, named on the first line.
 */
public final class SoakMain {
  private SoakMain() {}

  public static void main(String[] args) throws Exception {
    SoakOptions options;
    try {
      options = SoakOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("soak: " + e.getMessage());
      System.err.println(SoakOptions.USAGE);
      System.exit(2);
      return;
    }
    String dir = System.getenv("BYOK_SOAK_DIR");
    Path work = dir == null || dir.isEmpty() ? Files.createTempDirectory("byok-soak-") : Files.createDirectories(Path.of(dir));
    System.out.println("soak: " + options + ", work files in " + work);
    int status;
    try {
      status = new Soak(options, work, System.out).run();
    } catch (Exception | Error e) {
      e.printStackTrace();
      System.out.println("soak: failed (" + e + ")");
      status = 1;
    }
    System.out.flush();
    System.exit(status);
  }
}
