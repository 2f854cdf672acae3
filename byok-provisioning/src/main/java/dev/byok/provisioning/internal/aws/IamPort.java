package dev.byok.provisioning.internal.aws;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The AWS IAM calls provisioning makes. Documents are JSON text as IAM returns them (possibly
 * URL-encoded). Failures throw {@link AwsCallException}.
 */
public interface IamPort {
  /** One version of a managed policy. */
  record PolicyVersion(String versionId, boolean defaultVersion, Instant createDate) {}

  /** A role and its trust policy. */
  record RoleInfo(String name, String arn, String assumeRolePolicyDocument) {}

  /** The default version ID of a managed policy; empty when there is no such policy. */
  Optional<String> getPolicyDefaultVersion(String policyArn);

  /** One version's document; empty when there is no such policy or version. */
  Optional<String> getPolicyVersionDocument(String policyArn, String versionId);

  /** Creates a managed policy; returns its ARN. */
  String createPolicy(String name, String document, String description, Map<String, String> tags);

  List<PolicyVersion> listPolicyVersions(String policyArn);

  void createPolicyVersion(String policyArn, String document, boolean setAsDefault);

  void deletePolicyVersion(String policyArn, String versionId);

  void deletePolicy(String policyArn);

  /** Empty when there is no such role. */
  Optional<RoleInfo> getRole(String name);

  /** Creates a role; returns its ARN. */
  String createRole(String name, String trustPolicy, String description, Map<String, String> tags);

  void updateAssumeRolePolicy(String role, String trustPolicy);

  /** The ARNs of the managed policies attached to the role. */
  List<String> listAttachedRolePolicies(String role);

  void attachRolePolicy(String role, String policyArn);

  void detachRolePolicy(String role, String policyArn);

  void deleteRole(String name);

  /** The names of the role's inline policies. */
  List<String> listRolePolicies(String role);

  /** One inline policy's document (possibly URL-encoded); empty when the role has no such policy. */
  Optional<String> getRolePolicy(String role, String policyName);

  /** Adds or replaces an inline policy of the role. */
  void putRolePolicy(String role, String policyName, String document);

  void deleteRolePolicy(String role, String policyName);
}
