package dev.byok.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;

/** Every builder of the module refuses a value set twice and names a missing required value. */
class BuildersTest {
  @Test
  void spec_scalarSetTwice_refusedNamingIt() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ProvisioningSpec.builder().company("acme").company("acme"));
    assertTrue(e.getMessage().contains("company is already set"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> ProvisioningSpec.builder().insights(false).insights(true));
  }

  @Test
  void spec_toBuilder_eachValueMayChangeOnce() {
    ProvisioningSpec spec = Specs.slack().toBuilder().env("prod").insights(false).build();
    assertEquals("prod", spec.env());
    assertThrows(IllegalStateException.class, () -> Specs.slack().toBuilder().env("prod").env("dev"));
  }

  @Test
  void spec_sameTagKeyTwice_refused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Specs.base("slack").tag("team", "a").tag("team", "b"));
    assertTrue(e.getMessage().contains("tag 'team' is given twice"), e.getMessage());
  }

  @Test
  void spec_fromJsonMissingField_isAnIllegalArgumentNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProvisioningSpec.fromJson("{\"company\":\"acme\"}"));
    assertTrue(e.getMessage().contains("spec: missing app, env, region, vendor, vendorAccounts"), e.getMessage());
  }

  @Test
  void spec_fromJsonBadJson_oneSentenceWithLineAndColumnNoParserInternals() {
    String[][] cases = {
        {"{\"company\": \"acme\",\n  \"app\": }", "spec: not valid JSON: Unexpected character ('}')"},
        {"{\"company\": \"acme\"", "spec: not valid JSON: Unexpected end-of-input"},
        {"{\"company\" \"acme\"}", "spec: not valid JSON: Unexpected character ('\"')"}};
    for (String[] c : cases) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProvisioningSpec.fromJson(c[0]));
      assertTrue(e.getMessage().startsWith(c[1]), e.getMessage());
      assertTrue(e.getMessage().matches(".*\\(line \\d+, column \\d+\\)"), e.getMessage());
      for (String internal : new String[] {"Source", "code ", "REDACTED", "StreamReadFeature", "\n", "was expecting"}) {
        assertFalse(e.getMessage().contains(internal), "'" + internal + "' in " + e.getMessage());
      }
    }
  }

  @Test
  void propagationRetry_setTwice_refused() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> PropagationRetry.builder().maxAttempts(3).maxAttempts(4));
    assertTrue(e.getMessage().contains("maxAttempts is already set"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> PropagationRetry.builder().sleeper(d -> { }).sleeper(d -> { }));
    assertEquals(Duration.ofSeconds(16), PropagationRetry.DEFAULT.maxBackoff());
  }

  @Test
  void awsClients_setTwice_refused() {
    assertThrows(IllegalStateException.class, () -> AwsClients.builder().region("us-east-1").region("eu-west-1"));
    assertThrows(IllegalStateException.class, () -> AwsClients.builder().endpointOverride("http://127.0.0.1:5000")
        .endpointOverride("http://127.0.0.1:5001"));
    assertThrows(IllegalStateException.class, () -> AwsClients.builder().endpointOverride("kms=http://127.0.0.1:8080")
        .endpointOverride("kms=http://127.0.0.1:8081"));
  }

  @Test
  void awsClients_serviceEndpoint_winsOverTheGeneralOneInEitherOrder() {
    URI moto = URI.create("http://127.0.0.1:5000");
    URI kms = URI.create("http://127.0.0.1:8080");
    try (AwsClients a = AwsClients.builder().region("us-east-1").credentials(AnonymousCredentialsProvider.create())
            .endpointOverride("kms=" + kms).endpointOverride(moto.toString()).build();
        AwsClients b = AwsClients.builder().region("us-east-1").credentials(AnonymousCredentialsProvider.create())
            .endpoint(moto).endpoint(AwsClients.Service.KMS, kms).build()) {
      for (AwsClients c : new AwsClients[] {a, b}) {
        assertEquals(Optional.of(kms), c.kms().serviceClientConfiguration().endpointOverride());
        assertEquals(Optional.of(moto), c.s3().serviceClientConfiguration().endpointOverride());
      }
    }
  }
}
