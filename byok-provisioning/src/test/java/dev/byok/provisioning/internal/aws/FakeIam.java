package dev.byok.provisioning.internal.aws;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * IAM in memory: managed policies with up to five versions, roles with a trust policy and attached
 * policies. Documents come back URL-encoded, as IAM returns them.
 */
public final class FakeIam extends FakeService implements IamPort {
  /** One managed policy, open to tests. */
  public static final class Policy {
    public final String name;
    public final List<Version> versions = new ArrayList<>();
    int nextVersion;

    Policy(String name) {
      this.name = name;
    }

    /** The default version. */
    public Version defaultVersion() {
      return versions.stream().filter(v -> v.isDefault).findFirst().orElseThrow();
    }
  }

  /** One policy version. */
  public static final class Version {
    public final String id;
    public final String document;
    public boolean isDefault;
    public final Instant created;

    Version(String id, String document, Instant created) {
      this.id = id;
      this.document = document;
      this.created = created;
    }
  }

  /** One role, open to tests. */
  public static final class Role {
    public final String arn;
    public String trust;
    public final List<String> attached = new ArrayList<>();
    public final Map<String, String> inline = new TreeMap<>();
    public final Map<String, String> tags;

    Role(String arn, String trust, Map<String, String> tags) {
      this.arn = arn;
      this.trust = trust;
      this.tags = new LinkedHashMap<>(tags);
    }
  }

  private static final int MAX_VERSIONS = 5;
  private final String account;
  public final Map<String, Policy> policies = new TreeMap<>();
  public final Map<String, Role> roles = new TreeMap<>();
  private long clock;

  FakeIam(String account, Shared shared) {
    super("iam", shared);
    this.account = account;
  }

  private static String encoded(String document) {
    return URLEncoder.encode(document, StandardCharsets.UTF_8);
  }

  private Policy policy(String arn) {
    Policy p = policies.get(arn);
    if (p == null) {
      throw error("NoSuchEntity", "Policy " + arn + " does not exist or is not attachable.");
    }
    return p;
  }

  private Role role(String name) {
    Role r = roles.get(name);
    if (r == null) {
      throw error("NoSuchEntity", "The role with name " + name + " cannot be found.");
    }
    return r;
  }

  private Version addVersion(Policy p, String document) {
    if (p.versions.size() >= MAX_VERSIONS) {
      throw error("LimitExceeded", "A managed policy can have up to 5 versions.");
    }
    p.versions.forEach(v -> v.isDefault = false);
    Version v = new Version("v" + (++p.nextVersion), document, Instant.EPOCH.plusSeconds(++clock));
    v.isDefault = true;
    p.versions.add(v);
    return v;
  }

  /** Adds a role as another team would have made it. */
  public Role addRole(String name, String trust) {
    Role r = new Role("arn:aws:iam::" + account + ":role/" + name, trust, Map.of());
    roles.put(name, r);
    return r;
  }

  @Override
  public Optional<String> getPolicyDefaultVersion(String policyArn) {
    call("GetPolicy");
    return Optional.ofNullable(policies.get(policyArn)).map(p -> p.defaultVersion().id);
  }

  @Override
  public Optional<String> getPolicyVersionDocument(String policyArn, String versionId) {
    call("GetPolicyVersion");
    return Optional.ofNullable(policies.get(policyArn))
        .flatMap(p -> p.versions.stream().filter(v -> v.id.equals(versionId)).findFirst()).map(v -> encoded(v.document));
  }

  @Override
  public String createPolicy(String name, String document, String description, Map<String, String> tags) {
    call("CreatePolicy");
    String arn = "arn:aws:iam::" + account + ":policy/" + name;
    if (policies.containsKey(arn)) {
      throw error("EntityAlreadyExists", "A policy called " + name + " already exists.");
    }
    Policy p = new Policy(name);
    addVersion(p, document);
    policies.put(arn, p);
    return arn;
  }

  @Override
  public List<PolicyVersion> listPolicyVersions(String policyArn) {
    call("ListPolicyVersions");
    List<PolicyVersion> out = new ArrayList<>();
    policy(policyArn).versions.forEach(v -> out.add(new PolicyVersion(v.id, v.isDefault, v.created)));
    return out;
  }

  @Override
  public void createPolicyVersion(String policyArn, String document, boolean setAsDefault) {
    call("CreatePolicyVersion");
    Policy p = policy(policyArn);
    Version before = p.defaultVersion();
    addVersion(p, document);
    if (!setAsDefault) {
      p.versions.forEach(v -> v.isDefault = v == before);
    }
  }

  @Override
  public void deletePolicyVersion(String policyArn, String versionId) {
    call("DeletePolicyVersion");
    Policy p = policy(policyArn);
    Version v = p.versions.stream().filter(x -> x.id.equals(versionId)).findFirst()
        .orElseThrow(() -> error("NoSuchEntity", "Policy version " + versionId + " does not exist."));
    if (v.isDefault) {
      throw error("DeleteConflict", "Cannot delete the default version of a policy.");
    }
    p.versions.remove(v);
  }

  @Override
  public void deletePolicy(String policyArn) {
    call("DeletePolicy");
    Policy p = policy(policyArn);
    if (roles.values().stream().anyMatch(r -> r.attached.contains(policyArn))) {
      throw error("DeleteConflict", "Cannot delete a policy attached to entities.");
    }
    if (p.versions.size() > 1) {
      throw error("DeleteConflict", "Cannot delete a policy with versions other than the default.");
    }
    policies.remove(policyArn);
  }

  @Override
  public Optional<RoleInfo> getRole(String name) {
    call("GetRole");
    return Optional.ofNullable(roles.get(name)).map(r -> new RoleInfo(name, r.arn, encoded(r.trust)));
  }

  @Override
  public String createRole(String name, String trustPolicy, String description, Map<String, String> tags) {
    call("CreateRole");
    if (roles.containsKey(name)) {
      throw error("EntityAlreadyExists", "Role with name " + name + " already exists.");
    }
    Role r = new Role("arn:aws:iam::" + account + ":role/" + name, trustPolicy, tags);
    roles.put(name, r);
    return r.arn;
  }

  @Override
  public void updateAssumeRolePolicy(String role, String trustPolicy) {
    call("UpdateAssumeRolePolicy");
    role(role).trust = trustPolicy;
  }

  @Override
  public List<String> listAttachedRolePolicies(String role) {
    call("ListAttachedRolePolicies");
    return List.copyOf(role(role).attached);
  }

  @Override
  public void attachRolePolicy(String role, String policyArn) {
    call("AttachRolePolicy");
    policy(policyArn);
    Role r = role(role);
    if (!r.attached.contains(policyArn)) {
      r.attached.add(policyArn);
    }
  }

  @Override
  public void detachRolePolicy(String role, String policyArn) {
    call("DetachRolePolicy");
    if (!role(role).attached.remove(policyArn)) {
      throw error("NoSuchEntity", "Policy " + policyArn + " was not found.");
    }
  }

  @Override
  public void deleteRole(String name) {
    call("DeleteRole");
    if (!role(name).attached.isEmpty() || !role(name).inline.isEmpty()) {
      throw error("DeleteConflict", "Cannot delete entity, must delete policies first.");
    }
    roles.remove(name);
  }

  @Override
  public List<String> listRolePolicies(String role) {
    call("ListRolePolicies");
    return List.copyOf(role(role).inline.keySet());
  }

  @Override
  public Optional<String> getRolePolicy(String role, String policyName) {
    call("GetRolePolicy");
    return Optional.ofNullable(role(role).inline.get(policyName)).map(FakeIam::encoded);
  }

  @Override
  public void putRolePolicy(String role, String policyName, String document) {
    call("PutRolePolicy");
    role(role).inline.put(policyName, document);
  }

  @Override
  public void deleteRolePolicy(String role, String policyName) {
    call("DeleteRolePolicy");
    if (role(role).inline.remove(policyName) == null) {
      throw error("NoSuchEntity", "The role policy with name " + policyName + " cannot be found.");
    }
  }
}
