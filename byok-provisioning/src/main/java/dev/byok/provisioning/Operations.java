package dev.byok.provisioning;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.core.AwsAccountId;
import dev.byok.core.HandoffBundle;
import dev.byok.core.KeyArn;
import dev.byok.core.ProvisioningException;
import dev.byok.provisioning.internal.Calls;
import dev.byok.provisioning.internal.CloudTrailLogging;
import dev.byok.provisioning.internal.KeyEventForwarding;
import dev.byok.provisioning.internal.KmsKeys;
import dev.byok.provisioning.internal.LogAccess;
import dev.byok.provisioning.internal.aws.AwsPorts;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The operations of a {@link Provisioner}, each in dependency order over the parts of the set-up:
 * the customer key ({@link KmsKeys}), the trail with its bucket and log key
 * ({@link CloudTrailLogging}), the vendor's log access ({@link LogAccess}) and, with a vendor
 * key-event bus, the forwarding of the key's events ({@link KeyEventForwarding}). Each operation
 * first learns the account from STS, renders the documents and makes fresh parts and
 * {@link Calls}, so operations share no state. Package-private: the glue between the public value
 * types and the internal parts.
 */
final class Operations {
  private static final int EXTERNAL_ID_BYTES = 32;

  private final ProvisioningSpec spec;
  private final AwsPorts aws;
  private final PropagationRetry retry;
  private final SecureRandom random;

  Operations(ProvisioningSpec spec, AwsPorts aws, PropagationRetry retry, SecureRandom random) {
    this.spec = spec;
    this.aws = aws;
    this.retry = retry;
    this.random = random;
  }

  /** One operation's plumbing, names, linter and key part. */
  private final class Run {
    final Calls calls;
    final ResourceNames names;
    final PolicyLinter linter;
    final KmsKeys keys;

    Run(String operation) {
      calls = new Calls(operation, retry);
      String account = calls.read("sts:GetCallerIdentity", "caller", aws.sts()::callerAccount);
      AwsAccountId id = AwsAccountId.of(account);
      if (spec.account().isPresent() && !spec.account().get().equals(id)) {
        throw new ProvisioningException(operation + ": the credentials belong to account " + id + " but the spec names account "
            + spec.account().get() + "; nothing was changed");
      }
      names = ResourceNames.of(spec, id);
      linter = PolicyLinter.forSpec(spec, names, false);
      keys = new KmsKeys(aws.kms(), calls, linter);
    }

    CloudTrailLogging trail() {
      return new CloudTrailLogging(spec, names, keys, aws.s3(), aws.cloudTrail(), calls);
    }

    LogAccess logAccess() {
      return new LogAccess(spec, names, aws.logs(), aws.iam(), calls);
    }

    KeyEventForwarding keyEvents() {
      return new KeyEventForwarding(spec, names, aws.events(), aws.iam(), calls, linter);
    }

    String requireKey() {
      return keys.keyId(names.keyAlias()).orElseThrow(() -> new ProvisioningException(calls.operation() + ": no key with alias "
          + names.keyAlias() + " in account " + names.account() + "; run apply first"));
    }

    ChangeReport report(@Nullable HandoffBundle bundle, @Nullable String vendorSummary) {
      return new ChangeReport(calls.operation(), names, calls.changes(), calls.notes(), bundle, vendorSummary);
    }
  }

  ChangeReport apply() {
    Run run = new Run("apply");
    return guarded(run, () -> applyRun(run));
  }

  /**
   * Runs {@code body}; a failure that is not already a {@link ProvisioningException} (a value AWS
   * returned that the set-up cannot use, say) becomes one that lists the writes made before it and
   * how to resume, as a failed call does.
   */
  private static <T> T guarded(Run run, java.util.function.Supplier<T> body) {
    try {
      return body.get();
    } catch (ProvisioningException e) {
      throw e;
    } catch (RuntimeException e) {
      throw run.calls.unexpected(e);
    }
  }

  private ChangeReport applyRun(Run run) {
    run.keys.checkRegion(spec.region());
    run.trail().checkBucketName();
    LogAccess logAccess = run.logAccess();
    String externalId = spec.vendor().logsViaRole() ? resolveExternalId(run, logAccess) : PolicyDocuments.EXTERNAL_ID_PLACEHOLDER;
    PolicyDocuments docs = PolicyDocuments.render(spec, run.names, externalId);
    for (String d : docs.names()) {
      // every document before the first write; the key-event pattern names the key, so it is linted once the key exists
      if (!d.equals(PolicyDocuments.KEY_EVENT_PATTERN)) {
        run.linter.check(d, docs.get(d));
      }
    }
    KmsKeys.Ref key = run.keys.ensure(new KmsKeys.Wanted("key", run.names.keyAlias(), PolicyDocuments.KEY_POLICY,
        docs.get(PolicyDocuments.KEY_POLICY), spec.keyDescription(), spec.multiRegionKey(), spec.keyRotation(), true, spec.tags()));
    run.trail().ensure(docs.get(PolicyDocuments.LOG_KEY_POLICY), docs.get(PolicyDocuments.BUCKET_POLICY));
    if (!spec.vendor().logsViaRole()) {
      forwardKeyEvents(run, docs, key.arn());
      return run.report(null, VendorSummary.renderWithoutRole(spec, key.arn()));
    }
    String roleArn = logAccess.ensure(docs.get(PolicyDocuments.LOG_POLICY), docs.get(PolicyDocuments.TRUST_POLICY));
    forwardKeyEvents(run, docs, key.arn());
    HandoffBundle bundle = HandoffBundle.builder().keyArn(KeyArn.parse(key.arn())).region(spec.region()).roleArn(roleArn)
        .logGroupName(run.names.logGroupName()).externalId(externalId).vendor(spec.vendor().name()).build();
    return run.report(bundle, VendorSummary.render(spec, run.names, bundle));
  }

  /** With a vendor key-event bus: the rule that forwards the events of {@code keyArn}, its role and target (last: they name the key). */
  private void forwardKeyEvents(Run run, PolicyDocuments docs, String keyArn) {
    spec.vendorEventBus().ifPresent(bus -> run.keyEvents().ensure(PolicyDocuments.keyEventPattern(keyArn),
        docs.get(PolicyDocuments.KEY_EVENTS_TRUST_POLICY), docs.get(PolicyDocuments.KEY_EVENTS_POLICY), bus));
  }

  /** The spec's external ID, else the role's, else 32 fresh random bytes in hex. */
  private String resolveExternalId(Run run, LogAccess logAccess) {
    if (spec.externalId().isPresent()) {
      return spec.externalId().get();
    }
    Optional<String> existing = logAccess.existingExternalId();
    if (existing.isPresent()) {
      run.calls.note("external ID reused from the existing role " + run.names.roleName());
      return existing.get();
    }
    byte[] b = new byte[EXTERNAL_ID_BYTES];
    random.nextBytes(b);
    run.calls.note("external ID generated (32 random bytes, hex); it is in the hand-off bundle");
    return HexFormat.of().formatHex(b);
  }

  HandoffBundle bundle() {
    Run run = new Run("bundle");
    if (!spec.vendor().logsViaRole()) {
      throw new ProvisioningException("bundle: the " + spec.vendor().name() + " profile writes no logs through a role, so there is no"
          + " hand-off bundle; give the vendor the key ARN");
    }
    String keyArn = run.keys.arn(run.requireKey());
    LogAccess logAccess = run.logAccess();
    String roleArn = logAccess.roleArn().orElseThrow(() -> new ProvisioningException("bundle: no role " + run.names.roleName()
        + " in account " + run.names.account() + "; apply (or your template) first"));
    if (!logAccess.logGroupExists()) {
      throw new ProvisioningException("bundle: no log group " + run.names.logGroupName() + " in " + spec.region()
          + "; apply (or your template) first");
    }
    String externalId = logAccess.existingExternalId().orElseThrow(() -> new ProvisioningException("bundle: the trust policy of role "
        + run.names.roleName() + " has no sts:ExternalId condition; run verify"));
    if (spec.externalId().isPresent() && !spec.externalId().get().equals(externalId)) {
      throw new ProvisioningException("bundle: the external ID in the trust policy of role " + run.names.roleName()
          + " is not the spec's; run verify");
    }
    return HandoffBundle.builder().keyArn(KeyArn.parse(keyArn)).region(spec.region()).roleArn(roleArn)
        .logGroupName(run.names.logGroupName()).externalId(externalId).vendor(spec.vendor().name()).build();
  }

  VerifyReport verify() {
    Run run = new Run("verify");
    LogAccess logAccess = run.logAccess();
    List<Check> checks = new ArrayList<>();
    Optional<String> keyId = run.keys.keyId(run.names.keyAlias());
    Optional<String> externalId = spec.externalId();
    if (externalId.isEmpty() && spec.vendor().logsViaRole()) {
      externalId = logAccess.existingExternalId();
    }
    PolicyDocuments docs = PolicyDocuments.render(spec, run.names, externalId.orElse(PolicyDocuments.EXTERNAL_ID_PLACEHOLDER));
    checks.add(new Check("key exists", keyId.isPresent(), keyId.map(id -> run.names.keyAlias() + " -> " + id)
        .orElse("no alias " + run.names.keyAlias())));
    Optional<String> keyArn = keyId.map(id -> run.keys.verify(checks, "key", id, docs.get(PolicyDocuments.KEY_POLICY),
        PolicyDocuments.KEY_POLICY, spec.keyRotation()));
    run.trail().verify(checks, docs.get(PolicyDocuments.LOG_KEY_POLICY), docs.get(PolicyDocuments.BUCKET_POLICY));
    if (spec.vendor().logsViaRole()) {
      logAccess.verify(checks, docs.get(PolicyDocuments.LOG_POLICY), docs.get(PolicyDocuments.TRUST_POLICY), externalId.isPresent());
    }
    spec.vendorEventBus().ifPresent(bus -> run.keyEvents().verify(checks,
        keyArn.map(a -> PolicyDocuments.keyEventPattern(a)).orElse(null),
        docs.get(PolicyDocuments.KEY_EVENTS_TRUST_POLICY), docs.get(PolicyDocuments.KEY_EVENTS_POLICY), bus));
    return new VerifyReport(checks);
  }

  ChangeReport revoke(Revocation r) {
    Run run = new Run("revoke");
    return guarded(run, () -> revokeRun(run, r));
  }

  private ChangeReport revokeRun(Run run, Revocation r) {
    String keyId = run.requireKey();
    ObjectNode statement = switch (r.mode()) {
      case DENY_VENDOR -> PolicyDocuments.denyVendorStatement(spec);
      case DENY_SCOPE -> PolicyDocuments.denyScopeStatement(spec, r.scopeKey().orElseThrow(), r.scopeValue().orElseThrow());
      case DISABLE, SCHEDULE_DELETION -> null;
    };
    run.keys.revoke(run.names.keyAlias(), keyId, r, statement);
    return run.report(null, null);
  }

  ChangeReport restore(@Nullable Revocation r) {
    Run run = new Run("restore");
    return guarded(run, () -> {
      run.keys.restore(run.names.keyAlias(), run.requireKey(), r);
      return run.report(null, null);
    });
  }

  ChangeReport destroy(int keyDeletionDays) {
    Run run = new Run("destroy");
    return guarded(run, () -> destroyRun(run, keyDeletionDays));
  }

  private ChangeReport destroyRun(Run run, int keyDeletionDays) {
    if (spec.vendorEventBus().isPresent()) {
      run.keyEvents().destroy();
    }
    CloudTrailLogging trail = run.trail();
    trail.destroy();
    run.logAccess().destroy();
    run.keys.destroy("key", run.names.keyAlias(), keyDeletionDays);
    trail.destroyLogKey(keyDeletionDays);
    run.calls.note("keys are deleted after the " + keyDeletionDays + "-day waiting period; until then kms:CancelKeyDeletion can bring them back");
    return run.report(null, null);
  }
}
