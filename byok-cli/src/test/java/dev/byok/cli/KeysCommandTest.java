package dev.byok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byok.core.KeyArn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private String create(Path keystore, String... extra) {
    String[] args = new String[3 + extra.length];
    args[0] = "keys";
    args[1] = "create";
    args[2] = "--keystore=" + keystore;
    System.arraycopy(extra, 0, args, 3, extra.length);
    CliRun r = CliRun.run(args);
    assertEquals(0, r.status, r.toString());
    return r.out.trim();
  }

  @Test
  void create_newKeystore_printsArnAndCreatesOwnerOnlyFile() throws Exception {
    Path ks = dir.resolve("keys.json");
    String arn = create(ks, "--alias", "acme-slack-sandbox", "--description", "acme data");
    KeyArn parsed = KeyArn.parse(arn);
    assertEquals(KeyArn.ResourceType.KEY, parsed.resourceType());
    assertTrue(Files.exists(ks));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ks)));
  }

  @Test
  void list_afterRestart_showsKeysCreatedByEarlierRuns() throws Exception {
    Path ks = dir.resolve("keys.json");
    String a = create(ks, "--alias", "first");
    String b = create(ks, "--allow-account", "444455556666");
    CliRun r = CliRun.run("keys", "list", "--keystore", ks.toString(), "--format", "json");
    assertEquals(0, r.status, r.toString());
    JsonNode arr = JSON.readTree(r.out);
    assertEquals(2, arr.size());
    assertEquals(a, arr.get(0).get("keyArn").asText());
    assertEquals("alias/first", arr.get(0).get("aliases").get(0).asText());
    assertEquals(b, arr.get(1).get("keyArn").asText());
    assertEquals("444455556666", arr.get(1).get("allowedAccounts").get(0).asText());
    assertEquals("ENABLED", arr.get(1).get("state").asText());

    CliRun text = CliRun.run("keys", "list", "--keystore", ks.toString());
    assertTrue(text.out.contains(KeyArn.parse(a).resourceId()), text.toString());
    assertTrue(text.out.contains("alias/first"), text.toString());
  }

  @Test
  void stateChanges_disableEnableScheduleCancel_followKmsStates() throws Exception {
    Path ks = dir.resolve("keys.json");
    String arn = create(ks);
    assertEquals("DISABLED", state(CliRun.run("keys", "disable", arn, "--keystore", ks.toString(), "--format=json")));
    assertEquals("ENABLED", state(CliRun.run("keys", "enable", arn, "--keystore", ks.toString(), "--format=json")));
    CliRun sched = CliRun.run("keys", "schedule-deletion", arn, "--days", "7", "--keystore", ks.toString(), "--format=json");
    assertEquals("PENDING_DELETION", state(sched));
    assertTrue(JSON.readTree(sched.out).has("deletionDate"), sched.toString());
    assertEquals("DISABLED", state(CliRun.run("keys", "cancel-deletion", arn, "--keystore", ks.toString(), "--format=json")));
    // persisted: a new run reads the state back
    CliRun list = CliRun.run("keys", "list", "--keystore", ks.toString(), "--format=json");
    assertEquals("DISABLED", JSON.readTree(list.out).get(0).get("state").asText());
  }

  @Test
  void denyAndUndeny_contextPair_recordedOnKey() throws Exception {
    Path ks = dir.resolve("keys.json");
    String arn = create(ks);
    CliRun deny = CliRun.run("keys", "deny", arn, "--context", "tenant=acme", "--keystore", ks.toString(), "--format=json");
    assertEquals(0, deny.status, deny.toString());
    JsonNode rule = JSON.readTree(deny.out).get("denyRules").get(0);
    assertEquals("tenant", rule.get("key").asText());
    assertEquals("acme", rule.get("value").asText());
    CliRun undeny = CliRun.run("keys", "undeny", arn, "--context", "tenant=acme", "--keystore", ks.toString(), "--format=json");
    assertEquals(0, JSON.readTree(undeny.out).get("denyRules").size(), undeny.toString());
  }

  @Test
  void list_missingKeystore_usageErrorNamingFileAndNoFileCreated() {
    Path ks = dir.resolve("nope.json");
    CliRun r = CliRun.run("keys", "list", "--keystore", ks.toString());
    assertEquals(ExitCodes.USAGE, r.status, r.toString());
    assertEquals(1, r.errLines().size(), r.toString());
    assertTrue(r.err.contains("nope.json") && r.err.contains("does not exist"), r.toString());
    assertFalse(Files.exists(ks));
  }

  @Test
  void disable_unknownKey_failsWithOneLineNamingNotFound() {
    Path ks = dir.resolve("keys.json");
    create(ks);
    CliRun r = CliRun.run("keys", "disable", "00000000-0000-4000-8000-000000000000", "--keystore", ks.toString());
    assertEquals(ExitCodes.FAILED, r.status, r.toString());
    assertEquals(1, r.errLines().size(), r.toString());
    assertTrue(r.err.startsWith("byok keys disable: NotFoundException"), r.toString());
  }

  @Test
  void scheduleDeletion_tooFewDays_usageError() {
    Path ks = dir.resolve("keys.json");
    String arn = create(ks);
    CliRun r = CliRun.run("keys", "schedule-deletion", arn, "--days", "3", "--keystore", ks.toString());
    assertEquals(ExitCodes.USAGE, r.status, r.toString());
    assertTrue(r.err.contains("7") && r.err.contains("30"), r.toString());
  }

  @Test
  void create_badAccount_usageErrorNamingOption() {
    CliRun r = CliRun.run("keys", "create", "--keystore", dir.resolve("k.json").toString(), "--allow-account", "12");
    assertEquals(ExitCodes.USAGE, r.status, r.toString());
    assertTrue(r.err.contains("--allow-account"), r.toString());
    assertFalse(Files.exists(dir.resolve("k.json")), "no keystore for a rejected command line");
  }

  @Test
  void deny_badContext_usageErrorWithoutStackTrace() {
    Path ks = dir.resolve("keys.json");
    String arn = create(ks);
    CliRun r = CliRun.run("keys", "deny", arn, "--context", "tenant", "--keystore", ks.toString());
    assertEquals(ExitCodes.USAGE, r.status, r.toString());
    assertEquals(1, r.errLines().size(), r.toString());
    assertTrue(r.err.contains("KEY=VALUE"), r.toString());
  }

  private static String state(CliRun r) throws Exception {
    assertEquals(0, r.status, r.toString());
    return JSON.readTree(r.out).get("state").asText();
  }
}
