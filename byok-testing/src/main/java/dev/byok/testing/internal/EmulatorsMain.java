package dev.byok.testing.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The process behind {@code ./scripts/emulators start}: starts moto and local-kms with the same
 * {@link EmulatorLauncher} (same binaries, configuration and free loopback ports) the tests use,
 * writes the shell {@code export} lines that point the AWS SDKs at them to {@code STATE_DIR/env},
 * then runs until it is terminated; its shutdown hook stops both emulators and removes the file.
 * If it dies without its hook ({@code kill -9}), each emulator's watchdog stops it.
 *
 * <pre>{@code
 * java -Dbyok.toolsDir=.tools -cp CLASSES dev.byok.testing.internal.EmulatorsMain STATE_DIR
 * }</pre>
 *
 * <p>Uses only the JDK, so it runs from this package's compiled classes without any jar.
 */
public final class EmulatorsMain {
  /** The file, in the state folder, that holds the export lines while the emulators run. */
  public static final String ENV_FILE = "env";
  /** The dummy access key ID and secret: the emulators accept any. */
  public static final String DUMMY_CREDENTIAL = "testing";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private EmulatorsMain() {}

  /**
   * The shell lines that point an AWS SDK (Java v2, boto3, the AWS CLI) at the emulators: every
   * service at moto, KMS at local-kms, the emulators' region and dummy credentials.
   */
  public static String exportLines(URI moto, URI localKms, Path logDir) {
    return "# moto (IAM, STS, S3, CloudTrail, CloudWatch Logs, EventBridge, SQS, ...), account "
        + EmulatorLauncher.MOTO_ACCOUNT_ID
        + "\n"
        + "export AWS_ENDPOINT_URL=" + moto + "\n"
        + "# local-kms (KMS), account " + EmulatorLauncher.LOCAL_KMS_ACCOUNT_ID + "\n"
        + "export AWS_ENDPOINT_URL_KMS=" + localKms + "\n"
        + "export AWS_REGION=" + EmulatorLauncher.REGION + "\n"
        + "export AWS_DEFAULT_REGION=" + EmulatorLauncher.REGION + "\n"
        + "# the emulators accept any credentials\n"
        + "export AWS_ACCESS_KEY_ID=" + DUMMY_CREDENTIAL + "\n"
        + "export AWS_SECRET_ACCESS_KEY=" + DUMMY_CREDENTIAL + "\n"
        + "unset AWS_SESSION_TOKEN AWS_PROFILE\n"
        + "# logs: " + logDir + "\n";
  }

  /** Starts the emulators into {@code args[0]} (the state folder) and waits to be terminated. */
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: EmulatorsMain STATE_DIR");
      System.exit(2);
    }
    Path state = Path.of(args[0]).toAbsolutePath();
    Path env = state.resolve(ENV_FILE);
    Path logs = state.resolve("logs");
    Files.createDirectories(logs);
    Files.deleteIfExists(env);
    EmulatorLauncher.Running running;
    try {
      running =
          EmulatorLauncher.start(
              ToolsLocator.locate(), logs, EmulatorProcess.Timing.system(START_TIMEOUT));
    } catch (IllegalStateException e) {
      System.err.println("emulators: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch forever = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    Files.deleteIfExists(env);
                  } catch (IOException e) {
                    // the script removes it too
                  }
                  running.close();
                },
                "byok-emulators-stop"));
    String lines =
        exportLines(
            HealthChecks.loopback(running.moto().port(), ""),
            HealthChecks.loopback(running.localKms().port(), ""),
            logs);
    Path tmp = state.resolve(ENV_FILE + ".tmp");
    Files.writeString(tmp, lines, StandardCharsets.UTF_8);
    // the script waits for this file: it appears whole, once both emulators answer
    Files.move(tmp, env, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    System.out.println(
        "emulators: moto on " + running.moto().port() + ", local-kms on " + running.localKms().port());
    forever.await();
  }
}
