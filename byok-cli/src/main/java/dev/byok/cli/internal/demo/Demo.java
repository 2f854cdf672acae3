package dev.byok.cli.internal.demo;

import dev.byok.cli.internal.Endpoints;
import dev.byok.cli.internal.UsageException;
import dev.byok.core.AwsAccountId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Entry point of {@code byok demo}: picks the world (embedded key service, or AWS / emulators),
 * prepares the work folder and runs the {@link Story}. Stateless and thread-safe.
 */
public final class Demo {
  /** The customer account of the embedded key service's ARNs (the AWS documentation's example). */
  static final AwsAccountId LOCAL_CUSTOMER_ACCOUNT = AwsAccountId.of("111122223333");

  private Demo() {}

  /** The command's options. Immutable. */
  public static final class Options {
    final List<String> endpoints;
    final boolean aws;
    final String region;
    final String vendorAccount;
    final Duration revalidateAfter;
    final Duration checkInterval;
    final Path workDir;
    final boolean keepResources;
    final boolean verbose;

    public Options(List<String> endpoints, boolean aws, String region, String vendorAccount, Duration revalidateAfter,
        Duration checkInterval, Path workDir, boolean keepResources, boolean verbose) {
      this.endpoints = List.copyOf(endpoints);
      this.aws = aws;
      this.region = region;
      this.vendorAccount = vendorAccount;
      this.revalidateAfter = revalidateAfter;
      this.checkInterval = checkInterval;
      this.workDir = workDir;
      this.keepResources = keepResources;
      this.verbose = verbose;
    }
  }

  /** Runs the story and returns its figures. */
  public static Story.Result run(PrintWriter out, Options o) throws Exception {
    AwsAccountId vendor;
    try {
      vendor = AwsAccountId.of(o.vendorAccount);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--vendor-account: " + e.getMessage(), e);
    }
    Endpoints endpoints = Endpoints.parse(o.endpoints);
    boolean onAws = o.aws || endpoints.any();
    Path dir = o.workDir;
    boolean temporary = dir == null;
    if (temporary) {
      dir = Files.createTempDirectory("byok-demo-");
    } else {
      Files.createDirectories(dir);
    }
    try (World world = onAws ? new AwsWorld(o.region, endpoints, out, o.keepResources)
        : new LocalWorld(o.region, LOCAL_CUSTOMER_ACCOUNT, vendor)) {
      Story.Settings s = new Story.Settings("acme", "slack", "sandbox", o.region, "slack", vendor,
          onAws ? null : LOCAL_CUSTOMER_ACCOUNT, o.revalidateAfter, o.checkInterval, dir, temporary, o.verbose);
      return new Story(world, out, s).run();
    } finally {
      if (temporary) {
        deleteTree(dir);
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
