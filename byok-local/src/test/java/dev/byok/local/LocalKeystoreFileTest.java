package dev.byok.local;

import dev.byok.core.keys.DecryptedDataKey;
import dev.byok.core.keys.GeneratedDataKey;
import dev.byok.core.keys.KeyState;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.core.AwsAccountId;
import dev.byok.core.ByokException;
import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyArn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LocalKeystoreFileTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AwsAccountId OWNER = AwsAccountId.of("111122223333");
  private static final AwsAccountId VENDOR = AwsAccountId.of("444455556666");
  private static final EncryptionContext CTX = EncryptionContext.of("tenant", "acme");

  @TempDir Path dir;
  private Path file;
  private MutableClock clock;

  @BeforeEach
  void setUp() {
    file = dir.resolve("keystore.json");
    clock = new MutableClock(Instant.parse("2025-06-01T10:00:00Z"));
  }

  private LocalKeyService open() {
    return LocalKeyService.builder().keystore(file).clock(clock).build();
  }

  private static void assumePosix(Path p) throws Exception {
    Assumptions.assumeTrue(Files.getFileStore(p).supportsFileAttributeView(PosixFileAttributeView.class),
        "the file system has no POSIX permissions to check");
  }

  @Test
  void open_missingFile_createsEmptyOwnerOnlyKeystore() throws Exception {
    LocalKeyService svc = LocalKeyService.open(file);
    assertTrue(Files.exists(file));
    assertEquals(Optional.of(file), svc.keystoreFile());
    assertEquals(List.of(), svc.listKeys());
    ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
    assertEquals("byok-local-keystore", root.get("format").asText());
    assertEquals(1, root.get("version").asInt());
    assertTrue(root.get("warning").asText().contains("Not for production"));
    assertEquals("111122223333", root.get("ownerAccount").asText());
    assertEquals(0, root.get("keys").size());
    assumePosix(file);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void open_missingFolder_created() {
    Path nested = dir.resolve("a/b/keys.json");
    LocalKeyService.open(nested).createKey("x");
    assertEquals(1, LocalKeyService.open(nested).listKeys().size());
  }

  @Test
  void reopen_keepsEverything() {
    LocalKeyService svc = LocalKeyService.builder().keystore(file).clock(clock).ownerAccount(OWNER)
        .region("eu-central-1").keyNamespace("acme-dev").build();
    String a = svc.createKey("key a", "a").toString();
    String b = svc.createKey("key \"b\"\nwith newline").toString();
    String c = svc.createKey("key c", "team/c").toString();
    svc.allowAccount(a, VENDOR);
    svc.addDenyRule(a, "tenant", "globex");
    svc.addDenyRule(a, "class", "secrets");
    svc.disableKey(b);
    svc.scheduleKeyDeletion(c, 10);
    svc.allowAccount(svc.createKey("d").toString(), AwsAccountId.of("000000000001"));
    GeneratedDataKey g = svc.clientFor(VENDOR).generateDataKey(KeyArn.parse(a), CTX);

    LocalKeyService again = LocalKeyService.builder().keystore(file).clock(clock).build();
    assertEquals(List.of(), again.callLog(), "the call log is not persisted");
    assertEquals(svc.listKeys(), again.listKeys());
    assertEquals(OWNER, again.ownerAccount());
    assertEquals("eu-central-1", again.region());
    assertEquals("acme-dev", again.keyNamespace());
    for (String k : new String[] {a, b, c}) {
      assertArrayEquals(svc.exportKeyMaterialForTesting(k), again.exportKeyMaterialForTesting(k));
    }
    DecryptedDataKey d = again.clientFor(VENDOR).decryptDataKey(KeyArn.parse(a), g.encrypted(), CTX);
    assertTrue(g.plaintext().equalsConstantTime(d.plaintext()));
    assertEquals(KeyState.DISABLED, again.describe(b).state());
    assertEquals(KeyState.PENDING_DELETION, again.describe("alias/team/c").state());
    assertEquals(List.of(ContextDenyRule.of("tenant", "globex"), ContextDenyRule.of("class", "secrets")),
        again.describe(a).denyRules(), "rule order kept");
  }

  @Test
  void everyAdminChange_isWrittenAtOnce() {
    LocalKeyService svc = open();
    String k = svc.createKey("x", "x").toString();
    List<Consumer<LocalKeyService>> changes = List.of(
        s -> s.disableKey(k),
        s -> s.enableKey(k),
        s -> s.allowAccount(k, VENDOR),
        s -> s.removeAccount(k, VENDOR),
        s -> s.addDenyRule(k, "tenant", "acme"),
        s -> s.removeDenyRule(k, "tenant", "acme"),
        s -> s.scheduleKeyDeletion(k, 7),
        s -> s.cancelKeyDeletion(k),
        s -> s.createKey("y"));
    for (Consumer<LocalKeyService> change : changes) {
      change.accept(svc);
      assertEquals(svc.listKeys(), open().listKeys());
    }
  }

  @Test
  void writes_areAtomicAndLeaveNoTemporaryFiles() throws Exception {
    LocalKeyService svc = open();
    for (int i = 0; i < 10; i++) {
      svc.createKey("k" + i);
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file.getFileName().toString()),
          files.map(p -> p.getFileName().toString()).collect(Collectors.toList()));
    }
  }

  @Test
  void writes_keepOwnerOnlyPermissions_andTightenLooseOnes() throws Exception {
    open().createKey("x");
    assumePosix(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    LocalKeyService svc = open(); // loads, with a warning in the log
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), "reading changes nothing");
    svc.createKey("y");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void failedWrite_changesNothingInMemory() throws Exception {
    Path sub = dir.resolve("sub");
    Path f = sub.resolve("keystore.json");
    LocalKeyService svc = LocalKeyService.open(f);
    String k = svc.createKey("x").toString();
    // Make the folder impossible to write into, even for root: replace it with a plain file.
    Files.delete(f);
    Files.delete(sub);
    Files.writeString(sub, "not a folder");
    ByokException e = assertThrows(ByokException.class, () -> svc.createKey("y"));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("could not be written"), e.getMessage());
    assertEquals(1, svc.listKeys().size(), "the key was not created");
    assertThrows(ByokException.class, () -> svc.disableKey(k));
    assertEquals(KeyState.ENABLED, svc.describe(k).state());
  }

  @Test
  void open_fileOfOtherOwnerRegionOrNamespace_rejectedNamingFile() {
    LocalKeyService.builder().keystore(file).ownerAccount(OWNER).region("eu-west-1").build().createKey("x");
    byte[] before = read(file);
    ByokException e = assertThrows(ByokException.class,
        () -> LocalKeyService.builder().keystore(file).ownerAccount(VENDOR).build());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("owner account '111122223333'"), e.getMessage());
    assertTrue(e.getMessage().contains("'444455556666'"), e.getMessage());
    assertTrue(assertThrows(ByokException.class, () -> LocalKeyService.builder().keystore(file).region("us-east-1").build())
        .getMessage().contains("region 'eu-west-1'"));
    assertTrue(assertThrows(ByokException.class, () -> LocalKeyService.builder().keystore(file).keyNamespace("x").build())
        .getMessage().contains("key namespace 'byok-local'"));
    LocalKeyService.builder().keystore(file).ownerAccount(OWNER).region("eu-west-1").build(); // matching: fine
    assertArrayEquals(before, read(file));
  }

  @Test
  void expiredKeys_purgedFromFileOnNextChange() throws Exception {
    LocalKeyService svc = open();
    String gone = svc.createKey("gone").toString();
    svc.scheduleKeyDeletion(gone, 7);
    clock.advance(java.time.Duration.ofDays(8));
    assertEquals(List.of(), open().listKeys(), "expired on load");
    svc.createKey("new");
    String text = Files.readString(file);
    assertFalse(text.contains(gone), "purged from the file");
  }

  // ---------------------------------------------------------------- corrupt files

  /** A valid keystore with two keys, as JSON text. */
  private String validKeystore() {
    LocalKeyService svc = open();
    String a = svc.createKey("a", "a").toString();
    svc.allowAccount(a, VENDOR);
    svc.addDenyRule(a, "tenant", "x");
    String b = svc.createKey("b").toString();
    svc.scheduleKeyDeletion(b, 7);
    return new String(read(file), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static List<String> keyMaterials(String keystoreJson) throws Exception {
    List<String> out = new ArrayList<>();
    for (var k : JSON.readTree(keystoreJson).get("keys")) {
      out.add(k.get("keyMaterial").asText());
    }
    return out;
  }

  private void assertRejected(byte[] content, String fragment, List<String> secrets) throws Exception {
    Files.write(file, content);
    ByokException e = assertThrows(ByokException.class, this::open);
    assertTrue(e.getMessage().contains("keystore file '" + file + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("the file was not changed"), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    for (String s : secrets) {
      assertFalse(e.toString().contains(s), "key material in the error: " + e);
      for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
        assertFalse(String.valueOf(c.getMessage()).contains(s), "key material in the cause: " + c);
      }
    }
    assertArrayEquals(content, read(file), "the file was not overwritten");
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary files left");
    }
  }

  @Test
  void open_emptyFile_rejectedAsTruncated() throws Exception {
    assertRejected(new byte[0], "the file is empty (truncated?)", List.of());
  }

  @Test
  void open_everyTruncation_rejectedWithoutOverwriteOrLeak() throws Exception {
    String valid = validKeystore();
    List<String> secrets = keyMaterials(valid);
    byte[] bytes = valid.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int cut = 0; cut < bytes.length; cut++) {
      String fragment = cut == 0 ? "empty" : "truncated";
      assertRejected(Arrays.copyOf(bytes, cut), fragment, secrets);
    }
  }

  @Test
  void open_randomByteCorruption_eitherLoadsOrFailsClearly() throws Exception {
    String valid = validKeystore();
    byte[] bytes = valid.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Random random = new Random(7);
    int rejected = 0;
    for (int i = 0; i < 300; i++) {
      byte[] bad = bytes.clone();
      bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
      Files.write(file, bad);
      try {
        open();
      } catch (ByokException e) {
        rejected++;
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertArrayEquals(bad, read(file));
      }
    }
    assertTrue(rejected > 100, "most corruptions are detected: " + rejected);
  }

  static Stream<Arguments> corruptions() {
    return Stream.of(
        Arguments.of("not JSON", (Consumer<ObjectNode>) null, "is not valid JSON"),
        Arguments.of("array", (Consumer<ObjectNode>) r -> { }, "expected a JSON object at the top level"),
        Arguments.of("format", (Consumer<ObjectNode>) r -> r.put("format", "other"), "field 'format' is 'other'"),
        Arguments.of("version", (Consumer<ObjectNode>) r -> r.put("version", 2), "field 'version' is 2"),
        Arguments.of("no owner", (Consumer<ObjectNode>) r -> r.remove("ownerAccount"), "the file: missing field 'ownerAccount'"),
        Arguments.of("owner 11 digits", (Consumer<ObjectNode>) r -> r.put("ownerAccount", "11112222333"), "field 'ownerAccount': AWS account ID"),
        Arguments.of("region", (Consumer<ObjectNode>) r -> r.put("region", "Mars"), "region: 'Mars'"),
        Arguments.of("partition", (Consumer<ObjectNode>) r -> r.put("partition", "gcp"), "unknown partition 'gcp'"),
        Arguments.of("namespace", (Consumer<ObjectNode>) r -> r.put("keyNamespace", "aws-kms"), "key namespace: 'aws-kms'"),
        Arguments.of("no keys", (Consumer<ObjectNode>) r -> r.remove("keys"), "missing field 'keys'"),
        Arguments.of("key not object", (Consumer<ObjectNode>) r -> ((ArrayNode) r.get("keys")).set(0, JSON.getNodeFactory().textNode("k")),
            "keys[0]: expected a JSON object"),
        Arguments.of("no material", key0(k -> k.remove("keyMaterial")), "keys[0]: missing field 'keyMaterial'"),
        Arguments.of("bad base64", key0(k -> k.put("keyMaterial", "!!!!")), "keys[0]: field 'keyMaterial' is not valid base64"),
        Arguments.of("short key", key0(k -> k.put("keyMaterial", Base64.getEncoder().encodeToString(new byte[16]))),
            "keys[0]: field 'keyMaterial' must be 32 bytes (AES-256), got 16"),
        Arguments.of("material not text", key0(k -> k.put("keyMaterial", 5)), "keys[0]: field 'keyMaterial' is not valid base64"),
        Arguments.of("bad state", key0(k -> k.put("state", "Enabledd")), "keys[0]: field 'state' is 'Enabledd'"),
        Arguments.of("pending without date", key1(k -> k.putNull("deletionDate")), "keys[1]: field 'deletionDate' must be set exactly when"),
        Arguments.of("date when enabled", key0(k -> k.put("deletionDate", "2025-07-01T00:00:00Z")), "keys[0]: field 'deletionDate' must be set exactly when"),
        Arguments.of("bad date", key1(k -> k.put("deletionDate", "tomorrow")), "keys[1]: field 'deletionDate' is not an ISO-8601 instant"),
        Arguments.of("bad creation date", key0(k -> k.put("creationDate", "2025-13-01")), "keys[0]: field 'creationDate' is not an ISO-8601"),
        Arguments.of("bad arn", key0(k -> k.put("keyArn", "arn:aws:kms:us-east-1:1:key/x")), "keys[0]: field 'keyArn': KMS key ARN"),
        Arguments.of("foreign arn", key0(k -> k.put("keyArn", "arn:aws:kms:us-east-1:444455556666:key/00000000-0000-4000-8000-000000000000")),
            "is not a key ARN in partition aws, region us-east-1 and account 111122223333"),
        Arguments.of("alias arn", key0(k -> k.put("keyArn", "arn:aws:kms:us-east-1:111122223333:alias/x")), "is not a key ARN"),
        Arguments.of("duplicate key", (Consumer<ObjectNode>) r -> ((ArrayNode) r.get("keys")).add(r.get("keys").get(0).deepCopy()),
            "keys[2]: key arn:aws:kms:us-east-1:111122223333:key/"),
        Arguments.of("duplicate alias", key1(k -> ((ArrayNode) k.get("aliases")).add("alias/a")), "keys[1]: alias 'alias/a' is used by two keys"),
        Arguments.of("bad alias", key0(k -> ((ArrayNode) k.get("aliases")).add("alias/aws/x")), "keys[0]: field 'aliases': alias 'alias/aws/x'"),
        Arguments.of("bad account", key0(k -> ((ArrayNode) k.get("allowedAccounts")).add("1234567890123")), "keys[0]: field 'allowedAccounts': AWS account ID"),
        Arguments.of("account not text", key0(k -> ((ArrayNode) k.get("allowedAccounts")).add(123)), "keys[0]: field 'allowedAccounts' must hold only strings"),
        Arguments.of("no deny rules", key0(k -> k.remove("denyRules")), "keys[0]: missing field 'denyRules'"),
        Arguments.of("bad deny rule", key0(k -> ((ObjectNode) k.get("denyRules").get(0)).put("key", "")), "keys[0]: denyRules[0]: deny rule"),
        Arguments.of("deny rule no value", key0(k -> ((ObjectNode) k.get("denyRules").get(0)).remove("value")), "keys[0]: denyRules[0]: missing field 'value'"),
        Arguments.of("no description", key1(k -> k.remove("description")), "keys[1]: missing field 'description'"),
        Arguments.of("trailing garbage", (Consumer<ObjectNode>) null, "is not valid JSON"));
  }

  private static Consumer<ObjectNode> key0(Consumer<ObjectNode> change) {
    return r -> change.accept((ObjectNode) r.get("keys").get(0));
  }

  private static Consumer<ObjectNode> key1(Consumer<ObjectNode> change) {
    return r -> change.accept((ObjectNode) r.get("keys").get(1));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("corruptions")
  void open_invalidKeystore_rejectedNamingFileAndField(String name, Consumer<ObjectNode> change, String fragment) throws Exception {
    String valid = validKeystore();
    List<String> secrets = keyMaterials(valid);
    String content;
    if (name.equals("not JSON")) {
      content = "keystore? " + valid;
    } else if (name.equals("trailing garbage")) {
      content = valid + " {}";
    } else if (name.equals("array")) {
      content = "[" + valid + "]";
    } else {
      ObjectNode root = (ObjectNode) JSON.readTree(valid);
      change.accept(root);
      content = JSON.writeValueAsString(root);
    }
    assertRejected(content.getBytes(java.nio.charset.StandardCharsets.UTF_8), fragment, secrets);
  }

  // ---------------------------------------------------------------- concurrency

  @Test
  void concurrentAdminChanges_allPersisted() throws Exception {
    LocalKeyService svc = open();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> futures = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        int n = i;
        futures.add(pool.submit(() -> {
          String k = svc.createKey("k" + n, "k" + n).toString();
          svc.allowAccount(k, VENDOR);
          if (n % 2 == 0) {
            svc.disableKey(k);
          }
          return k;
        }));
      }
      for (Future<String> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    LocalKeyService again = open();
    assertEquals(40, again.listKeys().size());
    assertEquals(svc.listKeys(), again.listKeys());
    assertEquals(20, again.listKeys().stream().filter(k -> k.state() == KeyState.DISABLED).count());
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
