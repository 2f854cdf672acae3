package dev.byok.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byok.core.AwsAccountId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The join and the report's parts on the documented story (see the test data's README). */
class KeyUseAuditTest {
  @TempDir Path dir;

  @Test
  void documentedStory_plantedVendorEncryptWithoutEvent_isTheOneUnexplainedCall() throws Exception {
    AuditReport r = Fixtures.documentedReport(dir);

    assertTrue(r.complete(), r.render(ReportFormat.TEXT));
    assertEquals(1, r.headline().unexplained());
    assertTrue(r.hasUnexplained());
    AuditReport.UnexplainedCall u = r.unexplained().get(0);
    assertEquals(Fixtures.PLANTED_REQUEST_ID, u.requestID());
    assertEquals("Encrypt", u.eventName());
    assertEquals("arn:aws:iam::444455556666:role/slack-byok", u.principal());
    assertEquals("444455556666", u.account());
    assertEquals(Map.of("tenant", "acme-legal", "data-class", "export"), u.encryptionContext());
    assertEquals(Instant.parse("2026-03-01T12:01:30Z"), u.eventTime());
  }

  @Test
  void documentedStory_headlineCounts() throws Exception {
    AuditReport.Headline h = Fixtures.documentedReport(dir).headline();
    assertEquals(9, h.kmsRecords(), "10 records, one of S3");
    assertEquals(6, h.vendorCalls(), "GenerateDataKey, Decrypt x3, Encrypt, DescribeKey");
    assertEquals(5, h.vendorCryptoCalls());
    assertEquals(4, h.explained(), "a111, b222, e888 (denied, the vendor logged it), fa00");
    assertEquals(1, h.denied());
    assertEquals(6, h.keyUses(), "ENCRYPT/DECRYPT events that succeeded, cache hits included, duplicate not counted");
  }

  @Test
  void documentedStory_callsPerOperationAndPrincipal_onlyTheVendors() throws Exception {
    AuditReport r = Fixtures.documentedReport(dir);
    List<String> rows = r.calls().stream()
        .map(c -> c.operation() + " " + c.principal() + " " + c.calls() + "/" + c.failed() + "/" + c.explained()).toList();
    String role = "arn:aws:iam::444455556666:role/slack-byok";
    assertEquals(List.of("Decrypt " + role + " 3/1/3", "DescribeKey " + role + " 1/0/0", "Encrypt " + role + " 1/0/0",
        "GenerateDataKey " + role + " 1/0/1"), rows);
    assertEquals(List.of("444455556666"), r.vendorAccounts());
    assertFalse(r.vendorAccountsGiven());
  }

  @Test
  void documentedStory_usesPerReasonTenantActor_fromTheContext() throws Exception {
    AuditReport r = Fixtures.documentedReport(dir);
    List<String> rows = r.uses().stream()
        .map(u -> u.reasonCode() + "/" + u.tenant() + "/" + u.actor() + " " + u.uses() + "/" + u.fromKms() + "/" + u.refused())
        .toList();
    assertEquals(List.of("SEARCH_INDEXING/acme-eng/indexer 0/0/1", "SEARCH_INDEXING/acme-sales/indexer 2/1/0",
        "USER_REQUEST/acme-eng/user:alice 3/1/0", "VENDOR_SUPPORT_ACCESS/acme-legal/support:jdoe 1/1/0"), rows);
  }

  @Test
  void documentedStory_deniedDecryptAfterDisableKey_onTheTimeline() throws Exception {
    AuditReport r = Fixtures.documentedReport(dir);
    assertEquals(1, r.denied().size());
    AuditReport.DeniedCall d = r.denied().get(0);
    assertEquals("DisabledException", d.errorCode());
    assertEquals(Fixtures.DENIED_REQUEST_ID, d.requestID());
    assertTrue(d.hasEvent());

    List<AuditReport.TimelineEntry> t = r.timeline();
    List<String> what = t.stream().map(e -> e.party() + " " + e.what() + " x" + e.count()).toList();
    assertEquals(List.of("CUSTOMER DisableKey x1", "VENDOR Decrypt denied x1", "VENDOR REVOKED x2",
        "CUSTOMER EnableKey x1", "VENDOR RESTORED x1"), what);
    assertEquals(Duration.ofMillis(1500), t.get(1).sinceCustomerChange());
    assertEquals("DisabledException", t.get(1).detail());
    assertEquals(Duration.ofMillis(1600), t.get(2).sinceCustomerChange());
    assertEquals("tenants acme-eng, acme-sales: DisabledException", t.get(2).detail());
    assertNull(t.get(3).sinceCustomerChange());
    assertEquals(Duration.ofMillis(700), t.get(4).sinceCustomerChange());
  }

  @Test
  void documentedStory_cacheEffect_operationsPerKmsCall() throws Exception {
    AuditReport.CacheEffect c = Fixtures.documentedReport(dir).cache();
    assertEquals(7, c.operations());
    assertEquals(4, c.kmsCalls(), "successful cryptographic calls by the vendor");
    assertEquals(1.75, c.operationsPerKmsCall(), 1e-9);
    assertEquals(4, c.fromKms());
    assertEquals(3, c.fromCache());
  }

  @Test
  void documentedStory_input_countsOtherServicesDuplicatesUnknownFields() throws Exception {
    AuditReport.InputSummary in = Fixtures.documentedReport(dir).input();
    assertEquals(1, in.logFilesRead());
    assertEquals(10, in.records());
    assertEquals(1, in.otherServiceRecords());
    assertEquals(10, in.events());
    assertEquals(1, in.duplicateEvents());
    assertEquals(1, in.eventsWithUnknownFields());
    assertEquals(List.of("hostRegion"), in.unknownFields());
    assertEquals(1, in.eventsWithoutTrailRecord(), "the RESTORED probe's request ID is in no trail record");
  }

  @Test
  void vendorAccountGiven_otherAccountsAreNotTheVendor() throws Exception {
    Path trail = dir.resolve("trail");
    Fixtures.writeTrail(trail);
    AuditReport r = KeyUseAudit.builder().trail(TrailSource.local(trail))
        .events(EventSource.jsonLines(Fixtures.writeEvents(dir))).addVendorAccount(AwsAccountId.of("999988887777"))
        .build().run();
    assertEquals(0, r.headline().vendorCalls());
    assertEquals(0, r.headline().unexplained());
    assertEquals(List.of("999988887777"), r.vendorAccounts());
    assertTrue(r.vendorAccountsGiven());
  }

  @Test
  void window_excludesTheRecordsAndEventsOutsideIt() throws Exception {
    Path trail = dir.resolve("trail");
    Fixtures.writeTrail(trail);
    AuditReport r = KeyUseAudit.builder().trail(TrailSource.local(trail))
        .events(EventSource.jsonLines(Fixtures.writeEvents(dir)))
        .from(Instant.parse("2026-03-01T12:02:45Z")).to(Instant.parse("2026-03-01T13:00:00Z")).build().run();
    assertEquals(0, r.headline().unexplained(), "the planted call at 12:01:30 is outside");
    assertEquals(5, r.input().recordsOutsideWindow());
    assertEquals(4, r.headline().kmsRecords());
    assertEquals(5, r.input().eventsOutsideWindow(), "events 1-4 and the duplicate of 1");
    assertEquals(Instant.parse("2026-03-01T12:02:45Z"), r.window().from());
  }

  @Test
  void json_topLevelUnexplainedArray_eachWithItsRequestId() throws Exception {
    JsonNode doc = new ObjectMapper().readTree(Fixtures.documentedReport(dir).render(ReportFormat.JSON));
    assertTrue(doc.get("unexplained").isArray());
    assertEquals(1, doc.get("unexplained").size());
    assertEquals(Fixtures.PLANTED_REQUEST_ID, doc.get("unexplained").get(0).get("requestID").asText());
    assertEquals("2026-03-01T12:01:30Z", doc.get("unexplained").get(0).get("eventTime").asText());
    assertTrue(doc.get("complete").asBoolean());
    assertEquals(1, doc.get("counts").get("unexplained").asLong());
    assertEquals("PT1.5S", doc.get("timeline").get(1).get("sinceCustomerChange").asText());
    assertTrue(doc.get("headline").asText().startsWith("byok audit report: complete input; unexplained=1 "));
  }

  @Test
  void text_firstLineIsTheHeadline_andListsTheUnexplainedCall() throws Exception {
    String text = Fixtures.documentedReport(dir).render(ReportFormat.TEXT);
    String first = text.lines().findFirst().orElseThrow();
    assertEquals("byok audit report: complete input; unexplained=1 vendor_kms_calls=6 explained=4 denied=1 key_uses=6"
        + "  << 1 KMS call by the vendor without a reason", first);
    assertTrue(text.contains(Fixtures.PLANTED_REQUEST_ID), text);
    assertTrue(text.contains("Decrypt denied"), text);
  }

  @Test
  void noEventsAtAll_everyVendorCryptoCallIsUnexplained() throws Exception {
    Path trail = dir.resolve("trail");
    Fixtures.writeTrail(trail);
    Path empty = Files.writeString(dir.resolve("none.jsonl"), "");
    AuditReport r = KeyUseAudit.builder().trail(TrailSource.local(trail)).events(EventSource.jsonLines(empty)).build().run();
    assertEquals(4, r.headline().unexplained(), "GenerateDataKey, Decrypt, Encrypt, Decrypt; not the denied one");
    assertEquals(0, r.headline().explained());
  }

  @Test
  void builder_settingTwice_illegalState() {
    KeyUseAudit.Builder b = KeyUseAudit.builder().trail(TrailSource.local(dir));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.trail(TrailSource.local(dir)));
    assertTrue(e.getMessage().contains("trail was already set"), e.getMessage());
    b.addVendorAccount(AwsAccountId.of("444455556666"));
    assertThrows(IllegalStateException.class, () -> b.addVendorAccount(AwsAccountId.of("444455556666")));
  }

  @Test
  void builder_missingRequired_namesIt() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> KeyUseAudit.builder().trail(TrailSource.local(dir)).build());
    assertTrue(e.getMessage().contains("events is required"), e.getMessage());
    e = assertThrows(IllegalStateException.class,
        () -> KeyUseAudit.builder().events(EventSource.jsonLines(dir)).build());
    assertTrue(e.getMessage().contains("trail is required"), e.getMessage());
  }

  @Test
  void builder_windowBackwards_refused() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> KeyUseAudit.builder()
        .trail(TrailSource.local(dir)).events(EventSource.jsonLines(dir))
        .from(Instant.parse("2026-03-02T00:00:00Z")).to(Instant.parse("2026-03-01T00:00:00Z")).build());
    assertTrue(e.getMessage().contains("must be before"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> KeyUseAudit.builder().maxListed(0));
  }

  @Test
  void maxListed_capsTheListNotTheCount() throws Exception {
    Path trail = dir.resolve("trail");
    Fixtures.writeTrail(trail);
    Path empty = Files.writeString(dir.resolve("none.jsonl"), "");
    AuditReport r = KeyUseAudit.builder().trail(TrailSource.local(trail)).events(EventSource.jsonLines(empty))
        .maxListed(2).build().run();
    assertEquals(4, r.headline().unexplained());
    assertEquals(2, r.unexplained().size());
    assertTrue(r.render(ReportFormat.TEXT).contains("... and 2 more not listed"));
  }
}
