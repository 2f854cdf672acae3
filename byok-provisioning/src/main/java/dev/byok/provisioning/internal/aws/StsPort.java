package dev.byok.provisioning.internal.aws;

/** The AWS STS call provisioning makes. Failures throw {@link AwsCallException}. */
@FunctionalInterface
public interface StsPort {
  /** The account the credentials belong to (GetCallerIdentity). */
  String callerAccount();
}
