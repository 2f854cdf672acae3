package dev.byok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.HandoffBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code byok demo} on the embedded key service, in process. An IT because the demo measures
 * revocation in real time (it waits up to revalidateAfter for the cache to find a disabled key).
 */
class DemoIT {
  @TempDir Path dir;

  @Test
  void demo_default_summaryOnlyAndNamesNoFileThatIsDeletedAtExit() throws Exception {
    CliRun r = CliRun.run("demo", "--revalidate-after", "1s", "--check-interval", "200ms");
    assertEquals(0, r.status, r.toString());
    DemoLine.lastOf(r.out).assertHealthy(1000);
    assertFalse(r.out.contains("\"Statement\""), "no policy JSON without --verbose\n" + r.out);
    assertFalse(r.out.contains("\"externalId\""), "no bundle JSON without --verbose\n" + r.out);
    assertTrue(r.out.contains("--verbose"), "says how to see the documents\n" + r.out);
    assertFalse(r.out.contains("byok-demo-"), "names no file of the temporary folder removed at exit\n" + r.out);
    assertTrue(r.out.matches("(?s).*then all [0-9]+ of its next operations were refused.*"), r.out);
    long lines = r.out.lines().count();
    assertTrue(lines <= 90, lines + " lines\n" + r.out);
  }

  @Test
  void demo_embeddedKeyService_tellsTheStoryAndEndsWithHealthyLastLine() throws Exception {
    CliRun r = CliRun.run("demo", "--revalidate-after", "1s", "--check-interval", "200ms", "--work-dir", dir.toString(),
        "--verbose");
    assertEquals(0, r.status, r.toString());
    for (int step = 1; step <= 5; step++) {
      assertTrue(r.out.contains("== Step " + step + ". "), "heading of step " + step + "\n" + r.out);
    }
    for (String s : new String[] {"alias/acme-slack-sandbox", "ACME_SLACK_SANDBOX_LOG_GROUP", "slack-sandbox-kms-logging",
        "AllowVendorUseOfTheKey", "sts:ExternalId", "logs:PutLogEvents", "0 findings", "USER_REQUEST", "SEARCH_INDEXING",
        "VENDOR_SUPPORT_ACCESS", "byok audit report: complete input; unexplained=0 vendor_kms_calls=", "revalidateAfter = 1000 ms", "push hook", "tenant = acme-legal",
        "\"externalId\"", dir.resolve("audit-events.jsonl").toString(), dir.resolve("audit-report.html").toString()}) {
      assertTrue(r.out.contains(s), "output lacks '" + s + "'\n" + r.out);
    }
    DemoLine line = DemoLine.lastOf(r.out);
    line.assertHealthy(1000);
    assertTrue(line.pushRevokedAfterMs >= 0 && line.pushRevokedAfterMs < 1000, "the push hook revokes at once: " + line);
    assertEquals("", r.err, "nothing on standard error");

    HandoffBundle bundle = HandoffBundle.read(dir.resolve("handoff-bundle.json"));
    assertEquals("ACME_SLACK_SANDBOX_LOG_GROUP", bundle.logGroupName());
    List<String> events = Files.readAllLines(dir.resolve("audit-events.jsonl"));
    assertEquals(line.auditEvents, events.size(), "audit_events counts the events written");
    assertTrue(events.stream().anyMatch(e -> e.contains("\"REVOKED\"")), "revocations are audit events");
    assertTrue(events.stream().anyMatch(e -> e.contains("\"RESTORED\"")), "restorations are audit events");
  }
}
