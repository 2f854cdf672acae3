package dev.byok.provisioning.internal.aws;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;

/** {@link IamPort} on the SDK's {@link IamClient}. Thread-safe like the client. */
final class SdkIam implements IamPort {
  private final IamClient iam;

  SdkIam(IamClient iam) {
    this.iam = iam;
  }

  private static List<Tag> tags(Map<String, String> tags) {
    List<Tag> out = new ArrayList<>();
    tags.forEach((k, v) -> out.add(Tag.builder().key(k).value(v).build()));
    return out;
  }

  @Override
  public Optional<String> getPolicyDefaultVersion(String policyArn) {
    return Sdk.call(() -> {
      try {
        return Optional.of(iam.getPolicy(r -> r.policyArn(policyArn)).policy().defaultVersionId());
      } catch (NoSuchEntityException e) {
        return Optional.empty();
      }
    });
  }

  @Override
  public Optional<String> getPolicyVersionDocument(String policyArn, String versionId) {
    return Sdk.call(() -> {
      try {
        return Optional.of(iam.getPolicyVersion(r -> r.policyArn(policyArn).versionId(versionId)).policyVersion().document());
      } catch (NoSuchEntityException e) {
        return Optional.empty();
      }
    });
  }

  @Override
  public String createPolicy(String name, String document, String description, Map<String, String> tags) {
    List<Tag> t = tags(tags);
    return Sdk.call(() -> iam.createPolicy(r -> r.policyName(name).policyDocument(document).description(description)
        .tags(t.isEmpty() ? null : t)).policy().arn());
  }

  @Override
  public List<PolicyVersion> listPolicyVersions(String policyArn) {
    return Sdk.call(() -> {
      List<PolicyVersion> out = new ArrayList<>();
      iam.listPolicyVersions(r -> r.policyArn(policyArn)).versions().forEach(v -> out.add(new PolicyVersion(v.versionId(),
          Boolean.TRUE.equals(v.isDefaultVersion()), v.createDate() == null ? Instant.EPOCH : v.createDate())));
      return out;
    });
  }

  @Override
  public void createPolicyVersion(String policyArn, String document, boolean setAsDefault) {
    Sdk.run(() -> iam.createPolicyVersion(r -> r.policyArn(policyArn).policyDocument(document).setAsDefault(setAsDefault)));
  }

  @Override
  public void deletePolicyVersion(String policyArn, String versionId) {
    Sdk.run(() -> iam.deletePolicyVersion(r -> r.policyArn(policyArn).versionId(versionId)));
  }

  @Override
  public void deletePolicy(String policyArn) {
    Sdk.run(() -> iam.deletePolicy(r -> r.policyArn(policyArn)));
  }

  @Override
  public Optional<RoleInfo> getRole(String name) {
    return Sdk.call(() -> {
      try {
        Role r = iam.getRole(q -> q.roleName(name)).role();
        return Optional.of(new RoleInfo(r.roleName(), r.arn(), r.assumeRolePolicyDocument()));
      } catch (NoSuchEntityException e) {
        return Optional.empty();
      }
    });
  }

  @Override
  public String createRole(String name, String trustPolicy, String description, Map<String, String> tags) {
    List<Tag> t = tags(tags);
    return Sdk.call(() -> iam.createRole(r -> r.roleName(name).assumeRolePolicyDocument(trustPolicy).description(description)
        .tags(t.isEmpty() ? null : t)).role().arn());
  }

  @Override
  public void updateAssumeRolePolicy(String role, String trustPolicy) {
    Sdk.run(() -> iam.updateAssumeRolePolicy(r -> r.roleName(role).policyDocument(trustPolicy)));
  }

  @Override
  public List<String> listAttachedRolePolicies(String role) {
    return Sdk.call(() -> {
      List<String> out = new ArrayList<>();
      iam.listAttachedRolePolicies(r -> r.roleName(role)).attachedPolicies().forEach(p -> out.add(p.policyArn()));
      return out;
    });
  }

  @Override
  public void attachRolePolicy(String role, String policyArn) {
    Sdk.run(() -> iam.attachRolePolicy(r -> r.roleName(role).policyArn(policyArn)));
  }

  @Override
  public void detachRolePolicy(String role, String policyArn) {
    Sdk.run(() -> iam.detachRolePolicy(r -> r.roleName(role).policyArn(policyArn)));
  }

  @Override
  public void deleteRole(String name) {
    Sdk.run(() -> iam.deleteRole(r -> r.roleName(name)));
  }

  @Override
  public List<String> listRolePolicies(String role) {
    return Sdk.call(() -> List.copyOf(iam.listRolePolicies(r -> r.roleName(role)).policyNames()));
  }

  @Override
  public Optional<String> getRolePolicy(String role, String policyName) {
    return Sdk.call(() -> {
      try {
        return Optional.of(iam.getRolePolicy(r -> r.roleName(role).policyName(policyName)).policyDocument());
      } catch (NoSuchEntityException e) {
        return Optional.empty();
      }
    });
  }

  @Override
  public void putRolePolicy(String role, String policyName, String document) {
    Sdk.run(() -> iam.putRolePolicy(r -> r.roleName(role).policyName(policyName).policyDocument(document)));
  }

  @Override
  public void deleteRolePolicy(String role, String policyName) {
    Sdk.run(() -> iam.deleteRolePolicy(r -> r.roleName(role).policyName(policyName)));
  }
}
