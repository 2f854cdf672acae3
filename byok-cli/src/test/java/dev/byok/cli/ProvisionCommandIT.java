package dev.byok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byok.core.HandoffBundle;
import dev.byok.testing.Emulators;
import dev.byok.testing.WithEmulators;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyState;

/**
 * {@code byok provision} end to end on moto through the CLI: apply (JSON with the bundle and a
 * change count), apply again (0 changes), verify, revoke and restore, destroy. Credentials come
 * from the default chain, here the {@code aws.accessKeyId}/{@code aws.secretAccessKey} system
 * properties set for moto.
 */
@WithEmulators
class ProvisionCommandIT {
  private static EmulatorCredentialProperties credentials;

  @BeforeAll
  static void credentials(Emulators emu) {
    credentials = EmulatorCredentialProperties.set(emu);
  }

  @AfterAll
  static void restore() {
    credentials.close();
  }

  private static String[] args(Emulators emu, String... sub) {
    String[] common = {"--company", "acme", "--app", "slack", "--env", "sandbox", "--vendor", "slack", "--vendor-account", "111122223333",
        "--region", "us-east-1", "--endpoint-url", emu.motoEndpoint().toString()};
    String[] a = new String[1 + sub.length + common.length];
    a[0] = "provision";
    System.arraycopy(sub, 0, a, 1, sub.length);
    System.arraycopy(common, 0, a, 1 + sub.length, common.length);
    return a;
  }

  @Test
  void provision_applyVerifyRevokeRestoreDestroy(Emulators emu, @TempDir Path dir) throws Exception {
    ObjectMapper json = new ObjectMapper();
    Path bundleFile = dir.resolve("bundle.json");
    CliRun apply = CliRun.run(args(emu, "apply", "--format", "json", "--bundle-out", bundleFile.toString()));
    assertEquals(ExitCodes.OK, apply.status, apply.toString());
    JsonNode applied = json.readTree(apply.out);
    assertEquals(17, applied.path("changes").asInt(), apply.out);
    HandoffBundle bundle = HandoffBundle.read(bundleFile);
    assertEquals(bundle, HandoffBundle.fromJson(applied.path("handoffBundle").toString()));
    assertEquals("ACME_SLACK_SANDBOX_LOG_GROUP", bundle.logGroupName());

    CliRun again = CliRun.run(args(emu, "apply"));
    assertEquals(ExitCodes.OK, again.status, again.toString());
    assertTrue(again.out.startsWith("apply: 0 changes (everything was already in place)"), again.out);
    assertTrue(again.out.contains("YOUR_ROLE_ARN") && again.out.contains(bundle.roleArn()), again.out);

    CliRun verify = CliRun.run(args(emu, "verify"));
    assertEquals(ExitCodes.OK, verify.status, verify.toString());
    assertTrue(verify.out.contains("PASS  trail insights"), verify.out);

    Path bundleAgain = dir.resolve("bundle-from-live-resources.json");
    CliRun fromLive = CliRun.run(args(emu, "bundle", "--out", bundleAgain.toString()));
    assertEquals(ExitCodes.OK, fromLive.status, fromLive.toString());
    assertEquals(bundle, HandoffBundle.read(bundleAgain), "provision bundle reads the same bundle back from the live resources");

    try (KmsClient kms = emu.moto(KmsClient.builder()).build()) {
      String keyId = bundle.keyArn().resourceId();
      CliRun revoke = CliRun.run(args(emu, "revoke", "disable"));
      assertEquals(ExitCodes.OK, revoke.status, revoke.toString());
      assertEquals(KeyState.DISABLED, kms.describeKey(r -> r.keyId(keyId)).keyMetadata().keyState());

      CliRun failing = CliRun.run(args(emu, "verify"));
      assertEquals(ExitCodes.FAILED, failing.status, failing.toString());
      assertTrue(failing.err.startsWith("byok provision verify: 1 of"), failing.toString());
      assertTrue(failing.out.contains("FAIL  key enabled"), failing.out);

      CliRun scope = CliRun.run(args(emu, "revoke", "deny-scope", "--context", "tenant=T9"));
      assertEquals(ExitCodes.OK, scope.status, scope.toString());
      assertTrue(kms.getKeyPolicy(r -> r.keyId(keyId).policyName("default")).policy().contains("kms:EncryptionContext:tenant"));

      CliRun restore = CliRun.run(args(emu, "restore", "--format", "json"));
      assertEquals(ExitCodes.OK, restore.status, restore.toString());
      assertEquals(2, json.readTree(restore.out).path("changes").asInt(), restore.out);
      assertEquals(KeyState.ENABLED, kms.describeKey(r -> r.keyId(keyId)).keyMetadata().keyState());

      CliRun destroy = CliRun.run(args(emu, "destroy", "--yes", "--key-deletion-days", "7"));
      assertEquals(ExitCodes.OK, destroy.status, destroy.toString());
      assertEquals(KeyState.PENDING_DELETION, kms.describeKey(r -> r.keyId(keyId)).keyMetadata().keyState());
    }
  }

  @Test
  void apply_unreachableEndpoint_oneLineError(Emulators emu) {
    CliRun r = CliRun.run("provision", "apply", "--company", "acme", "--app", "slack", "--env", "sandbox", "--vendor", "slack",
        "--vendor-account", "111122223333", "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:9");
    assertEquals(ExitCodes.KEY_SERVICE_UNAVAILABLE, r.status, "unreachable before any write: 5, retry later\n" + r);
    assertEquals(1, r.errLines().size(), r.toString());
    assertTrue(r.err.startsWith("byok provision apply: apply stopped at sts:GetCallerIdentity"), r.toString());
    assertTrue(r.err.contains("nothing was changed"), r.toString());
  }

  @Test
  void apply_serviceUnreachableAfterWrites_exit1ListingChangesAndTheResumeCommand(Emulators emu) {
    String[] a = args(emu, "apply", "--external-id", "secret-external-id-1", "--endpoint-url", "logs=http://127.0.0.1:9");
    a[1] = "apply";
    CliRun r = CliRun.run(java.util.Arrays.copyOf(a, a.length));
    assertEquals(ExitCodes.FAILED, r.status, r.toString());
    assertEquals(1, r.errLines().size(), r.toString());
    assertTrue(r.err.contains("made before it (kms:CreateKey alias/acme-slack-sandbox, kms:CreateAlias alias/acme-slack-sandbox"), r.toString());
    assertTrue(r.err.contains("; resume with: byok provision apply --external-id <EXTERNAL_ID> --endpoint-url logs=http://127.0.0.1:9"
        + " --company acme"), r.toString());
    assertFalse(r.err.contains("secret-external-id-1"), "the external ID is not echoed: " + r);
    CliRun destroy = CliRun.run(args(emu, "destroy", "--yes", "--key-deletion-days", "7"));
    assertEquals(ExitCodes.OK, destroy.status, destroy.toString());
  }
}
