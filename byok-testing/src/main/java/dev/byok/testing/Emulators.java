package dev.byok.testing;

import dev.byok.testing.internal.EmulatorLauncher;
import dev.byok.testing.internal.EmulatorProcess;
import dev.byok.testing.internal.HealthChecks;
import dev.byok.testing.internal.ToolsLocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3BaseClientBuilder;

/**
 * The moto and local-kms emulators, running on 127.0.0.1 for integration tests.
 *
 * <p>In JUnit 5 tests, annotate the class with {@link WithEmulators} and take an {@code
 * Emulators} parameter:
 *
 * <pre>{@code
 * @WithEmulators
 * class FooIT {
 *   @Test
 *   void x(Emulators emu) {
 *     KmsClient kms = emu.localKms(KmsClient.builder()).build(); // crypto calls: local-kms
 *     IamClient iam = emu.moto(IamClient.builder()).build();     // IAM, STS, S3, Logs...: moto
 *   }
 * }
 * }</pre>
 *
 * <p>Code outside JUnit (e.g. a test that runs the CLI as a subprocess) uses {@link #shared()}.
 * There is one instance per JVM, started on first use and stopped when the JUnit run ends (or at
 * JVM exit); local-kms starts with an empty database, moto is reset before every test by the
 * extension. local-kms state is not reset between tests: create your own keys.
 *
 * <p>Limits of the emulators: moto does not reject Encrypt/Decrypt with disabled keys (local-kms
 * does); neither evaluates key policies.
 *
 * <p>Thread-safe, but moto is shared: tests that reset it must not run in parallel.
 */
public final class Emulators {

  /** System property: where emulator logs go (default: a new temporary folder). */
  public static final String LOG_DIR_PROPERTY = "byok.emulatorLogDir";
  /** System property: how long to wait for each emulator to answer, in seconds (default 60). */
  public static final String START_TIMEOUT_PROPERTY = "byok.emulatorStartTimeoutSeconds";

  private static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

  private static Emulators shared;
  private static IllegalStateException sharedFailure;
  private static boolean shutdownHookAdded;

  private final EmulatorLauncher.Running running;
  private final URI motoEndpoint;
  private final URI localKmsEndpoint;

  private Emulators(EmulatorLauncher.Running running) {
    this.running = running;
    this.motoEndpoint = HealthChecks.loopback(running.moto().port(), "");
    this.localKmsEndpoint = HealthChecks.loopback(running.localKms().port(), "");
  }

  /**
   * The emulators of this JVM, started now if they are not running.
   *
   * @throws IllegalStateException if an emulator is missing or does not answer; the message names
   *     it, the install command ({@code ./scripts/install-emulators}) and the tail of its log. A
   *     failed start is not retried within the same JVM.
   */
  public static synchronized Emulators shared() {
    if (sharedFailure != null) {
      throw new IllegalStateException(sharedFailure.getMessage(), sharedFailure);
    }
    if (shared != null && shared.running.moto().isAlive() && shared.running.localKms().isAlive()) {
      return shared;
    }
    if (shared != null) {
      // one of them died (e.g. killed from outside): start both afresh rather than limp on
      shared.running.close();
      shared = null;
    }
    if (!shutdownHookAdded) {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(Emulators::stopShared, "byok-emulators-shutdown"));
      shutdownHookAdded = true;
    }
    try {
      shared =
          new Emulators(
              EmulatorLauncher.start(
                  ToolsLocator.locate(),
                  logDir(),
                  EmulatorProcess.Timing.system(startTimeout())));
      return shared;
    } catch (IllegalStateException e) {
      sharedFailure = e;
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the emulators", e);
    }
  }

  /** Stops this JVM's emulators if they run; {@link #shared()} would start them again. */
  static synchronized void stopShared() {
    if (shared != null) {
      try {
        shared.running.close();
      } finally {
        shared = null;
      }
    }
  }

  /**
   * Points {@code builder} at moto: endpoint, region {@code us-east-1}, static dummy credentials,
   * and path-style addressing for S3 builders. Returns the same builder.
   */
  public <B extends AwsClientBuilder<B, ?>> B moto(B builder) {
    return pointAt(builder, motoEndpoint);
  }

  /**
   * Points {@code builder} at local-kms: endpoint, region {@code us-east-1}, static dummy
   * credentials. Returns the same builder.
   */
  public <B extends AwsClientBuilder<B, ?>> B localKms(B builder) {
    return pointAt(builder, localKmsEndpoint);
  }

  /** moto's endpoint, {@code http://127.0.0.1:PORT}. */
  public URI motoEndpoint() {
    return motoEndpoint;
  }

  /** local-kms's endpoint, {@code http://127.0.0.1:PORT}. */
  public URI localKmsEndpoint() {
    return localKmsEndpoint;
  }

  /** The region both emulators use: {@code us-east-1}. */
  public Region region() {
    return Region.of(EmulatorLauncher.REGION);
  }

  /** Static dummy credentials ({@code testing}/{@code testing}), accepted by both emulators. */
  public AwsCredentialsProvider credentials() {
    return CREDENTIALS;
  }

  /** The account in local-kms key ARNs: {@code 111122223333}. */
  public String localKmsAccountId() {
    return EmulatorLauncher.LOCAL_KMS_ACCOUNT_ID;
  }

  /** The account in moto ARNs: {@code 123456789012}. */
  public String motoAccountId() {
    return EmulatorLauncher.MOTO_ACCOUNT_ID;
  }

  /**
   * Empties every moto backend ({@code POST /moto-api/reset}).
   *
   * @throws IllegalStateException if moto does not confirm the reset
   */
  public void resetMoto() {
    try {
      HealthChecks.resetMoto(motoEndpoint);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while resetting moto", e);
    }
  }

  /** The file moto's output goes to. */
  public Path motoLog() {
    return running.moto().logFile();
  }

  /** The file local-kms's output goes to. */
  public Path localKmsLog() {
    return running.localKms().logFile();
  }

  @Override
  public String toString() {
    return "Emulators{moto " + motoEndpoint + ", local-kms " + localKmsEndpoint + "}";
  }

  private <B extends AwsClientBuilder<B, ?>> B pointAt(B builder, URI endpoint) {
    Objects.requireNonNull(builder, "builder");
    builder.endpointOverride(endpoint).region(region()).credentialsProvider(CREDENTIALS);
    if (builder instanceof S3BaseClientBuilder<?, ?> s3) {
      s3.forcePathStyle(true);
    }
    return builder;
  }

  private static Path logDir() {
    String configured = System.getProperty(LOG_DIR_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured.strip()).toAbsolutePath();
    }
    try {
      return Files.createTempDirectory("byok-emulator-logs-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a folder for emulator logs", e);
    }
  }

  private static Duration startTimeout() {
    String configured = System.getProperty(START_TIMEOUT_PROPERTY);
    if (configured == null || configured.isBlank()) {
      return DEFAULT_START_TIMEOUT;
    }
    try {
      long seconds = Long.parseLong(configured.strip());
      if (seconds <= 0) {
        throw new NumberFormatException("not positive");
      }
      return Duration.ofSeconds(seconds);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          START_TIMEOUT_PROPERTY + " must be a positive number of seconds, was '" + configured + "'",
          e);
    }
  }
}
