package dev.byok.provisioning;

import dev.byok.core.HandoffBundle;
import dev.byok.core.ProvisioningException;
import dev.byok.provisioning.internal.aws.AwsPorts;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The customer's BYOK set-up as plan / apply / verify / revoke / restore / destroy.
 *
 * <pre>{@code
 * Plan plan = Provisioner.plan(spec);                       // offline
 * try (AwsClients aws = AwsClients.builder().region(spec.region()).build()) {
 *   Provisioner p = Provisioner.builder().spec(spec).clients(aws).build();
 *   ChangeReport applied = p.apply();                       // idempotent, resumable
 *   HandoffBundle bundle = applied.handoffBundle().orElseThrow();
 *   VerifyReport report = p.verify();
 *   p.revoke(Revocation.denyVendor());
 *   p.restore(Revocation.denyVendor());
 * }
 * }</pre>
 *
 * <p>Every document is linted before it is written; a lint failure or an AWS error stops the
 * operation with a {@link ProvisioningException} naming the statement and rule, or the call and
 * resource. Apply reads each resource before writing it, so it makes only the calls still needed,
 * a second apply changes nothing, and an apply that stopped part-way resumes where it stopped.
 * Apply leaves revocations in place (a disabled key stays disabled, revoke statements stay in the
 * key policy) and refuses a key pending deletion: only {@code restore} undoes a revocation.
 *
 * <p>Does not own the {@link AwsClients}; the caller closes them. Operations are not meant to run
 * concurrently on one instance (nor against the same resources from two processes).
 */
public final class Provisioner {
  private final ProvisioningSpec spec;
  private final AwsPorts ports;
  private final PropagationRetry retry;
  private final SecureRandom random;

  private Provisioner(ProvisioningSpec spec, AwsPorts ports, PropagationRetry retry, SecureRandom random) {
    this.spec = spec;
    this.ports = ports;
    this.retry = retry;
    this.random = random;
  }

  /** The operations on the spec, completed from the live set-up first when it holds only the names. */
  private Operations operations(String operation) {
    return new Operations(LiveVendor.complete(spec, ports, operation, retry), ports, retry, random);
  }

  /** A builder; {@link Builder#spec} and {@link Builder#clients} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Works out the plan offline: names, documents (rendered and linted), the calls for a fresh account.
   * The account appears as {@link ResourceNames#ACCOUNT_PLACEHOLDER} unless the spec names it, and
   * the external ID as {@link PolicyDocuments#EXTERNAL_ID_PLACEHOLDER} unless the spec gives it.
   */
  public static Plan plan(ProvisioningSpec spec) {
    if (spec.namesOnly()) {
      throw new IllegalArgumentException("plan needs the vendor: give the vendor profile and accounts (--vendor, --vendor-account) or a"
          + " spec file (--spec)");
    }
    ResourceNames names = ResourceNames.of(spec);
    String externalId = spec.externalId().orElse(PolicyDocuments.EXTERNAL_ID_PLACEHOLDER);
    PolicyDocuments docs = PolicyDocuments.render(spec, names, externalId);
    List<LintFinding> findings = PolicyLinter.forSpec(spec, names, true).lint(docs);
    List<String> notes = new ArrayList<>();
    if (names.knownAccount().isEmpty()) {
      notes.add("The account ID is not in the spec: documents show " + ResourceNames.ACCOUNT_PLACEHOLDER
          + "; apply fills it in from sts:GetCallerIdentity (give --account to pin it and have apply check it).");
    }
    if (spec.vendor().logsViaRole() && spec.externalId().isEmpty()) {
      notes.add("No external ID given: apply reuses the role's existing one or generates 32 random bytes (hex) with SecureRandom;"
          + " it is in the hand-off bundle.");
    }
    if (!spec.vendor().logsViaRole()) {
      notes.add("The " + spec.vendor().displayName() + " profile writes no logs through a role: no log group, IAM policy or role, and no hand-off bundle.");
    }
    spec.vendorEventBus().ifPresent(bus -> notes.add("The key's KMS events (" + String.join(", ", PolicyDocuments.KEY_EVENT_NAMES)
        + ") are forwarded to the vendor's bus " + bus + " by rule " + names.keyEventRuleName()
        + " on the default bus, through role " + names.keyEventRoleName() + "; the pattern names " + PolicyDocuments.KEY_ID_PLACEHOLDER
        + " until apply has made the key. The trail of this set-up is what puts them on the default bus."));
    if (spec.encryptionContext().isEmpty()) {
      notes.add("Recommended: --encryption-context KEY=VALUE (for example tenant=<your tenant ID at the vendor>) allows the vendor's"
          + " cryptographic calls only under that encryption context (kms:EncryptionContext: conditions), so the key serves your data"
          + " only, each call names it in CloudTrail, and 'revoke deny-scope --context KEY=VALUE' can later cut one scope off.");
    } else {
      notes.add("The vendor's cryptographic calls are allowed only with encryption context " + spec.encryptionContext()
          + " (kms:EncryptionContext: conditions); DescribeKey and the other calls without a context are in a statement of their own.");
    }
    if (spec.vendor().logsViaRole()) {
      if (spec.logRetentionDays().isEmpty()) {
        notes.add("Recommended: --log-retention-days DAYS (for example 365): without it the log group " + names.logGroupName()
            + " keeps the vendor's key-use logs forever.");
      }
      if (spec.logGroupKmsKey().isEmpty()) {
        notes.add("Recommended: --log-group-kms-key ARN, a KMS key of yours for the log group " + names.logGroupName()
            + " (otherwise CloudWatch Logs' own keys encrypt it); its key policy must allow logs." + spec.region()
            + ".amazonaws.com. byok does not make or change that key.");
      }
    }
    notes.add("Nothing is written by plan; apply lints every document again with the real account before each write.");
    notes.addAll(spec.vendor().notes());
    return new Plan(spec, names, docs, findings, Plan.creationCalls(spec, names), notes);
  }

  /**
   * Writes the set-up of {@code spec} as infrastructure as code, offline: the plan's resources,
   * names, settings and policy documents as a CloudFormation template or a Terraform module; see
   * {@link Export}.
   *
   * @throws ProvisioningException when plan finds a lint error, with the message apply would give
   * @throws IllegalArgumentException when a derived name is invalid (as plan throws)
   */
  public static Export export(ProvisioningSpec spec, ExportFormat format) {
    return Exports.export(Objects.requireNonNull(spec, "spec"), Objects.requireNonNull(format, "format"));
  }

  /**
   * Reads the hand-off bundle for the vendor from the live resources, whichever tool made them:
   * the key's ARN (by its alias), the role's ARN and external ID (from its trust policy), the log
   * group's name.
   *
   * @throws ProvisioningException when the profile writes no logs through a role, or a resource is
   *     missing, naming it
   */
  public HandoffBundle bundle() {
    return operations("bundle").bundle();
  }

  /**
   * Creates or converges every resource; see the class documentation.
   *
   * @throws ProvisioningException for a names-only spec (apply needs the vendor)
   */
  public ChangeReport apply() {
    if (spec.namesOnly()) {
      throw new ProvisioningException("apply needs the vendor: give the vendor profile and accounts (--vendor, --vendor-account) or a"
          + " spec file (--spec); nothing was changed");
    }
    return operations("apply").apply();
  }

  /**
   * Reads everything back and reports each check. With a names-only spec the vendor's part is read
   * from the key policy, so the vendor statements are checked against themselves (say so to whoever
   * reads the report); everything else is checked as with the full spec.
   */
  public VerifyReport verify() {
    return operations("verify").verify();
  }

  /** Cuts the vendor off in the given way. */
  public ChangeReport revoke(Revocation revocation) {
    return operations("revoke").revoke(Objects.requireNonNull(revocation, "revocation"));
  }

  /**
   * Undoes a revocation: the given one, or with {@code null} every revocation found (cancels a
   * scheduled deletion, enables the key, removes every revoke statement).
   */
  public ChangeReport restore(@Nullable Revocation revocation) {
    return operations("restore").restore(revocation);
  }

  /**
   * Removes what apply created: the trail, the bucket and its log files, the role, the IAM policy,
   * the log group, the aliases; the two keys are scheduled for deletion after {@code keyDeletionDays} (7-30).
   */
  public ChangeReport destroy(int keyDeletionDays) {
    if (keyDeletionDays < Revocation.MIN_DELETION_DAYS || keyDeletionDays > Revocation.MAX_DELETION_DAYS) {
      throw new IllegalArgumentException("destroy: key deletion window must be 7-30 days, got " + keyDeletionDays);
    }
    return operations("destroy").destroy(keyDeletionDays);
  }

  @Override
  public String toString() {
    return "Provisioner{" + spec + "}";
  }

  /**
   * Builds a {@link Provisioner}. Each value may be set once ({@link IllegalStateException} on a
   * second set); {@link #build()} names a missing required value ({@link IllegalStateException}).
   */
  public static final class Builder {
    private @Nullable ProvisioningSpec spec;
    private @Nullable AwsPorts ports;
    private PropagationRetry retry = PropagationRetry.DEFAULT;
    private @Nullable SecureRandom random;
    private final Once once = new Once("provisioner");

    private Builder() {}

    /** What to set up (required). */
    public Builder spec(ProvisioningSpec v) {
      Objects.requireNonNull(v, "spec");
      once.set("spec");
      this.spec = v;
      return this;
    }

    /** The clients to use (required); not closed by the provisioner. */
    public Builder clients(AwsClients v) {
      Objects.requireNonNull(v, "clients");
      once.set("clients");
      this.ports = AwsPorts.of(v);
      return this;
    }

    /** Tests: the AWS services as in-memory ports instead of {@link #clients}. */
    Builder ports(AwsPorts v) {
      Objects.requireNonNull(v, "ports");
      once.set("clients");
      this.ports = v;
      return this;
    }

    /** Retries of IAM's eventual consistency; default {@link PropagationRetry#DEFAULT}. Tests pass one with a recording {@link Sleeper}. */
    public Builder propagationRetry(PropagationRetry v) {
      Objects.requireNonNull(v, "propagationRetry");
      once.set("propagationRetry");
      this.retry = v;
      return this;
    }

    /** The source of generated external IDs; default a new {@link SecureRandom}. */
    public Builder random(SecureRandom v) {
      Objects.requireNonNull(v, "random");
      once.set("random");
      this.random = v;
      return this;
    }

    /**
     * Builds the provisioner.
     *
     * @throws IllegalStateException naming the spec or the clients when one is missing
     */
    public Provisioner build() {
      if (spec == null) {
        throw new IllegalStateException("provisioner: spec is required");
      }
      if (ports == null) {
        throw new IllegalStateException("provisioner: clients is required");
      }
      return new Provisioner(spec, ports, retry, random != null ? random : new SecureRandom());
    }
  }
}
