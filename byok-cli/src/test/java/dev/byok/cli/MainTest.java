package dev.byok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MainTest {

  @Test
  void help_listsSubcommandsAndExitCodes() {
    CliRun r = CliRun.run("--help");
    assertEquals(0, r.status, r.toString());
    for (String s : new String[] {"demo", "keys", "bench", "Exit status", "invalid ciphertext", "access revoked",
        "key service unavailable"}) {
      assertTrue(r.out.contains(s), "help lacks '" + s + "':\n" + r.out);
    }
  }

  @Test
  void help_onEverySubcommand_printsUsage() {
    for (String[] cmd : new String[][] {{"keys", "--help"}, {"keys", "create", "--help"}, {"encrypt", "--help"},
        {"decrypt", "-h"}, {"demo", "--help"}, {"bench", "--help"}, {"provision", "--help"}, {"vectors", "--help"}}) {
      CliRun r = CliRun.run(cmd);
      assertEquals(0, r.status, String.join(" ", cmd) + "\n" + r);
      assertTrue(r.out.startsWith("Usage: byok " + cmd[0]), String.join(" ", cmd) + "\n" + r);
    }
  }

  @Test
  void version_namesTheCryptoProviderInUse() {
    CliRun r = CliRun.run("--version");
    assertEquals(0, r.status, r.toString());
    assertTrue(r.out.startsWith("byok 0.1.0-SNAPSHOT\n"), r.out);
    // byok-cli's test class path carries ACCP linux-x86_64, as its jar does
    boolean linuxX64 = System.getProperty("os.name").startsWith("Linux")
        && System.getProperty("os.arch").matches("amd64|x86_64");
    assertTrue(r.out.contains("crypto provider: " + (linuxX64 ? "ACCP 2." : "JDK (")), r.out);
  }

  @Test
  void unknownOption_usageErrorOneLine() {
    CliRun r = CliRun.run("keys", "list", "--nope");
    assertEquals(ExitCodes.USAGE, r.status, r.toString());
    assertEquals(1, r.errLines().size(), r.toString());
    assertTrue(r.err.startsWith("byok keys list: "), r.toString());
  }

  @Test
  void unknownSubcommand_usageError() {
    CliRun r = CliRun.run("frobnicate");
    assertEquals(ExitCodes.USAGE, r.status, r.toString());
    assertEquals(1, r.errLines().size(), r.toString());
  }

  @Test
  void debug_failure_printsStackTrace() {
    CliRun r = CliRun.run("keys", "disable", "k", "--keystore", "/nonexistent-dir-for-test/keys.json", "--debug");
    assertEquals(ExitCodes.USAGE, r.status, r.toString());
    assertTrue(r.errLines().size() > 1, r.toString());
    assertTrue(r.err.contains("\tat "), r.toString());
    CliRun quiet = CliRun.run("keys", "disable", "k", "--keystore", "/nonexistent-dir-for-test/keys.json");
    assertFalse(quiet.err.contains("\tat "), quiet.toString());
  }
}
