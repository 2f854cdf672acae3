package dev.byok.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Proves the harness itself: one instance per JVM, moto reset between tests, S3 path style. */
@WithEmulators
class HarnessBehaviourIT {

  private static Emulators fromBeforeAll;
  private final Emulators fromConstructor;

  HarnessBehaviourIT(Emulators emu) {
    this.fromConstructor = emu;
  }

  @BeforeAll
  static void remember(Emulators emu) {
    fromBeforeAll = emu;
  }

  @Test
  void injection_everywhere_isTheSharedInstanceOnLoopback(Emulators emu) {
    assertSame(Emulators.shared(), emu);
    assertSame(emu, fromBeforeAll);
    assertSame(emu, fromConstructor);
    assertEquals("127.0.0.1", emu.motoEndpoint().getHost());
    assertEquals("127.0.0.1", emu.localKmsEndpoint().getHost());
    assertTrue(Files.isRegularFile(emu.motoLog()), emu.motoLog().toString());
  }

  /**
   * Each repetition finds moto empty and leaves a log group behind: the second fails unless the
   * extension reset moto in between.
   */
  @RepeatedTest(2)
  void extensionReset_beforeEachTest_leavesMotoEmpty(Emulators emu) {
    try (CloudWatchLogsClient logs = emu.moto(CloudWatchLogsClient.builder()).build()) {
      assertEquals(0, logs.describeLogGroups().logGroups().size());
      logs.createLogGroup(b -> b.logGroupName("/byok/left-behind"));
      assertEquals(1, logs.describeLogGroups().logGroups().size());
    }
  }

  @Test
  void resetMoto_afterCreatingState_emptiesIt(Emulators emu) {
    try (CloudWatchLogsClient logs = emu.moto(CloudWatchLogsClient.builder()).build()) {
      logs.createLogGroup(b -> b.logGroupName("/byok/a"));
      logs.createLogGroup(b -> b.logGroupName("/byok/b"));
      assertEquals(2, logs.describeLogGroups().logGroups().size());

      emu.resetMoto();

      assertEquals(0, logs.describeLogGroups().logGroups().size());
    }
  }

  @Test
  void s3Client_fromHarness_usesPathStyleAgainstMoto(Emulators emu) {
    try (S3Client s3 = emu.moto(S3Client.builder()).build()) {
      s3.createBucket(b -> b.bucket("byok-trail"));
      s3.putObject(b -> b.bucket("byok-trail").key("k"), RequestBody.fromString("v"));

      String read =
          s3.getObjectAsBytes(b -> b.bucket("byok-trail").key("k"))
              .asString(StandardCharsets.UTF_8);

      assertEquals("v", read);
    }
  }
}
