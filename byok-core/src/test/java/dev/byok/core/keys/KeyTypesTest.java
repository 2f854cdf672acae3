package dev.byok.core.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyArn;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The small types of the key-service SPI: secrets stay out of toString, copies are defensive. */
class KeyTypesTest {
  private static final byte[] KEY = new byte[] {1, 2, 3, 4, 5, 6, 7, 8};
  private static final KeyArn ARN = KeyArn.parse("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");

  @Test
  void plaintextDataKey_copyOf_isIndependentOfInput() {
    byte[] in = KEY.clone();
    PlaintextDataKey k = PlaintextDataKey.copyOf(in);
    in[0] = 99;
    assertArrayEquals(KEY, k.copyBytes());
    byte[] out = k.copyBytes();
    out[1] = 99;
    assertArrayEquals(KEY, k.copyBytes());
    assertEquals(8, k.length());
  }

  @Test
  void plaintextDataKey_toString_redacted() {
    String s = PlaintextDataKey.copyOf(KEY).toString();
    assertEquals("PlaintextDataKey{8 bytes, redacted}", s);
  }

  @Test
  void plaintextDataKey_destroy_zeroesAndBlocksReads() {
    byte[] owned = KEY.clone();
    PlaintextDataKey k = PlaintextDataKey.wrap(owned);
    k.destroy();
    assertTrue(k.isDestroyed());
    assertArrayEquals(new byte[8], owned);
    assertThrows(IllegalStateException.class, k::copyBytes);
  }

  @Test
  void plaintextDataKey_equalsConstantTime_comparesContent() {
    assertTrue(PlaintextDataKey.copyOf(KEY).equalsConstantTime(PlaintextDataKey.copyOf(KEY)));
    byte[] other = KEY.clone();
    other[7] ^= 1;
    assertFalse(PlaintextDataKey.copyOf(KEY).equalsConstantTime(PlaintextDataKey.copyOf(other)));
    assertFalse(PlaintextDataKey.copyOf(KEY).equalsConstantTime(PlaintextDataKey.copyOf(new byte[4])));
  }

  @Test
  void encryptedDataKey_defensiveCopiesAndEquality() {
    byte[] info = "arn:aws:kms:us-east-1:111122223333:key/k".getBytes(StandardCharsets.UTF_8);
    byte[] ct = {9, 8, 7};
    EncryptedDataKey edk = EncryptedDataKey.of("aws-kms", info, ct);
    info[0] = 'X';
    ct[0] = 0;
    assertEquals("arn:aws:kms:us-east-1:111122223333:key/k", edk.providerInfoAsString());
    assertArrayEquals(new byte[] {9, 8, 7}, edk.ciphertext());
    edk.ciphertext()[0] = 1;
    assertArrayEquals(new byte[] {9, 8, 7}, edk.ciphertext());
    assertEquals(3, edk.ciphertextLength());
    byte[] dest = new byte[5];
    edk.ciphertextInto(dest, 1);
    assertArrayEquals(new byte[] {0, 9, 8, 7, 0}, dest);
    EncryptedDataKey same = EncryptedDataKey.of("aws-kms", edk.providerInfo(), new byte[] {9, 8, 7});
    assertEquals(edk, same);
    assertEquals(edk.hashCode(), same.hashCode());
    assertNotEquals(edk, EncryptedDataKey.of("other", edk.providerInfo(), edk.ciphertext()));
    assertNotEquals(edk, EncryptedDataKey.of("aws-kms", edk.providerInfo(), new byte[] {9, 8, 6}));
    assertTrue(edk.toString().contains("ciphertext=3 bytes"), edk.toString());
  }

  @Test
  void encryptedDataKey_partOver65535Bytes_rejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EncryptedDataKey.of("p", new byte[0], new byte[65_536]));
    assertTrue(e.getMessage().contains("at most 65,535 bytes"));
    EncryptedDataKey.of("p", new byte[65_535], new byte[65_535]);
  }

  @Test
  void results_toString_neverShowPlaintext() {
    byte[] secret = "SECRETSECRETSECRETSECRETSECRET!!".getBytes(StandardCharsets.US_ASCII);
    PlaintextDataKey pk = PlaintextDataKey.copyOf(secret);
    EncryptedDataKey edk = EncryptedDataKey.of("p", new byte[1], new byte[1]);
    String g = new GeneratedDataKey(pk, edk, ARN, "req").toString();
    String d = new DecryptedDataKey(pk, ARN, "req").toString();
    for (String s : new String[] {g, d}) {
      assertFalse(s.contains("SECRET"), s);
      assertTrue(s.contains("redacted"), s);
      assertTrue(s.contains("req"), s);
    }
    assertEquals("KeyDescription{keyArn=" + ARN + ", state=DISABLED, requestId=r}",
        new KeyDescription(ARN, KeyState.DISABLED, "r").toString());
  }

  @Test
  void keyServiceException_classesAndRetryable() {
    KeyServiceException t = new KeyServiceException(KeyServiceException.ErrorClass.TRANSIENT, "ThrottlingException",
        "arn:k", "req-1", "slow down", null);
    assertTrue(t.retryable());
    assertEquals("ThrottlingException from key service for arn:k: slow down (request req-1)", t.getMessage());
    for (KeyServiceException.ErrorClass c : new KeyServiceException.ErrorClass[] {
        KeyServiceException.ErrorClass.DEFINITIVE, KeyServiceException.ErrorClass.BAD_INPUT}) {
      KeyServiceException e = new KeyServiceException(c, "X", "arn:k", null, "m", null);
      assertFalse(e.retryable());
      assertEquals(c, e.errorClass());
      assertFalse(e.getMessage().contains("request"), e.getMessage());
    }
  }

  @Test
  void keyService_defaultCanDecrypt_matchesProviderId() {
    KeyService svc = new KeyService() {
      @Override public String providerId() { return "aws-kms"; }
      @Override public GeneratedDataKey generateDataKey(KeyArn keyArn, EncryptionContext context) { throw new UnsupportedOperationException(); }
      @Override public DecryptedDataKey decryptDataKey(KeyArn keyArn, EncryptedDataKey edk, EncryptionContext context) { throw new UnsupportedOperationException(); }
      @Override public KeyDescription describeKey(KeyArn keyArn) { throw new UnsupportedOperationException(); }
    };
    assertTrue(svc.canDecrypt(EncryptedDataKey.of("aws-kms", new byte[1], new byte[1])));
    assertFalse(svc.canDecrypt(EncryptedDataKey.of("byok-local", new byte[1], new byte[1])));
  }

  @Test
  void keyService_defaultCanDecryptUnderKeyArn_kmsAndRawAesLayoutsOfThatArnOnly() {
    KeyService svc = new KeyService() {
      @Override public String providerId() { return "aws-kms"; }
      @Override public GeneratedDataKey generateDataKey(KeyArn keyArn, EncryptionContext context) { throw new UnsupportedOperationException(); }
      @Override public DecryptedDataKey decryptDataKey(KeyArn keyArn, EncryptedDataKey edk, EncryptionContext context) { throw new UnsupportedOperationException(); }
      @Override public KeyDescription describeKey(KeyArn keyArn) { throw new UnsupportedOperationException(); }
    };
    String arnText = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    KeyArn other = KeyArn.parse("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ac");
    KeyArn arn = KeyArn.parse(arnText);
    byte[] arnBytes = arnText.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] rawAesInfo = java.util.Arrays.copyOf(arnBytes, arnBytes.length + 20);
    assertTrue(svc.canDecrypt(arn, EncryptedDataKey.of("aws-kms", arnBytes, new byte[1])), "KMS keyring layout");
    assertTrue(svc.canDecrypt(arn, EncryptedDataKey.of("aws-kms", rawAesInfo, new byte[1])), "raw AES keyring layout");
    assertFalse(svc.canDecrypt(other, EncryptedDataKey.of("aws-kms", arnBytes, new byte[1])), "another key's data key");
    assertFalse(svc.canDecrypt(arn, EncryptedDataKey.of("aws-kms", java.util.Arrays.copyOf(arnBytes, arnBytes.length + 1), new byte[1])),
        "the ARN followed by something that is not the raw AES suffix");
    assertFalse(svc.canDecrypt(arn, EncryptedDataKey.of("byok-local", arnBytes, new byte[1])), "another provider");
  }
}
