package dev.byok.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptDecryptCommandTest {
  @TempDir Path dir;
  private Path keystore;
  private String key;

  @BeforeEach
  void createKey() {
    keystore = dir.resolve("keys.json");
    CliRun r = CliRun.run("keys", "create", "--keystore", keystore.toString(), "--alias", "acme");
    assertEquals(0, r.status, r.toString());
    key = r.out.trim();
  }

  private static byte[] data(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  private String[] args(String command, String... extra) {
    return Stream.concat(Stream.of(command, "--keystore", keystore.toString(), "--key", "alias/acme",
        "--context", "tenant=acme"), Stream.of(extra)).toArray(String[]::new);
  }

  @Test
  void roundTrip_files_plaintextBackAndCiphertextIsEsdkV2() throws Exception {
    byte[] plain = data(200_000);
    Path in = dir.resolve("a.bin");
    Files.write(in, plain);
    Path enc = dir.resolve("a.bin.enc");
    Path back = dir.resolve("a.bin.out");
    CliRun e = CliRun.run(args("encrypt", "--in", in.toString(), "--out", enc.toString()));
    assertEquals(0, e.status, e.toString());
    byte[] msg = Files.readAllBytes(enc);
    assertEquals(0x02, msg[0], "format version 2");
    assertEquals(0x0478, (msg[1] & 0xFF) << 8 | (msg[2] & 0xFF), "suite 0x0478");
    CliRun d = CliRun.run(args("decrypt", "--in", enc.toString(), "--out", back.toString()));
    assertEquals(0, d.status, d.toString());
    assertArrayEquals(plain, Files.readAllBytes(back));
    assertEquals("", d.err);
  }

  @Test
  void roundTrip_pipes_stdinToStdout() {
    byte[] plain = "hello, tenant acme".getBytes(StandardCharsets.UTF_8);
    CliRun e = CliRun.withInput(plain, args("encrypt", "--reason", "USER_REQUEST"));
    assertEquals(0, e.status, e.toString());
    assertTrue(e.outBytes.length > plain.length);
    CliRun d = CliRun.withInput(e.outBytes, args("decrypt", "--reason", "SEARCH_INDEXING"));
    assertEquals(0, d.status, d.toString());
    assertArrayEquals(plain, d.outBytes);
  }

  @Test
  void roundTrip_signedSuite_decryptsWhole() {
    byte[] plain = data(5000);
    CliRun e = CliRun.withInput(plain, args("encrypt", "--signed"));
    assertEquals(0, e.status, e.toString());
    assertEquals(0x0578, (e.outBytes[1] & 0xFF) << 8 | (e.outBytes[2] & 0xFF));
    CliRun d = CliRun.withInput(e.outBytes, args("decrypt"));
    assertEquals(0, d.status, d.toString());
    assertArrayEquals(plain, d.outBytes);
  }

  @Test
  void decrypt_keyArnInsteadOfAlias_works() {
    byte[] plain = data(10);
    CliRun e = CliRun.withInput(plain, args("encrypt"));
    CliRun d = CliRun.withInput(e.outBytes, "decrypt", "--keystore", keystore.toString(), "--key", key);
    assertEquals(0, d.status, d.toString());
    assertArrayEquals(plain, d.outBytes);
  }

  private Path encryptedFile(int size) throws Exception {
    Path in = dir.resolve("p.bin");
    Files.write(in, data(size));
    Path enc = dir.resolve("p.enc");
    CliRun e = CliRun.run(args("encrypt", "--in", in.toString(), "--out", enc.toString()));
    assertEquals(0, e.status, e.toString());
    return enc;
  }

  private void assertFailsWithoutOutput(Path message, int expectedStatus, String... extra) throws Exception {
    Path out = dir.resolve("should-not-exist.bin");
    String[] a = Stream.concat(Stream.of(args("decrypt", "--in", message.toString(), "--out", out.toString())),
        Stream.of(extra)).toArray(String[]::new);
    CliRun d = CliRun.run(a);
    assertEquals(expectedStatus, d.status, d.toString());
    assertEquals(1, d.errLines().size(), d.toString());
    assertTrue(d.err.startsWith("byok decrypt: "), d.toString());
    assertFalse(Files.exists(out), "no output file after a failed decrypt");
    try (Stream<Path> files = Files.list(dir)) {
      List<String> left = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
      assertEquals(List.of(), left, "no temporary file left behind");
    }
  }

  @Test
  void decrypt_tamperedInLastFrame_exit3NoOutput() throws Exception {
    Path enc = encryptedFile(300_000); // several 64 KiB frames: the early ones verify first
    byte[] msg = Files.readAllBytes(enc);
    msg[msg.length - 20] ^= 1;
    Files.write(enc, msg);
    assertFailsWithoutOutput(enc, ExitCodes.INVALID_CIPHERTEXT);
  }

  @Test
  void decrypt_tamperedHeader_exit3NoOutput() throws Exception {
    Path enc = encryptedFile(1000);
    byte[] msg = Files.readAllBytes(enc);
    msg[10] ^= 1; // inside the message ID
    Files.write(enc, msg);
    assertFailsWithoutOutput(enc, ExitCodes.INVALID_CIPHERTEXT);
  }

  @Test
  void decrypt_truncated_exit3NoOutput() throws Exception {
    Path enc = encryptedFile(300_000);
    byte[] msg = Files.readAllBytes(enc);
    Files.write(enc, java.util.Arrays.copyOf(msg, msg.length - 100));
    assertFailsWithoutOutput(enc, ExitCodes.INVALID_CIPHERTEXT);
  }

  @Test
  void decrypt_wrongKey_exit3NoOutput() throws Exception {
    Path enc = encryptedFile(1000);
    CliRun other = CliRun.run("keys", "create", "--keystore", keystore.toString(), "--alias", "other");
    assertEquals(0, other.status, other.toString());
    Path out = dir.resolve("x.out");
    CliRun d = CliRun.run("decrypt", "--keystore", keystore.toString(), "--key", "alias/other",
        "--in", enc.toString(), "--out", out.toString());
    assertEquals(ExitCodes.INVALID_CIPHERTEXT, d.status, d.toString());
    assertEquals(1, d.errLines().size(), d.toString());
    assertFalse(Files.exists(out));
  }

  @Test
  void decrypt_requiredContextMissing_exit3NoOutput() throws Exception {
    Path enc = encryptedFile(1000);
    assertFailsWithoutOutput(enc, ExitCodes.INVALID_CIPHERTEXT, "--context", "data-class=secret");
  }

  @Test
  void decrypt_disabledKey_exit4NoOutput() throws Exception {
    Path enc = encryptedFile(1000);
    assertEquals(0, CliRun.run("keys", "disable", "alias/acme", "--keystore", keystore.toString()).status);
    assertFailsWithoutOutput(enc, ExitCodes.ACCESS_REVOKED);
  }

  @Test
  void encrypt_deniedScope_exit4AndNoOutput() {
    assertEquals(0, CliRun.run("keys", "deny", "alias/acme", "--context", "tenant=acme", "--keystore",
        keystore.toString()).status);
    Path out = dir.resolve("denied.enc");
    CliRun e = CliRun.withInput(data(10), args("encrypt", "--out", out.toString()));
    assertEquals(ExitCodes.ACCESS_REVOKED, e.status, e.toString());
    assertEquals(1, e.errLines().size(), e.toString());
    assertFalse(Files.exists(out));
  }

  @Test
  void encrypt_missingKeystore_usageErrorNamingFile() {
    CliRun e = CliRun.withInput(data(10), "encrypt", "--keystore", dir.resolve("missing.json").toString(),
        "--key", "alias/acme");
    assertEquals(ExitCodes.USAGE, e.status, e.toString());
    assertEquals(1, e.errLines().size(), e.toString());
    assertTrue(e.err.contains("missing.json") && e.err.contains("does not exist"), e.toString());
    assertFalse(Files.exists(dir.resolve("missing.json")));
  }

  @Test
  void encrypt_badContext_usageErrorNamingOption() {
    CliRun e = CliRun.withInput(data(10), "encrypt", "--keystore", keystore.toString(), "--key", "alias/acme",
        "--context", "tenant");
    assertEquals(ExitCodes.USAGE, e.status, e.toString());
    assertEquals(1, e.errLines().size(), e.toString());
    assertTrue(e.err.contains("--context") && e.err.contains("KEY=VALUE"), e.toString());
    assertEquals(0, e.outBytes.length);
  }

  @Test
  void encrypt_reservedContextKey_usageError() {
    CliRun e = CliRun.withInput(data(10), args("encrypt", "--context", "aws-crypto-public-key=x"));
    assertEquals(ExitCodes.USAGE, e.status, e.toString());
    assertTrue(e.err.contains("reserved"), e.toString());
  }

  @Test
  void encrypt_unknownReason_usageErrorListingStandardCodes() {
    CliRun e = CliRun.withInput(data(10), args("encrypt", "--reason", "BECAUSE"));
    assertEquals(ExitCodes.USAGE, e.status, e.toString());
    assertEquals(1, e.errLines().size(), e.toString());
    assertTrue(e.err.contains("unknown reason code 'BECAUSE'") && e.err.contains("VENDOR_SUPPORT_ACCESS"), e.toString());
    assertEquals(0, e.outBytes.length);
  }

  @Test
  void encrypt_malformedCustomReason_usageError() {
    CliRun e = CliRun.withInput(data(10), args("encrypt", "--custom-reason", "lower"));
    assertEquals(ExitCodes.USAGE, e.status, e.toString());
    assertTrue(e.err.contains("--custom-reason"), e.toString());
  }

  @Test
  void encrypt_existingOutput_refusedUnlessOverwrite() throws Exception {
    Path out = dir.resolve("exists.enc");
    Files.writeString(out, "keep me");
    CliRun e = CliRun.withInput(data(10), args("encrypt", "--out", out.toString()));
    assertEquals(ExitCodes.USAGE, e.status, e.toString());
    assertEquals("keep me", Files.readString(out));
    CliRun ok = CliRun.withInput(data(10), args("encrypt", "--out", out.toString(), "--overwrite"));
    assertEquals(0, ok.status, ok.toString());
    assertEquals(0x02, Files.readAllBytes(out)[0]);
  }

  @Test
  void auditLog_encryptAndDecrypt_oneEventEachWithReason() throws Exception {
    Path audit = dir.resolve("audit.jsonl");
    CliRun e = CliRun.withInput(data(10), args("encrypt", "--audit-log", audit.toString(), "--tenant", "acme",
        "--reason", "USER_REQUEST"));
    assertEquals(0, e.status, e.toString());
    CliRun d = CliRun.withInput(e.outBytes, args("decrypt", "--audit-log", audit.toString(), "--tenant", "acme",
        "--reason", "VENDOR_SUPPORT_ACCESS", "--reason-detail", "ticket 4711"));
    assertEquals(0, d.status, d.toString());
    List<String> lines = Files.readAllLines(audit);
    assertEquals(2, lines.size(), lines.toString());
    ObjectMapper m = new ObjectMapper();
    JsonNode first = m.readTree(lines.get(0));
    JsonNode second = m.readTree(lines.get(1));
    assertTrue(lines.get(0).contains("USER_REQUEST"), lines.get(0));
    assertTrue(lines.get(1).contains("VENDOR_SUPPORT_ACCESS") && lines.get(1).contains("ticket 4711"), lines.get(1));
    assertTrue(first.toString().contains("acme") && second.toString().contains("acme"));
  }

  @Test
  void encrypt_largeFileOnTerminal_drawsProgressBarOnStderrOnly() throws Exception {
    Path in = dir.resolve("big.bin");
    Files.write(in, data(5 * 1024 * 1024));
    Path enc = dir.resolve("big.enc");
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int status = Main.run(dev.byok.cli.internal.Io.of(new java.io.ByteArrayInputStream(new byte[0]), out, err, true),
        args("encrypt", "--in", in.toString(), "--out", enc.toString()));
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    String bar = err.toString(StandardCharsets.UTF_8);
    assertTrue(bar.contains("big.bin [") && bar.contains("100%") && bar.endsWith("\n"), bar);
    assertEquals(0, out.size());
    CliRun small = CliRun.run(args("encrypt", "--in", in.toString(), "--out", dir.resolve("b2.enc").toString()));
    assertEquals("", small.err, "no bar when standard error is not a terminal");
  }

  @Test
  void encrypt_stdoutIsTerminal_refusedWithUsageErrorAndNoOutput() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    dev.byok.cli.internal.Io terminal =
        dev.byok.cli.internal.Io.of(new java.io.ByteArrayInputStream(data(10)), out, err, true).withOutTerminal();
    int status = Main.run(terminal, args("encrypt"));
    assertEquals(ExitCodes.USAGE, status, err.toString(StandardCharsets.UTF_8));
    assertEquals(0, out.size(), "nothing written to the terminal");
    String message = err.toString(StandardCharsets.UTF_8);
    assertTrue(message.contains("standard output is a terminal") && message.contains("--out -"), message);
  }

  @Test
  void encrypt_stdoutIsTerminalWithOutDash_writesTheMessage() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    dev.byok.cli.internal.Io terminal =
        dev.byok.cli.internal.Io.of(new java.io.ByteArrayInputStream(data(10)), out, err, true).withOutTerminal();
    int status = Main.run(terminal, args("encrypt", "--out", "-"));
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    assertEquals(0x02, out.toByteArray()[0], "an ESDK v2 message, as asked");
  }

  @Test
  void encrypt_kmsKeyNotAnArn_usageError() {
    CliRun e = CliRun.withInput(data(10), "encrypt", "--key", "alias/acme");
    assertEquals(ExitCodes.USAGE, e.status, e.toString());
    assertTrue(e.err.contains("KMS key ARN"), e.toString());
  }
}
