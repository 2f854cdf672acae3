package dev.byok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.HandoffBundle;
import dev.byok.core.audit.KeyUseEvent;
import dev.byok.testing.Emulators;
import dev.byok.testing.WithEmulators;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyState;

/**
 * {@code byok demo} against the emulators: provisioning applied on moto (IAM, STS, S3, CloudTrail,
 * CloudWatch Logs) with the customer key on local-kms (which, unlike moto, refuses a disabled key),
 * the vendor on the AWS KMS key service, and audit events delivered to the customer's log group
 * through the log role. The scoped Deny is skipped there (emulators do not evaluate key policies),
 * which the output says.
 */
@WithEmulators
class DemoEmulatorsIT {
  @TempDir Path dir;
  private EmulatorCredentialProperties credentials;

  /** The demo's AWS clients use the default credentials chain: give it the emulators' dummy keys. */
  @BeforeEach
  void credentials(Emulators emu) {
    credentials = EmulatorCredentialProperties.set(emu);
  }

  @AfterEach
  void restore() {
    credentials.close();
  }

  @Test
  void demo_onEmulators_provisionsEncryptsRevokesAndDeliversAuditEvents(Emulators emu) throws Exception {
    CliRun r = CliRun.run("demo", "--endpoint-url", emu.motoEndpoint().toString(),
        "--endpoint-url", "kms=" + emu.localKmsEndpoint(), "--region", emu.region().id(),
        "--revalidate-after", "1s", "--check-interval", "200ms", "--work-dir", dir.toString(), "--keep-resources", "--verbose");
    assertEquals(0, r.status, r.toString());
    DemoLine line = DemoLine.lastOf(r.out);
    line.assertHealthy(1000);
    assertTrue(r.out.contains("iam:CreateRole"), "provisioning applied for real\n" + r.out);
    assertTrue(r.out.contains("scoped Deny on tenant acme-legal: skipped"), r.out);
    assertTrue(r.out.contains("the policy documents as applied:"), r.out);
    assertTrue(r.out.contains("arn:aws:iam::" + emu.motoAccountId() + ":root"), "the account apply resolved\n" + r.out);
    assertFalse(r.out.contains("<ACCOUNT_ID>"), "no placeholder once apply resolved the account\n" + r.out);
    // Step 4b: the pushed revocation through the vendor's queue, beside the polled one (4a).
    String step4 = r.out.substring(r.out.indexOf("== Step 4."), r.out.indexOf("== Step 5."));
    System.out.println(step4);
    assertTrue(step4.contains("pushed through the queue: refused after " + line.pushRevokedAfterMs + " ms"), step4);
    assertTrue(line.pushRevokedAfterMs >= 0 && line.pushRevokedAfterMs < 1000,
        "the pushed revocation comes well within revalidateAfter (1 s): " + line);
    assertTrue(step4.matches("(?s).*listener: [0-9]+ events received, 1 revoked, 1 checked, 0 ignored.*"), step4);
    assertTrue(r.out.contains("events:PutRule") && r.out.contains("events:PutTargets"), "the customer's rule applied for real\n" + r.out);

    HandoffBundle bundle = HandoffBundle.read(dir.resolve("handoff-bundle.json"));
    assertEquals(emu.localKmsAccountId(), bundle.keyArn().account().value(), "the customer key lives in local-kms");
    try (KmsClient kms = emu.localKms(KmsClient.builder()).build()) {
      assertEquals(KeyState.ENABLED, kms.describeKey(b -> b.keyId(bundle.keyArn().toString())).keyMetadata().keyState(),
          "restored at the end");
    }
    List<KeyUseEvent> delivered = new ArrayList<>();
    try (CloudWatchLogsClient logs = emu.moto(CloudWatchLogsClient.builder()).build()) {
      for (FilteredLogEvent e : logs.filterLogEventsPaginator(b -> b.logGroupName(bundle.logGroupName())).events()) {
        delivered.add(KeyUseEvent.fromJson(e.message()));
      }
    }
    assertEquals(line.auditEvents, delivered.size(), "audit_events counts what reached the customer's log group");
    assertTrue(delivered.stream().anyMatch(e -> "VENDOR_SUPPORT_ACCESS".equals(e.reasonCode())
        && "acme-legal".equals(e.tenant())), "reason-coded events per tenant in the log group");
    assertTrue(delivered.stream().anyMatch(e -> e.operation() == KeyUseEvent.Operation.REVOKED),
        "the revocation itself is an audit event in the customer's log group");
  }
}
