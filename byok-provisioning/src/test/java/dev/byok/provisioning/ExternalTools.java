package dev.byok.provisioning;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The command-line tools the export ITs run: cfn-lint and parliament from {@code .tools/lint}
 * (installed by {@code ./scripts/install-emulators}), and Terraform with a local filesystem mirror
 * of the {@code hashicorp/aws} provider when the machine has both (nothing here downloads them).
 */
final class ExternalTools {
  private static final String MIRROR_PROPERTY = "byok.terraformProviderMirror";
  private static final String MIRROR_ENV = "BYOK_TERRAFORM_PROVIDER_MIRROR";
  private static final String AWS_PROVIDER = "registry.terraform.io/hashicorp/aws";

  private ExternalTools() {}

  /** One finished run: the exit status and standard output and error together. */
  record Result(int exit, String output) {}

  /** The {@code .tools} folder: system property {@code byok.toolsDir} (set by the build), else the first {@code .tools} above. */
  static Path toolsDir() {
    String configured = System.getProperty("byok.toolsDir");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured.strip());
    }
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve(".tools"))) {
        return d.resolve(".tools");
      }
    }
    throw new AssertionError("no .tools folder: run ./scripts/install-emulators from the repository root");
  }

  /** A linter from {@code .tools/lint/bin}; fails naming the install command when it is missing. */
  static Path lintTool(String name) {
    Path p = toolsDir().resolve("lint").resolve("bin").resolve(name);
    if (!Files.isExecutable(p)) {
      throw new AssertionError(p + " is missing: run ./scripts/install-emulators (it installs cfn-lint and parliament, pinned)");
    }
    return p;
  }

  /** Runs {@code command} in {@code dir} with {@code env} added, standard input empty; fails on a time-out. */
  static Result run(Path dir, Map<String, String> env, Duration timeout, String... command) {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      byte[][] out = new byte[1][];
      Thread reader = new Thread(() -> {
        try (InputStream in = p.getInputStream()) {
          out[0] = in.readAllBytes();
        } catch (IOException e) {
          out[0] = ("(output lost: " + e + ")").getBytes(StandardCharsets.UTF_8);
        }
      });
      reader.start();
      if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
      }
      reader.join();
      return new Result(p.exitValue(), new String(out[0], StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command[0], e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Why the Terraform test cannot run here, or empty when {@code terraform} answers and a provider mirror is found. */
  static Optional<String> terraformMissing(Path workDir) {
    try {
      Result v = run(workDir, Map.of("CHECKPOINT_DISABLE", "1"), Duration.ofSeconds(60), "terraform", "version");
      if (v.exit() != 0) {
        return Optional.of("'terraform version' exited with " + v.exit() + ": " + v.output().strip());
      }
    } catch (UncheckedIOException e) {
      return Optional.of("terraform is not on PATH (" + e.getCause().getMessage() + ")");
    }
    if (providerMirror().isEmpty()) {
      return Optional.of("no local filesystem mirror of the " + AWS_PROVIDER + " provider (set -D" + MIRROR_PROPERTY + " or "
          + MIRROR_ENV + ", or put one in a Terraform implied mirror folder or under /opt); no registry serves providers here");
    }
    return Optional.empty();
  }

  /**
   * A folder laid out as a Terraform filesystem mirror that holds {@code hashicorp/aws}: the
   * configured one, else the first of Terraform's implied local mirror folders, else one found
   * within three levels under {@code /opt}.
   */
  static Optional<Path> providerMirror() {
    List<Path> candidates = new ArrayList<>();
    for (String configured : new String[] {System.getProperty(MIRROR_PROPERTY), System.getenv(MIRROR_ENV)}) {
      if (configured != null && !configured.isBlank()) {
        candidates.add(Path.of(configured.strip()));
      }
    }
    String home = System.getProperty("user.home");
    String xdg = System.getenv("XDG_DATA_HOME");
    candidates.add(Path.of(home, ".terraform.d", "plugins"));
    candidates.add(xdg != null && !xdg.isBlank() ? Path.of(xdg, "terraform", "plugins") : Path.of(home, ".local", "share", "terraform", "plugins"));
    candidates.add(Path.of("/usr/local/share/terraform/plugins"));
    candidates.add(Path.of("/usr/share/terraform/plugins"));
    Path opt = Path.of("/opt");
    if (Files.isDirectory(opt)) {
      try (Stream<Path> s = Files.walk(opt, 3)) {
        s.filter(p -> p.getFileName() != null && p.getFileName().toString().equals("registry.terraform.io")).map(Path::getParent)
            .sorted().forEach(candidates::add);
      } catch (IOException | UncheckedIOException e) {
        // an unreadable folder under /opt holds no mirror we can use
      }
    }
    return candidates.stream().filter(ExternalTools::holdsAwsProvider).findFirst();
  }

  private static boolean holdsAwsProvider(Path mirror) {
    Path provider = mirror.resolve(AWS_PROVIDER);
    if (!Files.isDirectory(provider)) {
      return false;
    }
    try (Stream<Path> s = Files.walk(provider, 3)) {
      return s.anyMatch(p -> p.getFileName().toString().startsWith("terraform-provider-aws"));
    } catch (IOException e) {
      return false;
    }
  }
}
