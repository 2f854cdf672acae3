package dev.byok.local;

import dev.byok.core.keys.DecryptedDataKey;
import dev.byok.core.keys.EncryptedDataKey;
import dev.byok.core.keys.GeneratedDataKey;
import dev.byok.core.keys.KeyDescription;
import dev.byok.core.keys.KeyService;
import dev.byok.core.keys.KeyServiceException;
import dev.byok.core.keys.KeyState;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.AwsAccountId;
import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyArn;
import dev.byok.core.internal.ContextWireFormat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalKeyServiceTest {
  private static final AwsAccountId OWNER = AwsAccountId.of("111122223333");
  private static final AwsAccountId VENDOR = AwsAccountId.of("444455556666");
  private static final AwsAccountId STRANGER = AwsAccountId.of("777788889999");
  private static final Instant START = Instant.parse("2025-06-01T10:00:00Z");
  private static final Pattern UUID_V4 =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  private static final EncryptionContext ACME = EncryptionContext.of(Map.of("tenant", "acme", "class", "messages"));

  private MutableClock clock;
  private LocalKeyService svc;
  private String key;
  private KeyService owner;
  private KeyService vendor;

  @BeforeEach
  void setUp() {
    clock = new MutableClock(START);
    svc = LocalKeyService.builder().ownerAccount(OWNER).region("eu-west-1").clock(clock).build();
    key = svc.createKey("acme data", "acme-slack-prod").toString();
    owner = svc.ownerClient();
    vendor = svc.clientFor(VENDOR);
  }

  private static KeyArn arn(String ref) {
    return KeyArn.parse(ref);
  }

  private static boolean isArn(String ref) {
    try {
      KeyArn.parse(ref);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static KeyServiceException expectError(String code, KeyServiceException.ErrorClass cls, Executable call) {
    KeyServiceException e = assertThrows(KeyServiceException.class, call);
    assertEquals(code, e.errorCode(), e.getMessage());
    assertEquals(cls, e.errorClass(), e.getMessage());
    assertNotNull(e.requestId());
    assertTrue(UUID_V4.matcher(e.requestId()).matches(), e.requestId());
    assertTrue(e.getMessage().contains(code), e.getMessage());
    return e;
  }

  // ---------------------------------------------------------------- builder

  @Test
  void builder_defaults() {
    LocalKeyService d = LocalKeyService.builder().build();
    assertEquals(AwsAccountId.of("111122223333"), d.ownerAccount());
    assertEquals("us-east-1", d.region());
    assertEquals("aws", d.partition());
    assertEquals("byok-local", d.keyNamespace());
    assertEquals(Optional.empty(), d.keystoreFile());
    assertEquals("byok-local", d.ownerClient().providerId());
    assertTrue(d.createKey(null).toString().startsWith("arn:aws:kms:us-east-1:111122223333:key/"));
  }

  @Test
  void builder_settingTwice_rejected() {
    LocalKeyService.Builder b = LocalKeyService.builder().region("us-west-2");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.region("us-east-1"));
    assertTrue(e.getMessage().contains("region was already set"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> LocalKeyService.builder().clock(clock).clock(clock));
    assertThrows(IllegalStateException.class, () -> LocalKeyService.builder().ownerAccount(OWNER).ownerAccount(OWNER));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"aws-kms", "aws-kms-local", ""})
  void builder_reservedOrEmptyNamespace_rejected(String ns) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LocalKeyService.builder().keyNamespace(ns));
    assertTrue(e.getMessage().startsWith("key namespace: "), e.getMessage());
  }

  @Test
  void builder_badValues_rejectedNamingThem() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LocalKeyService.builder().region("Europe"))
        .getMessage().contains("region: 'Europe'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LocalKeyService.builder().partition("azure"))
        .getMessage().contains("partition: 'azure'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LocalKeyService.builder().callLogCapacity(0))
        .getMessage().contains("at least 1, got 0"));
  }

  @Test
  void builder_partitionAndNamespace_usedInArnsAndDataKeys() {
    LocalKeyService cn = LocalKeyService.builder().partition("aws-cn").region("cn-north-1").keyNamespace("acme-dev").build();
    KeyArn arn = cn.createKey("x");
    assertEquals("aws-cn", arn.partition());
    assertEquals("cn-north-1", arn.region());
    GeneratedDataKey g = cn.ownerClient().generateDataKey(arn, ACME);
    assertEquals("acme-dev", g.encrypted().providerId());
  }

  @Test
  void builder_sameSeededRandom_sameKeys() throws Exception {
    SecureRandom r1 = SecureRandom.getInstance("SHA1PRNG");
    r1.setSeed(42L);
    SecureRandom r2 = SecureRandom.getInstance("SHA1PRNG");
    r2.setSeed(42L);
    LocalKeyService a = LocalKeyService.builder().secureRandom(r1).build();
    LocalKeyService b = LocalKeyService.builder().secureRandom(r2).build();
    KeyArn ka = a.createKey("x");
    assertEquals(ka, b.createKey("x"));
    assertArrayEquals(a.exportKeyMaterialForTesting(ka.toString()), b.exportKeyMaterialForTesting(ka.toString()));
  }

  // ---------------------------------------------------------------- keys and references

  @Test
  void createKey_mintsKmsLikeArnAndEnabledKey() {
    KeyArn arn = KeyArn.parse(key);
    assertEquals("aws", arn.partition());
    assertEquals("eu-west-1", arn.region());
    assertEquals(OWNER, arn.account());
    assertEquals(KeyArn.ResourceType.KEY, arn.resourceType());
    assertTrue(UUID_V4.matcher(arn.resourceId()).matches(), arn.resourceId());
    LocalKeyInfo info = svc.describe(key);
    assertEquals(arn, info.keyArn());
    assertEquals(arn.resourceId(), info.keyId());
    assertEquals("acme data", info.description());
    assertEquals(START, info.creationDate());
    assertEquals(KeyState.ENABLED, info.state());
    assertEquals(Optional.empty(), info.deletionDate());
    assertEquals(List.of("alias/acme-slack-prod"), info.aliases());
    assertEquals(Set.of(), info.allowedAccounts());
    assertEquals(List.of(), info.denyRules());
  }

  @Test
  void createKey_eachKeyDistinct() {
    Set<String> arns = new HashSet<>();
    Set<String> materials = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      String k = svc.createKey("k" + i).toString();
      arns.add(k);
      materials.add(Base64.getEncoder().encodeToString(svc.exportKeyMaterialForTesting(k)));
    }
    assertEquals(20, arns.size());
    assertEquals(20, materials.size());
    assertEquals(21, svc.listKeys().size());
    assertEquals(key, svc.listKeys().get(0).keyArn().toString(), "creation order");
  }

  @Test
  void createKey_aliasForms_normalizedAndUnique() {
    KeyArn k = svc.createKey("x", "alias/other");
    assertEquals(List.of("alias/other"), svc.describe(k.toString()).aliases());
    KeyServiceException e = expectError("AlreadyExistsException", KeyServiceException.ErrorClass.BAD_INPUT,
        () -> svc.createKey("y", "acme-slack-prod"));
    assertTrue(e.getMessage().contains("alias/acme-slack-prod"), e.getMessage());
    assertEquals(2, svc.listKeys().size(), "no key created on a taken alias");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"alias/aws/s3", "aws/x", "bad alias", "alias/", ""})
  void createKey_badAlias_rejected(String alias) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> svc.createKey("x", alias));
    assertTrue(e.getMessage().startsWith("alias '" + alias + "'"), e.getMessage());
    assertEquals(1, svc.listKeys().size());
  }

  @Test
  void createKey_descriptionTooLong_rejected() {
    svc.createKey("d".repeat(8192));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> svc.createKey("d".repeat(8193)))
        .getMessage().contains("at most 8192 characters"));
  }

  @Test
  void keyReferences_arnIdAliasAndAliasArn_allResolve() {
    // The KeyService view takes a KeyArn (a key or alias ARN); the customer side also a key ID or an alias.
    String id = KeyArn.parse(key).resourceId();
    for (String ref : new String[] {key, id, "alias/acme-slack-prod", "arn:aws:kms:eu-west-1:111122223333:alias/acme-slack-prod"}) {
      assertEquals(key, svc.describe(ref).keyArn().toString(), ref);
    }
    for (String ref : new String[] {key, "arn:aws:kms:eu-west-1:111122223333:alias/acme-slack-prod"}) {
      GeneratedDataKey g = owner.generateDataKey(arn(ref), ACME);
      assertEquals(key, g.keyArn().toString(), ref);
      assertEquals(key, owner.describeKey(arn(ref)).keyArn().toString(), ref);
    }
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {
      "arn:aws:kms:us-east-1:111122223333:key/00000000-0000-4000-8000-000000000000",
      "alias/nope",
      "arn:aws:kms:eu-west-1:111122223333:alias/nope",
      "00000000-0000-4000-8000-000000000000",
      "arn:aws:kms:eu-west-1:1111",
      "",
  })
  void unknownKey_notFoundEverywhere(String ref) {
    if (isArn(ref)) { // the KeyService view takes only what parses as a KeyArn
      KeyServiceException e = expectError("NotFoundException", KeyServiceException.ErrorClass.DEFINITIVE,
          () -> owner.generateDataKey(arn(ref), ACME));
      assertEquals(ref, e.keyArn());
      expectError("NotFoundException", KeyServiceException.ErrorClass.DEFINITIVE, () -> owner.describeKey(arn(ref)));
    }
    expectError("NotFoundException", KeyServiceException.ErrorClass.DEFINITIVE, () -> svc.describe(ref));
    expectError("NotFoundException", KeyServiceException.ErrorClass.DEFINITIVE, () -> svc.disableKey(ref));
    expectError("NotFoundException", KeyServiceException.ErrorClass.DEFINITIVE, () -> svc.exportKeyMaterialForTesting(ref));
  }

  @Test
  void keyOfSameIdInOtherRegionOrAccount_notFound() {
    String id = KeyArn.parse(key).resourceId();
    expectError("NotFoundException", KeyServiceException.ErrorClass.DEFINITIVE,
        () -> owner.generateDataKey(arn("arn:aws:kms:us-east-1:111122223333:key/" + id), ACME));
    expectError("NotFoundException", KeyServiceException.ErrorClass.DEFINITIVE,
        () -> owner.generateDataKey(arn("arn:aws:kms:eu-west-1:444455556666:key/" + id), ACME));
    assertThrows(NullPointerException.class, () -> owner.generateDataKey(null, ACME)); // was NotFound for a null String
  }

  // ---------------------------------------------------------------- data keys

  @Test
  void generateThenDecrypt_returnsSameDataKey() {
    GeneratedDataKey g = owner.generateDataKey(arn(key), ACME);
    assertEquals(32, g.plaintext().length());
    assertEquals(key, g.keyArn().toString());
    assertTrue(UUID_V4.matcher(g.requestId()).matches());
    DecryptedDataKey d = owner.decryptDataKey(arn(key), g.encrypted(), ACME);
    assertTrue(g.plaintext().equalsConstantTime(d.plaintext()));
    assertEquals(key, d.keyArn().toString());
    assertNotEquals(g.requestId(), d.requestId());
    assertTrue(owner.canDecrypt(g.encrypted()));
  }

  @Test
  void generate_emptyContext_works() {
    GeneratedDataKey g = owner.generateDataKey(arn(key), EncryptionContext.empty());
    assertTrue(g.plaintext().equalsConstantTime(owner.decryptDataKey(arn(key), g.encrypted(), EncryptionContext.empty()).plaintext()));
    expectError("InvalidCiphertextException", KeyServiceException.ErrorClass.BAD_INPUT,
        () -> owner.decryptDataKey(arn(key), g.encrypted(), ACME));
  }

  @Test
  void generate_freshKeyAndIvEveryTime() {
    Set<String> keys = new HashSet<>();
    Set<String> ivs = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      GeneratedDataKey g = owner.generateDataKey(arn(key), ACME);
      keys.add(Base64.getEncoder().encodeToString(g.plaintext().copyBytes()));
      byte[] info = g.encrypted().providerInfo();
      ivs.add(Base64.getEncoder().encodeToString(Arrays.copyOfRange(info, info.length - 12, info.length)));
    }
    assertEquals(500, keys.size());
    assertEquals(500, ivs.size());
  }

  /** An independent reading of the ESDK raw AES keyring layout (framework/raw-aes-keyring.md). */
  @Test
  void encryptedDataKey_hasRawAesKeyringLayout() throws Exception {
    GeneratedDataKey g = owner.generateDataKey(arn(key), ACME);
    EncryptedDataKey edk = g.encrypted();
    assertEquals("byok-local", edk.providerId());
    byte[] name = key.getBytes(StandardCharsets.UTF_8);
    ByteBuffer info = ByteBuffer.wrap(edk.providerInfo());
    assertEquals(name.length + 4 + 4 + 12, info.remaining());
    byte[] readName = new byte[name.length];
    info.get(readName);
    assertArrayEquals(name, readName);
    assertEquals(128, info.getInt(), "tag length in bits");
    assertEquals(12, info.getInt(), "IV length in bytes");
    byte[] iv = new byte[12];
    info.get(iv);
    assertEquals(32 + 16, edk.ciphertextLength(), "wrapped key || tag");
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(svc.exportKeyMaterialForTesting(key), "AES"), new GCMParameterSpec(128, iv));
    c.updateAAD(ContextWireFormat.serialize(ACME));
    assertArrayEquals(g.plaintext().copyBytes(), c.doFinal(edk.ciphertext()));
  }

  @Test
  void decrypt_otherContext_invalidCiphertext() {
    GeneratedDataKey g = owner.generateDataKey(arn(key), ACME);
    for (EncryptionContext other : new EncryptionContext[] {
        EncryptionContext.of(Map.of("tenant", "acme")),
        EncryptionContext.of(Map.of("tenant", "acme", "class", "messages", "x", "y")),
        EncryptionContext.of(Map.of("tenant", "acme2", "class", "messages")),
        EncryptionContext.empty()}) {
      expectError("InvalidCiphertextException", KeyServiceException.ErrorClass.BAD_INPUT,
          () -> owner.decryptDataKey(arn(key), g.encrypted(), other));
    }
  }

  @Test
  void decrypt_everyFlippedCiphertextOrIvBit_invalidCiphertext() {
    EncryptedDataKey edk = owner.generateDataKey(arn(key), ACME).encrypted();
    byte[] ct = edk.ciphertext();
    for (int i = 0; i < ct.length; i++) {
      byte[] bad = ct.clone();
      bad[i] ^= (byte) (1 << (i % 8));
      EncryptedDataKey tampered = EncryptedDataKey.of(edk.providerId(), edk.providerInfo(), bad);
      expectError("InvalidCiphertextException", KeyServiceException.ErrorClass.BAD_INPUT,
          () -> owner.decryptDataKey(arn(key), tampered, ACME));
    }
    byte[] info = edk.providerInfo();
    for (int i = info.length - 12; i < info.length; i++) {
      byte[] bad = info.clone();
      bad[i] ^= 0x01;
      EncryptedDataKey tampered = EncryptedDataKey.of(edk.providerId(), bad, ct);
      expectError("InvalidCiphertextException", KeyServiceException.ErrorClass.BAD_INPUT,
          () -> owner.decryptDataKey(arn(key), tampered, ACME));
    }
  }

  @Test
  void decrypt_malformedLayout_invalidCiphertext() {
    EncryptedDataKey edk = owner.generateDataKey(arn(key), ACME).encrypted();
    byte[] info = edk.providerInfo();
    byte[] ct = edk.ciphertext();
    int nameLen = info.length - 20;
    byte[] tagLen96 = info.clone();
    ByteBuffer.wrap(tagLen96).putInt(nameLen, 96);
    byte[] ivLen16 = info.clone();
    ByteBuffer.wrap(ivLen16).putInt(nameLen + 4, 16);
    List<EncryptedDataKey> bad = List.of(
        EncryptedDataKey.of("other-namespace", info, ct),
        EncryptedDataKey.of("aws-kms", info, ct),
        EncryptedDataKey.of(edk.providerId(), tagLen96, ct),
        EncryptedDataKey.of(edk.providerId(), ivLen16, ct),
        EncryptedDataKey.of(edk.providerId(), Arrays.copyOf(info, 20), ct),
        EncryptedDataKey.of(edk.providerId(), new byte[0], ct),
        EncryptedDataKey.of(edk.providerId(), info, Arrays.copyOf(ct, 47)),
        EncryptedDataKey.of(edk.providerId(), info, Arrays.copyOf(ct, 49)),
        EncryptedDataKey.of(edk.providerId(), info, new byte[0]));
    for (int i = 0; i < bad.size(); i++) {
      EncryptedDataKey b = bad.get(i);
      expectError("InvalidCiphertextException", KeyServiceException.ErrorClass.BAD_INPUT,
          () -> owner.decryptDataKey(arn(key), b, ACME));
      // canDecrypt looks at provider ID and provider info only: the first six are not ours.
      assertEquals(i >= 6, owner.canDecrypt(b), "canDecrypt of bad[" + i + "]");
    }
  }

  @Test
  void decrypt_dataKeyOfAnotherKey_incorrectKey() {
    String other = svc.createKey("other").toString();
    EncryptedDataKey underOther = owner.generateDataKey(arn(other), ACME).encrypted();
    KeyServiceException e = expectError("IncorrectKeyException", KeyServiceException.ErrorClass.BAD_INPUT,
        () -> owner.decryptDataKey(arn(key), underOther, ACME));
    assertEquals(key, e.keyArn());
    assertTrue(owner.decryptDataKey(arn(other), underOther, ACME).plaintext().length() == 32);
  }

  @Test
  void decrypt_keyNameRenamed_incorrectKey() {
    EncryptedDataKey edk = owner.generateDataKey(arn(key), ACME).encrypted();
    byte[] info = edk.providerInfo();
    info[0] ^= 0x20; // "arn" -> "Arn"
    EncryptedDataKey renamed = EncryptedDataKey.of(edk.providerId(), info, edk.ciphertext());
    expectError("IncorrectKeyException", KeyServiceException.ErrorClass.BAD_INPUT,
        () -> owner.decryptDataKey(arn(key), renamed, ACME));
    assertFalse(owner.canDecrypt(renamed));
  }

  @Test
  void canDecrypt_checksNamespaceLayoutAndKnownKey() {
    EncryptedDataKey edk = owner.generateDataKey(arn(key), ACME).encrypted();
    assertTrue(vendor.canDecrypt(edk), "no access check: it only says whether this service is the right one");
    assertFalse(owner.canDecrypt(EncryptedDataKey.of("aws-kms", edk.providerInfo(), edk.ciphertext())));
    assertFalse(owner.canDecrypt(EncryptedDataKey.of("byok-local", new byte[3], edk.ciphertext())));
    LocalKeyService otherService = LocalKeyService.builder().ownerAccount(OWNER).region("eu-west-1").build();
    assertFalse(otherService.ownerClient().canDecrypt(edk), "same namespace, unknown key");
  }

  // ---------------------------------------------------------------- states

  @Test
  void disabledKey_refusesDataKeysButDescribes() {
    EncryptedDataKey edk = owner.generateDataKey(arn(key), ACME).encrypted();
    svc.disableKey(key);
    assertEquals(KeyState.DISABLED, svc.describe(key).state());
    KeyServiceException e = expectError("DisabledException", KeyServiceException.ErrorClass.DEFINITIVE,
        () -> owner.generateDataKey(arn(key), ACME));
    assertEquals(key, e.keyArn());
    assertFalse(e.retryable());
    expectError("DisabledException", KeyServiceException.ErrorClass.DEFINITIVE, () -> owner.decryptDataKey(arn(key), edk, ACME));
    assertEquals(KeyState.DISABLED, owner.describeKey(arn(key)).state());
    svc.disableKey(key); // idempotent
    svc.enableKey(key);
    assertEquals(KeyState.ENABLED, owner.describeKey(arn(key)).state());
    assertEquals(32, owner.decryptDataKey(arn(key), edk, ACME).plaintext().length());
    svc.enableKey(key); // idempotent
  }

  @Test
  void pendingDeletion_refusesDataKeysAndAdminStateChanges() {
    EncryptedDataKey edk = owner.generateDataKey(arn(key), ACME).encrypted();
    Instant deletion = svc.scheduleKeyDeletion(key, 7);
    assertEquals(START.plus(Duration.ofDays(7)), deletion);
    LocalKeyInfo info = svc.describe(key);
    assertEquals(KeyState.PENDING_DELETION, info.state());
    assertEquals(Optional.of(deletion), info.deletionDate());
    expectError("KMSInvalidStateException", KeyServiceException.ErrorClass.DEFINITIVE, () -> owner.generateDataKey(arn(key), ACME));
    expectError("KMSInvalidStateException", KeyServiceException.ErrorClass.DEFINITIVE, () -> owner.decryptDataKey(arn(key), edk, ACME));
    assertEquals(KeyState.PENDING_DELETION, owner.describeKey(arn(key)).state());
    expectError("KMSInvalidStateException", KeyServiceException.ErrorClass.DEFINITIVE, () -> svc.enableKey(key));
    expectError("KMSInvalidStateException", KeyServiceException.ErrorClass.DEFINITIVE, () -> svc.disableKey(key));
    expectError("KMSInvalidStateException", KeyServiceException.ErrorClass.DEFINITIVE, () -> svc.scheduleKeyDeletion(key, 30));
    assertEquals(deletion, svc.describe(key).deletionDate().get(), "second schedule changed nothing");
  }

  @Test
  void cancelKeyDeletion_leavesKeyDisabledAsKmsDoes() {
    EncryptedDataKey edk = owner.generateDataKey(arn(key), ACME).encrypted();
    svc.scheduleKeyDeletion(key, Duration.ofDays(30));
    svc.cancelKeyDeletion(key);
    LocalKeyInfo info = svc.describe(key);
    assertEquals(KeyState.DISABLED, info.state());
    assertEquals(Optional.empty(), info.deletionDate());
    expectError("DisabledException", KeyServiceException.ErrorClass.DEFINITIVE, () -> owner.decryptDataKey(arn(key), edk, ACME));
    svc.enableKey(key);
    assertEquals(32, owner.decryptDataKey(arn(key), edk, ACME).plaintext().length());
    expectError("KMSInvalidStateException", KeyServiceException.ErrorClass.DEFINITIVE, () -> svc.cancelKeyDeletion(key));
  }

  @Test
  void scheduleKeyDeletion_windowOutside7To30Days_rejected() {
    for (Duration bad : new Duration[] {Duration.ofDays(6), Duration.ofDays(31), Duration.ofDays(0),
        Duration.ofDays(-7), Duration.ofDays(7).plusHours(1), Duration.ofHours(24 * 10 - 1)}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> svc.scheduleKeyDeletion(key, bad));
      assertTrue(e.getMessage().contains("whole days from 7 to 30"), e.getMessage());
    }
    assertEquals(KeyState.ENABLED, svc.describe(key).state());
    svc.scheduleKeyDeletion(key, 30);
    assertEquals(START.plus(Duration.ofDays(30)), svc.describe(key).deletionDate().get());
  }

  @Test
  void deletionDatePassed_keyIsGone() {
    EncryptedDataKey edk = owner.generateDataKey(arn(key), ACME).encrypted();
    Instant deletion = svc.scheduleKeyDeletion(key, 7);
    clock.advance(Duration.between(START, deletion).minusNanos(1));
    assertEquals(KeyState.PENDING_DELETION, owner.describeKey(arn(key)).state());
    clock.advance(Duration.ofNanos(1));
    expectError("NotFoundException", KeyServiceException.ErrorClass.DEFINITIVE, () -> owner.describeKey(arn(key)));
    expectError("NotFoundException", KeyServiceException.ErrorClass.DEFINITIVE, () -> owner.decryptDataKey(arn(key), edk, ACME));
    expectError("NotFoundException", KeyServiceException.ErrorClass.DEFINITIVE, () -> svc.cancelKeyDeletion(key));
    expectError("NotFoundException", KeyServiceException.ErrorClass.DEFINITIVE, () -> svc.exportKeyMaterialForTesting(key));
    expectError("NotFoundException", KeyServiceException.ErrorClass.DEFINITIVE,
        () -> owner.generateDataKey(arn("arn:aws:kms:eu-west-1:111122223333:alias/acme-slack-prod"), ACME));
    assertFalse(owner.canDecrypt(edk));
    assertEquals(List.of(), svc.listKeys());
    // The alias is free again once the key is gone.
    KeyArn reborn = svc.createKey("new", "acme-slack-prod");
    assertEquals(reborn, owner.generateDataKey(arn("arn:aws:kms:eu-west-1:111122223333:alias/acme-slack-prod"), ACME).keyArn());
  }

  // ---------------------------------------------------------------- access list

  @Test
  void accessList_ownerAlwaysAllowed_othersOnlyWhenListed() {
    EncryptedDataKey edk = owner.generateDataKey(arn(key), ACME).encrypted();
    KeyServiceException e = expectError("AccessDeniedException", KeyServiceException.ErrorClass.DEFINITIVE,
        () -> vendor.generateDataKey(arn(key), ACME));
    assertTrue(e.getMessage().contains("arn:aws:iam::444455556666:root is not authorized to perform: kms:GenerateDataKey"),
        e.getMessage());
    expectError("AccessDeniedException", KeyServiceException.ErrorClass.DEFINITIVE, () -> vendor.decryptDataKey(arn(key), edk, ACME));
    expectError("AccessDeniedException", KeyServiceException.ErrorClass.DEFINITIVE, () -> vendor.describeKey(arn(key)));

    assertTrue(svc.allowAccount(key, VENDOR));
    assertFalse(svc.allowAccount(key, VENDOR), "already allowed");
    assertFalse(svc.allowAccount(key, OWNER), "owner is implicit");
    assertEquals(Set.of(VENDOR), svc.describe(key).allowedAccounts());
    assertTrue(vendor.decryptDataKey(arn(key), edk, ACME).plaintext().equalsConstantTime(
        owner.decryptDataKey(arn(key), edk, ACME).plaintext()));
    assertEquals(KeyState.ENABLED, vendor.describeKey(arn(key)).state());
    expectError("AccessDeniedException", KeyServiceException.ErrorClass.DEFINITIVE,
        () -> svc.clientFor(STRANGER).generateDataKey(arn(key), ACME));

    assertTrue(svc.removeAccount(key, VENDOR));
    assertFalse(svc.removeAccount(key, VENDOR));
    expectError("AccessDeniedException", KeyServiceException.ErrorClass.DEFINITIVE, () -> vendor.decryptDataKey(arn(key), edk, ACME));
    assertEquals(32, owner.decryptDataKey(arn(key), edk, ACME).plaintext().length());
  }

  @Test
  void removeAccount_owner_rejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> svc.removeAccount(key, OWNER));
    assertTrue(e.getMessage().contains("always allowed"), e.getMessage());
  }

  @Test
  void accessList_isPerKey() {
    String other = svc.createKey("other").toString();
    svc.allowAccount(other, VENDOR);
    assertEquals(32, vendor.generateDataKey(arn(other), ACME).plaintext().length());
    expectError("AccessDeniedException", KeyServiceException.ErrorClass.DEFINITIVE, () -> vendor.generateDataKey(arn(key), ACME));
  }

  @Test
  void accessDenied_takesPrecedenceOverState() {
    svc.disableKey(key);
    expectError("AccessDeniedException", KeyServiceException.ErrorClass.DEFINITIVE, () -> vendor.generateDataKey(arn(key), ACME));
  }

  // ---------------------------------------------------------------- deny rules

  @Test
  void denyRule_revokesOneScopeForEveryCaller() {
    svc.allowAccount(key, VENDOR);
    EncryptionContext globex = EncryptionContext.of(Map.of("tenant", "globex", "class", "messages"));
    EncryptedDataKey acmeKey = vendor.generateDataKey(arn(key), ACME).encrypted();
    EncryptedDataKey globexKey = vendor.generateDataKey(arn(key), globex).encrypted();

    assertTrue(svc.addDenyRule(key, "tenant", "acme"));
    assertFalse(svc.addDenyRule(key, "tenant", "acme"));
    assertEquals(List.of(ContextDenyRule.of("tenant", "acme")), svc.describe(key).denyRules());
    for (KeyService caller : new KeyService[] {vendor, owner}) {
      KeyServiceException e = expectError("AccessDeniedException", KeyServiceException.ErrorClass.DEFINITIVE,
          () -> caller.generateDataKey(arn(key), ACME));
      assertTrue(e.getMessage().contains("explicit deny"), e.getMessage());
      assertTrue(e.getMessage().contains("tenant=acme"), e.getMessage());
      expectError("AccessDeniedException", KeyServiceException.ErrorClass.DEFINITIVE,
          () -> caller.decryptDataKey(arn(key), acmeKey, ACME));
      assertEquals(32, caller.decryptDataKey(arn(key), globexKey, globex).plaintext().length());
    }
    assertEquals(KeyState.ENABLED, vendor.describeKey(arn(key)).state(), "DescribeKey has no context to deny on");

    assertTrue(svc.removeDenyRule(key, "tenant", "acme"));
    assertFalse(svc.removeDenyRule(key, "tenant", "acme"));
    assertEquals(32, vendor.decryptDataKey(arn(key), acmeKey, ACME).plaintext().length());
  }

  @Test
  void denyRule_matchesExactKeyAndValueOnly() {
    svc.addDenyRule(key, "tenant", "acme");
    svc.addDenyRule(key, "class", "secrets");
    assertEquals(2, svc.describe(key).denyRules().size());
    assertEquals(32, owner.generateDataKey(arn(key), EncryptionContext.of("tenant", "acme-2")).plaintext().length());
    assertEquals(32, owner.generateDataKey(arn(key), EncryptionContext.of("Tenant", "acme")).plaintext().length());
    assertEquals(32, owner.generateDataKey(arn(key), EncryptionContext.empty()).plaintext().length());
    expectError("AccessDeniedException", KeyServiceException.ErrorClass.DEFINITIVE,
        () -> owner.generateDataKey(arn(key), EncryptionContext.of(Map.of("tenant", "globex", "class", "secrets"))));
  }

  @Test
  void denyRule_takesPrecedenceOverDisabled() {
    svc.addDenyRule(key, "tenant", "acme");
    svc.disableKey(key);
    expectError("AccessDeniedException", KeyServiceException.ErrorClass.DEFINITIVE, () -> owner.generateDataKey(arn(key), ACME));
    expectError("DisabledException", KeyServiceException.ErrorClass.DEFINITIVE,
        () -> owner.generateDataKey(arn(key), EncryptionContext.of("tenant", "globex")));
  }

  @Test
  void denyRule_badArguments_rejected() {
    assertThrows(IllegalArgumentException.class, () -> svc.addDenyRule(key, "", "x"));
    assertThrows(IllegalArgumentException.class, () -> svc.addDenyRule(key, "tenant", null));
    expectError("NotFoundException", KeyServiceException.ErrorClass.DEFINITIVE, () -> svc.addDenyRule("alias/none", "a", "b"));
  }

  // ---------------------------------------------------------------- call log

  @Test
  void callLog_recordsEverySuccessAndFailure() {
    svc.allowAccount(key, VENDOR);
    GeneratedDataKey g = vendor.generateDataKey(arn("arn:aws:kms:eu-west-1:111122223333:alias/acme-slack-prod"), ACME);
    clock.advance(Duration.ofSeconds(5));
    svc.disableKey(key);
    KeyServiceException denied = assertThrows(KeyServiceException.class, () -> vendor.decryptDataKey(arn(key), g.encrypted(), ACME));
    clock.advance(Duration.ofSeconds(5));
    KeyDescription d = svc.clientFor(VENDOR).describeKey(arn(key));
    KeyServiceException missing = assertThrows(KeyServiceException.class, () -> owner.describeKey(arn("arn:aws:kms:eu-west-1:111122223333:alias/missing")));

    List<LocalKeyCall> log = svc.callLog();
    assertEquals(4, log.size());

    LocalKeyCall c0 = log.get(0);
    assertEquals(START, c0.time());
    assertEquals(LocalKeyCall.Operation.GENERATE_DATA_KEY, c0.operation());
    assertEquals("GenerateDataKey", c0.operation().kmsName());
    assertEquals(key, c0.keyArn(), "resolved from the alias");
    assertEquals(VENDOR, c0.callerAccount());
    assertEquals(ACME, c0.encryptionContext());
    assertEquals(g.requestId(), c0.requestId());
    assertEquals(LocalKeyCall.Outcome.SUCCESS, c0.outcome());
    assertEquals(Optional.empty(), c0.errorCode());

    LocalKeyCall c1 = log.get(1);
    assertEquals(START.plusSeconds(5), c1.time());
    assertEquals("Decrypt", c1.operation().kmsName());
    assertEquals(LocalKeyCall.Outcome.FAILURE, c1.outcome());
    assertEquals(Optional.of("DisabledException"), c1.errorCode());
    assertEquals(denied.requestId(), c1.requestId());
    assertEquals(ACME, c1.encryptionContext());

    LocalKeyCall c2 = log.get(2);
    assertEquals("DescribeKey", c2.operation().kmsName());
    assertEquals(d.requestId(), c2.requestId());
    assertEquals(EncryptionContext.empty(), c2.encryptionContext());
    assertEquals(LocalKeyCall.Outcome.SUCCESS, c2.outcome());

    LocalKeyCall c3 = log.get(3);
    assertEquals("arn:aws:kms:eu-west-1:111122223333:alias/missing", c3.keyArn(), "unresolved: as given");
    assertEquals(OWNER, c3.callerAccount());
    assertEquals(Optional.of("NotFoundException"), c3.errorCode());
    assertEquals(missing.requestId(), c3.requestId());
    assertEquals(START.plusSeconds(10), c3.time());

    assertThrows(UnsupportedOperationException.class, () -> log.add(c0));
    assertTrue(c0.toString().contains("GenerateDataKey"), c0.toString());
  }

  @Test
  void callLog_adminCallsAreNotDataPlaneCalls() {
    svc.disableKey(key);
    svc.describe(key);
    svc.exportKeyMaterialForTesting(key);
    assertEquals(List.of(), svc.callLog());
  }

  @Test
  void callLog_bounded_dropsOldestFirst() {
    LocalKeyService small = LocalKeyService.builder().callLogCapacity(3).clock(clock).build();
    String k = small.createKey("x").toString();
    KeyService c = small.ownerClient();
    String[] ids = new String[5];
    for (int i = 0; i < 5; i++) {
      ids[i] = c.describeKey(arn(k)).requestId();
    }
    List<LocalKeyCall> log = small.callLog();
    assertEquals(3, log.size());
    assertEquals(List.of(ids[2], ids[3], ids[4]), log.stream().map(LocalKeyCall::requestId).collect(java.util.stream.Collectors.toList()));
    assertEquals(2, small.callLogDropped());
    small.clearCallLog();
    assertEquals(List.of(), small.callLog());
  }

  // ---------------------------------------------------------------- secrets

  @Test
  void exportKeyMaterialForTesting_returnsCopyOf32Bytes() {
    byte[] m = svc.exportKeyMaterialForTesting(key);
    assertEquals(32, m.length);
    Arrays.fill(m, (byte) 0);
    assertFalse(Arrays.equals(new byte[32], svc.exportKeyMaterialForTesting(key)));
    assertNotEquals(Base64.getEncoder().encodeToString(svc.exportKeyMaterialForTesting(key)),
        Base64.getEncoder().encodeToString(svc.exportKeyMaterialForTesting(svc.createKey("b").toString())));
  }

  @Test
  void toStringsAndErrors_neverShowKeyMaterial() {
    byte[] material = svc.exportKeyMaterialForTesting(key);
    GeneratedDataKey g = owner.generateDataKey(arn(key), ACME);
    String hexData = java.util.HexFormat.of().formatHex(g.plaintext().copyBytes());
    String b64Master = Base64.getEncoder().encodeToString(material);
    svc.disableKey(key);
    KeyServiceException e = assertThrows(KeyServiceException.class, () -> owner.decryptDataKey(arn(key), g.encrypted(), ACME));
    for (String s : new String[] {svc.toString(), svc.describe(key).toString(), owner.toString(), g.toString(),
        svc.callLog().toString(), e.getMessage()}) {
      assertFalse(s.contains(b64Master), s);
      assertFalse(s.contains(hexData), s);
    }
  }
}
