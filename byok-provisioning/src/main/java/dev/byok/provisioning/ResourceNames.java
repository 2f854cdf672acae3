package dev.byok.provisioning;

import dev.byok.core.AwsAccountId;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The names of everything provisioning creates, following the guide's conventions:
 *
 * <table>
 * <caption>names for company acme, app slack, environment sandbox</caption>
 * <tr><td>customer key alias</td><td>{@code alias/acme-slack-sandbox}</td></tr>
 * <tr><td>CloudTrail log key alias</td><td>{@code alias/acme-slack-sandbox-cloudtrail-logs}</td></tr>
 * <tr><td>trail</td><td>{@code slack-sandbox-logs}</td></tr>
 * <tr><td>trail bucket</td><td>{@code acme-slack-sandbox-cloudtrail-ACCOUNT}</td></tr>
 * <tr><td>log group</td><td>{@code ACME_SLACK_SANDBOX_LOG_GROUP}</td></tr>
 * <tr><td>IAM policy</td><td>{@code slack-sandbox-kms-logs}</td></tr>
 * <tr><td>log role</td><td>{@code slack-sandbox-kms-logging}</td></tr>
 * <tr><td>key-event rule (default bus) and its role</td><td>{@code slack-sandbox-key-events}</td></tr>
 * </table>
 *
 * <p>The bucket name holds the customer's account ID (bucket names are global); until the account
 * is known (an offline plan without {@code account}) it holds {@link #ACCOUNT_PLACEHOLDER}.
 *
 * <p>Immutable and thread-safe.
 */
public final class ResourceNames {
  /** Stands for the customer's account ID in names and documents until it is known. */
  public static final String ACCOUNT_PLACEHOLDER = "<ACCOUNT_ID>";

  private static final Pattern ALIAS = Pattern.compile("alias/[a-z0-9][a-z0-9-]*");
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern TRAIL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]");
  private static final Pattern IAM_NAME = Pattern.compile("[A-Za-z0-9+=,.@_-]+");
  private static final Pattern RULE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern EVENT_BUS_ARN = Pattern.compile(
      "arn:(aws|aws-cn|aws-us-gov):events:[a-z]{2}(-[a-z]+)+-[0-9]{1,2}:[0-9]{12}:event-bus/[A-Za-z0-9._/-]{1,256}");
  private static final int MAX_ALIAS_CHARS = 256;
  private static final int MAX_ROLE_NAME_CHARS = 64;
  private static final int MAX_POLICY_NAME_CHARS = 128;
  private static final int MAX_LOG_GROUP_CHARS = 512;

  private final String keyAlias;
  private final String logKeyAlias;
  private final String trailName;
  private final String bucketName;
  private final String logGroupName;
  private final String logPolicyName;
  private final String roleName;
  private final String keyEventRuleName;
  private final String partition;
  private final String region;
  private final String account;

  private ResourceNames(ProvisioningSpec spec, String account) {
    String stem = spec.company() + "-" + spec.app() + "-" + spec.env();
    String appEnv = spec.app() + "-" + spec.env();
    this.keyAlias = "alias/" + stem;
    this.logKeyAlias = "alias/" + stem + "-cloudtrail-logs";
    this.trailName = appEnv + "-logs";
    this.bucketName = spec.bucketName().orElse(stem + "-cloudtrail-" + account);
    this.logGroupName = (spec.company() + "_" + spec.app() + "_" + spec.env()).replace('-', '_').toUpperCase(Locale.ROOT) + "_LOG_GROUP";
    this.logPolicyName = appEnv + "-kms-logs";
    this.roleName = appEnv + "-kms-logging";
    this.keyEventRuleName = appEnv + "-key-events";
    this.partition = spec.partition();
    this.region = spec.region();
    this.account = account;
    checkAlias(keyAlias);
    checkAlias(logKeyAlias);
    check(TRAIL.matcher(trailName).matches(), "trail name", trailName, "3-128 of A-Z a-z 0-9 . _ -, starting and ending with a letter or digit");
    checkBucketName(bucketName.replace(ACCOUNT_PLACEHOLDER, "000000000000"));
    check(logGroupName.length() <= MAX_LOG_GROUP_CHARS, "log group name", logGroupName, "at most 512 characters");
    check(IAM_NAME.matcher(logPolicyName).matches() && logPolicyName.length() <= MAX_POLICY_NAME_CHARS, "IAM policy name", logPolicyName, "at most 128 characters");
    check(IAM_NAME.matcher(roleName).matches() && roleName.length() <= MAX_ROLE_NAME_CHARS, "IAM role name", roleName,
        "at most 64 characters (shorten app or env)");
    check(RULE_NAME.matcher(keyEventRuleName).matches(), "EventBridge rule and role name", keyEventRuleName,
        "at most 64 of A-Z a-z 0-9 . _ - (shorten app or env)");
  }

  /**
   * Checks an EventBridge event bus ARN: {@code arn:PARTITION:events:REGION:ACCOUNT:event-bus/NAME}
   * with a 12-digit account.
   *
   * @throws IllegalArgumentException naming the rule
   */
  static void checkEventBusArn(@Nullable String arn) {
    check(arn != null && EVENT_BUS_ARN.matcher(arn).matches(), "event bus ARN", arn,
        "arn:PARTITION:events:REGION:ACCOUNT:event-bus/NAME with a 12-digit account, such as "
            + "arn:aws:events:us-east-1:444455556666:event-bus/byok-key-events");
  }

  /** Names for {@code spec}, with the account from the spec or {@link #ACCOUNT_PLACEHOLDER}. */
  public static ResourceNames of(ProvisioningSpec spec) {
    return new ResourceNames(spec, spec.account().map(AwsAccountId::value).orElse(ACCOUNT_PLACEHOLDER));
  }

  /** Names for {@code spec} in the given account. */
  public static ResourceNames of(ProvisioningSpec spec, AwsAccountId account) {
    return new ResourceNames(spec, account.value());
  }

  /**
   * Checks a KMS alias: {@code alias/} then lower-case letters, digits and hyphens, at most 256
   * characters, never {@code alias/aws...}.
   *
   * @throws IllegalArgumentException naming the rule
   */
  static void checkAlias(@Nullable String alias) {
    check(alias != null && ALIAS.matcher(alias).matches() && alias.length() <= MAX_ALIAS_CHARS && !alias.startsWith("alias/aws"),
        "key alias", alias, "alias/ followed by lower-case letters, digits and hyphens, at most 256 characters, not alias/aws...");
  }

  /**
   * Checks an S3 bucket name: 3-63 characters of lower-case letters, digits, dots and hyphens,
   * starting and ending with a letter or digit, no two adjacent dots, not an IP address, not
   * starting with {@code xn--} or {@code sthree-} and not ending with {@code -s3alias}.
   *
   * @throws IllegalArgumentException naming the rule that is broken
   */
  static void checkBucketName(@Nullable String name) {
    check(name != null && BUCKET.matcher(name).matches(), "bucket name", name,
        "3-63 of lower-case letters, digits, . and -, starting and ending with a letter or digit");
    check(!name.contains(".."), "bucket name", name, "without two adjacent dots");
    check(!name.matches("[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+"), "bucket name", name, "not formatted as an IP address");
    check(!name.startsWith("xn--") && !name.startsWith("sthree-"), "bucket name", name, "not starting with xn-- or sthree-");
    check(!name.endsWith("-s3alias") && !name.endsWith("--ol-s3"), "bucket name", name, "not ending with -s3alias or --ol-s3");
  }

  private static void check(boolean ok, String what, @Nullable String value, String rule) {
    if (!ok) {
      throw new IllegalArgumentException(what + " '" + value + "' is invalid: must be " + rule);
    }
  }

  /** The customer key's alias, {@code alias/<company>-<app>-<env>}. */
  public String keyAlias() { return keyAlias; }
  /** The CloudTrail log key's alias. */
  public String logKeyAlias() { return logKeyAlias; }
  /** The trail's name. */
  public String trailName() { return trailName; }
  /** The trail bucket's name. */
  public String bucketName() { return bucketName; }
  /** The log group the vendor writes key-use events to. */
  public String logGroupName() { return logGroupName; }
  /** The IAM policy with the guide's four log actions. */
  public String logPolicyName() { return logPolicyName; }
  /** The role the vendor assumes to write logs. */
  public String roleName() { return roleName; }
  /** The account ID, or {@link #ACCOUNT_PLACEHOLDER} while unknown. */
  public String account() { return account; }
  /** The account ID when known. */
  public Optional<AwsAccountId> knownAccount() {
    return account.equals(ACCOUNT_PLACEHOLDER) ? Optional.empty() : Optional.of(AwsAccountId.of(account));
  }
  /** The AWS partition, such as {@code aws}. */
  public String partition() { return partition; }
  /** The region. */
  public String region() { return region; }

  /** The trail's ARN. */
  public String trailArn() { return "arn:" + partition + ":cloudtrail:" + region + ":" + account + ":trail/" + trailName; }
  /** The bucket's ARN. */
  public String bucketArn() { return "arn:" + partition + ":s3:::" + bucketName; }
  /** The log role's ARN. */
  public String roleArn() { return "arn:" + partition + ":iam::" + account + ":role/" + roleName; }
  /** The log policy's ARN. */
  public String logPolicyArn() { return "arn:" + partition + ":iam::" + account + ":policy/" + logPolicyName; }
  /** The EventBridge rule on the customer's default bus that forwards the key's events to the vendor's bus. */
  public String keyEventRuleName() { return keyEventRuleName; }
  /** The key-event rule's ARN. */
  public String keyEventRuleArn() { return "arn:" + partition + ":events:" + region + ":" + account + ":rule/" + keyEventRuleName; }
  /** The role EventBridge assumes to put the key's events on the vendor's bus (same name as the rule). */
  public String keyEventRoleName() { return keyEventRuleName; }
  /** The key-event role's ARN. */
  public String keyEventRoleArn() { return "arn:" + partition + ":iam::" + account + ":role/" + keyEventRuleName; }
  /** The key-event role's inline policy. */
  public String keyEventPolicyName() { return "byok-put-key-events-to-vendor-bus"; }
  /** The customer key's ARN for {@code keyId}. */
  public String keyArn(String keyId) { return "arn:" + partition + ":kms:" + region + ":" + account + ":key/" + keyId; }
  /** The customer account root's ARN. */
  public String rootArn() { return "arn:" + partition + ":iam::" + account + ":root"; }
  /** The log group's ARN. */
  public String logGroupArn() { return "arn:" + partition + ":logs:" + region + ":" + account + ":log-group:" + logGroupName; }

  @Override
  public String toString() {
    return "ResourceNames{keyAlias=" + keyAlias + ", logKeyAlias=" + logKeyAlias + ", trail=" + trailName + ", bucket=" + bucketName
        + ", logGroup=" + logGroupName + ", policy=" + logPolicyName + ", role=" + roleName + "}";
  }
}
