package dev.byok.provisioning;

/**
 * The checks every policy document passes before anything is written. Each has a stable
 * {@link #id()} that lint messages name. A rule that is a {@link #warning()} never stops plan,
 * apply or export; it is reported beside the plan ({@link Plan#warnings()}).
 *
 * <p>Immutable and thread-safe.
 */
public enum LintRule {
  /** Valid policy grammar: version 2012-10-17, statements with Effect, Action, Principal or Resource, unique Sids. */
  STRUCTURE("structure"),
  /** The document fits the service's limit (key policies 32 KiB, bucket policies 20 KiB, managed policies 6 KiB, trust policies 2 KiB). */
  SIZE("size"),
  /** A key policy keeps the account root (or a named administrator) able to change it, and denies it nothing unconditionally. */
  NO_LOCKOUT("no-lockout"),
  /** No statement has a {@code *} principal without a condition. */
  WILDCARD_PRINCIPAL("no-unconditioned-wildcard-principal"),
  /** Every account ID in a principal, an account condition or a source ARN is 12 digits. */
  ACCOUNT_ID("account-id"),
  /** A statement that allows the vendor's accounts anything allows only actions of the vendor profile, never {@code kms:*}. */
  VENDOR_ACTIONS("vendor-actions"),
  /** The log policy gives the guide's four actions on both the log group and its streams. */
  LOG_POLICY_COVERAGE("log-policy-coverage"),
  /** Every statement that lets someone assume the role requires {@code sts:ExternalId}. */
  TRUST_EXTERNAL_ID("trust-external-id"),
  /**
   * Warning: a vendor profile widened the vendor's actions with a wildcard (such as
   * {@code kms:GenerateDataKey*}); byok itself calls only {@code kms:GenerateDataKey},
   * {@code kms:Decrypt} and {@code kms:DescribeKey}.
   */
  VENDOR_ACTION_WILDCARD("vendor-action-wildcard", true),
  /**
   * Every statement that lets an AWS service assume a role names the resource or account it acts
   * for ({@code aws:SourceArn} or {@code aws:SourceAccount}), against the confused deputy.
   */
  SERVICE_TRUST_SOURCE("service-trust-source", false),
  /**
   * The key-event rule's pattern matches KMS CloudTrail records of this key only (its ID or ARN in
   * {@code requestParameters.keyId}), of every call that cuts access and no call the vendor cannot
   * act on, and fits EventBridge's 2,048-character default.
   */
  KEY_EVENT_PATTERN("key-event-pattern", false);

  private final String id;
  private final boolean warning;

  LintRule(String id) {
    this(id, false);
  }

  LintRule(String id, boolean warning) {
    this.id = id;
    this.warning = warning;
  }

  /** Whether a finding of this rule is a warning, reported but never stopping an operation. */
  public boolean warning() {
    return warning;
  }

  /** The rule's name in messages, such as {@code no-lockout}. */
  public String id() {
    return id;
  }
}
