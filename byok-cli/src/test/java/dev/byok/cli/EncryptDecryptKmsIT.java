package dev.byok.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.amazonaws.encryptionsdk.AwsCrypto;
import com.amazonaws.encryptionsdk.CommitmentPolicy;
import dev.byok.testing.Emulators;
import dev.byok.testing.WithEmulators;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.cryptography.materialproviders.IKeyring;
import software.amazon.cryptography.materialproviders.MaterialProviders;
import software.amazon.cryptography.materialproviders.model.CreateAwsKmsKeyringInput;
import software.amazon.cryptography.materialproviders.model.MaterialProvidersConfig;

/**
 * {@code byok encrypt} / {@code decrypt} with {@code --key KMS_KEY_ARN} on local-kms, checked
 * against the AWS Encryption SDK for Java and its KMS keyring in both directions.
 */
@WithEmulators
class EncryptDecryptKmsIT {
  private static final Map<String, String> CONTEXT = Map.of("tenant", "acme");
  private static final byte[] PLAIN = ("a record of tenant acme " + "y".repeat(100_000)).getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;
  private KmsClient kms;
  private String keyArn;
  private IKeyring keyring;
  private String endpoint;
  private EmulatorCredentialProperties credentials;

  @BeforeEach
  void setUp(Emulators emu) {
    credentials = EmulatorCredentialProperties.set(emu);
    kms = emu.localKms(KmsClient.builder()).build();
    keyArn = kms.createKey(b -> b.description("cli interop")).keyMetadata().arn();
    endpoint = "kms=" + emu.localKmsEndpoint();
    MaterialProviders mpl = MaterialProviders.builder().MaterialProvidersConfig(MaterialProvidersConfig.builder().build()).build();
    keyring = mpl.CreateAwsKmsKeyring(CreateAwsKmsKeyringInput.builder().kmsKeyId(keyArn).kmsClient(kms).build());
  }

  @AfterEach
  void tearDown() {
    kms.close();
    credentials.close();
  }

  private static AwsCrypto esdk() {
    return AwsCrypto.builder().withCommitmentPolicy(CommitmentPolicy.RequireEncryptRequireDecrypt).build();
  }

  @Test
  void cliEncrypt_esdkDecrypts() {
    CliRun e = CliRun.withInput(PLAIN, "encrypt", "--key", keyArn, "--endpoint-url", endpoint, "--context", "tenant=acme");
    assertEquals(0, e.status, e.toString());
    assertArrayEquals(PLAIN, esdk().decryptData(keyring, e.outBytes, CONTEXT).getResult());
  }

  @Test
  void esdkEncrypt_cliDecryptsToFile() throws Exception {
    Path in = dir.resolve("esdk.enc");
    Files.write(in, esdk().encryptData(keyring, PLAIN, CONTEXT).getResult());
    Path out = dir.resolve("plain.txt");
    CliRun d = CliRun.run("decrypt", "--key", keyArn, "--endpoint-url", endpoint, "--context", "tenant=acme",
        "--in", in.toString(), "--out", out.toString());
    assertEquals(0, d.status, d.toString());
    assertArrayEquals(PLAIN, Files.readAllBytes(out));
  }

  @Test
  void decrypt_keyDisabledInKms_exit4NoOutput() throws Exception {
    CliRun e = CliRun.withInput(PLAIN, "encrypt", "--key", keyArn, "--endpoint-url", endpoint);
    assertEquals(0, e.status, e.toString());
    Path in = dir.resolve("m.enc");
    Files.write(in, e.outBytes);
    kms.disableKey(b -> b.keyId(keyArn));
    Path out = dir.resolve("m.txt");
    CliRun d = CliRun.run("decrypt", "--key", keyArn, "--endpoint-url", endpoint, "--in", in.toString(), "--out", out.toString());
    assertEquals(ExitCodes.ACCESS_REVOKED, d.status, d.toString());
    assertEquals(1, d.errLines().size(), d.toString());
    assertFalse(Files.exists(out));
  }

  @Test
  void encrypt_unreachableKms_exit5() {
    CliRun e = CliRun.withInput(PLAIN, "encrypt", "--key", keyArn, "--endpoint-url", "kms=http://127.0.0.1:9");
    assertEquals(ExitCodes.KEY_SERVICE_UNAVAILABLE, e.status, e.toString());
    assertEquals(1, e.errLines().size(), e.toString());
    assertEquals(0, e.outBytes.length);
  }
}
