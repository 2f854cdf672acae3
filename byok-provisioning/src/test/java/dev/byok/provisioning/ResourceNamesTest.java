package dev.byok.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceNamesTest {
  @Test
  void of_guideExample_followsTheGuidesConventions() {
    ResourceNames n = ResourceNames.of(Specs.slack(), Specs.ACCOUNT);
    assertEquals("alias/acme-slack-sandbox", n.keyAlias());
    assertEquals("alias/acme-slack-sandbox-cloudtrail-logs", n.logKeyAlias());
    assertEquals("slack-sandbox-logs", n.trailName());
    assertEquals("acme-slack-sandbox-cloudtrail-123456789012", n.bucketName());
    assertEquals("ACME_SLACK_SANDBOX_LOG_GROUP", n.logGroupName());
    assertEquals("slack-sandbox-kms-logs", n.logPolicyName());
    assertEquals("slack-sandbox-kms-logging", n.roleName());
    assertEquals("arn:aws:iam::123456789012:role/slack-sandbox-kms-logging", n.roleArn());
    assertEquals("arn:aws:cloudtrail:us-east-1:123456789012:trail/slack-sandbox-logs", n.trailArn());
  }

  @Test
  void of_upperCaseInput_givesLowerCaseAliasAndUpperCaseLogGroup() {
    ProvisioningSpec spec = Specs.base("slack").company("ACME").app("Slack").env("Prod-EU").build();
    ResourceNames n = ResourceNames.of(spec, Specs.ACCOUNT);
    assertEquals("alias/acme-slack-prod-eu", n.keyAlias());
    assertEquals("ACME_SLACK_PROD_EU_LOG_GROUP", n.logGroupName());
    assertEquals("slack-prod-eu-logs", n.trailName());
  }

  @Test
  void of_accountUnknown_usesPlaceholder() {
    ResourceNames n = ResourceNames.of(Specs.slack());
    assertEquals("acme-slack-sandbox-cloudtrail-" + ResourceNames.ACCOUNT_PLACEHOLDER, n.bucketName());
    assertTrue(n.knownAccount().isEmpty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"acme_corp", "acme corp", "-acme", "acme-", "ac--me", "", "acmé"})
  void company_invalidCharacters_rejectedWithTheRule(String company) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Specs.base("slack").company(company));
    assertTrue(e.getMessage().contains("company must be letters and digits"), e.getMessage());
  }

  @Test
  void build_roleNameOver64Characters_rejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Specs.base("slack").app("a".repeat(40)).env("e".repeat(20)).bucketName("acme-trail-logs").build());
    assertTrue(e.getMessage().contains("IAM role name"), e.getMessage());
  }

  @Test
  void build_bucketNameOver63Characters_rejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Specs.base("slack").company("c".repeat(30)).app("slack").build());
    assertTrue(e.getMessage().contains("bucket name"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ab", "Upper-case", "a..b", "192.168.1.1", "xn--abc", "sthree-abc", "abc-s3alias", "-abc", "abc-"})
  void checkBucketName_brokenRule_rejected(String name) {
    assertThrows(IllegalArgumentException.class, () -> ResourceNames.checkBucketName(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "acme-logs.example", "a1-b2-c3"})
  void checkBucketName_valid_accepted(String name) {
    ResourceNames.checkBucketName(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"alias/Acme-slack", "alias/aws-thing", "acme-slack", "alias/", "alias/acme_slack"})
  void checkAlias_broken_rejected(String alias) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResourceNames.checkAlias(alias));
    assertTrue(e.getMessage().contains("key alias"), e.getMessage());
  }

  @Test
  void checkAlias_lowerCase_accepted() {
    ResourceNames.checkAlias("alias/acme-slack-sandbox");
  }
}
