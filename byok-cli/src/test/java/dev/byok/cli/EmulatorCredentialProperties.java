package dev.byok.cli;

import dev.byok.testing.Emulators;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * Gives the AWS default credentials chain the emulators' dummy keys through the
 * {@code aws.accessKeyId}/{@code aws.secretAccessKey} system properties (the CLI under test reads
 * them from there), and puts back what was there on {@link #close}. Not thread-safe: system
 * properties are global, so the ITs using it do not run in parallel.
 *
 * <pre>{@code
 * @BeforeEach void setUp(Emulators emu) { credentials = EmulatorCredentialProperties.set(emu); }
 * @AfterEach void tearDown() { credentials.close(); }
 * }</pre>
 */
final class EmulatorCredentialProperties implements AutoCloseable {
  private static final String KEY_ID = "aws.accessKeyId";
  private static final String SECRET = "aws.secretAccessKey";

  private final String savedKeyId;
  private final String savedSecret;

  private EmulatorCredentialProperties(String savedKeyId, String savedSecret) {
    this.savedKeyId = savedKeyId;
    this.savedSecret = savedSecret;
  }

  /** Sets the properties to {@code emu}'s credentials; remembers the values they had. */
  static EmulatorCredentialProperties set(Emulators emu) {
    EmulatorCredentialProperties saved =
        new EmulatorCredentialProperties(System.getProperty(KEY_ID), System.getProperty(SECRET));
    AwsCredentials c = emu.credentials().resolveCredentials();
    System.setProperty(KEY_ID, c.accessKeyId());
    System.setProperty(SECRET, c.secretAccessKey());
    return saved;
  }

  /** Restores the values the properties had before {@link #set} (clears those that were unset). */
  @Override
  public void close() {
    restore(KEY_ID, savedKeyId);
    restore(SECRET, savedSecret);
  }

  private static void restore(String name, String value) {
    if (value == null) {
      System.clearProperty(name);
    } else {
      System.setProperty(name, value);
    }
  }
}
