package dev.byok.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.core.AwsAccountId;
import dev.byok.provisioning.internal.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Every policy document of the set-up, rendered from a spec and its names:
 *
 * <ul>
 *   <li>{@link #KEY_POLICY}: the customer key's policy: administration by the account root (and
 *       optional administrators, with or without deletion), the vendor's use with exactly the
 *       profile's actions (optionally only under {@code kms:EncryptionContext:} conditions);</li>
 *   <li>{@link #LOG_KEY_POLICY}: the CloudTrail log key's policy, as CloudTrail needs it;</li>
 *   <li>{@link #BUCKET_POLICY}: the trail bucket's policy: {@code s3:GetBucketAcl} and
 *       {@code s3:PutObject} with {@code bucket-owner-full-control}, both only for this trail
 *       ({@code aws:SourceArn}), and no plain-HTTP access;</li>
 *   <li>{@link #LOG_POLICY}: the guide's IAM policy for the log group, as the guide gives it, with
 *       the account (or {@code <ACCOUNT_ID>} in an offline plan) in the log group's ARN;</li>
 *   <li>{@link #TRUST_POLICY}: the log role's trust policy: the vendor's accounts with an
 *       {@code sts:ExternalId} condition.</li>
 * </ul>
 *
 * <p>With a vendor key-event bus ({@link ProvisioningSpec#vendorEventBus()}), three more:
 *
 * <ul>
 *   <li>{@link #KEY_EVENT_PATTERN}: the event pattern of the rule on the customer's default bus:
 *       the CloudTrail records of {@link #KEY_EVENT_NAMES} calls on this key only (its ID or ARN in
 *       {@code requestParameters.keyId}, the forms those calls accept); until the key exists it
 *       names {@link #KEY_ID_PLACEHOLDER};</li>
 *   <li>{@link #KEY_EVENTS_TRUST_POLICY}: the trust policy of the role EventBridge assumes to put
 *       the events on the vendor's bus: {@code events.amazonaws.com}, only for this rule
 *       ({@code aws:SourceArn}) in this account ({@code aws:SourceAccount});</li>
 *   <li>{@link #KEY_EVENTS_POLICY}: that role's inline policy: {@code events:PutEvents} on the
 *       vendor's bus only.</li>
 * </ul>
 *
 * <p>Also renders the statements {@code revoke} adds to the key policy (their Sids start with
 * {@link #REVOKE_SID_PREFIX}). Documents are read as JSON text ({@link #json}, {@link #prettyJson}).
 * Made by {@link Provisioner#plan(ProvisioningSpec)}; see {@link Plan#documents()}.
 *
 * <p>Immutable and thread-safe.
 */
public final class PolicyDocuments {
  /** The customer key's policy. */
  public static final String KEY_POLICY = "keyPolicy";
  /** The CloudTrail log key's policy. */
  public static final String LOG_KEY_POLICY = "logKeyPolicy";
  /** The trail bucket's policy. */
  public static final String BUCKET_POLICY = "bucketPolicy";
  /** The IAM policy that lets the vendor write to the log group. */
  public static final String LOG_POLICY = "logPolicy";
  /** The log role's trust policy. */
  public static final String TRUST_POLICY = "trustPolicy";
  /** The event pattern of the rule that forwards the key's events to the vendor's bus. */
  public static final String KEY_EVENT_PATTERN = "keyEventPattern";
  /** The trust policy of the role the key-event rule uses. */
  public static final String KEY_EVENTS_TRUST_POLICY = "keyEventsTrustPolicy";
  /** The inline policy of the role the key-event rule uses. */
  public static final String KEY_EVENTS_POLICY = "keyEventsPolicy";
  /** Stands for the customer key's ID in the key-event pattern until the key exists. */
  public static final String KEY_ID_PLACEHOLDER = "<KEY_ID>";
  /**
   * The KMS calls whose CloudTrail records the customer's rule forwards: those that cut the
   * vendor's access (DisableKey, ScheduleKeyDeletion, PutKeyPolicy, RevokeGrant) and those that
   * may bring it back (EnableKey, CancelKeyDeletion, CreateGrant).
   */
  public static final List<String> KEY_EVENT_NAMES = List.of("DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy", "RevokeGrant",
      "EnableKey", "CancelKeyDeletion", "CreateGrant");
  /** Stands for the external ID until apply knows it (reused from the role or generated). */
  public static final String EXTERNAL_ID_PLACEHOLDER = "<EXTERNAL_ID>";
  /** Sid prefix of every statement {@code revoke} adds. */
  public static final String REVOKE_SID_PREFIX = "ByokRevoke";
  /** Sid of the statement that lets the account root administer a key. */
  public static final String SID_ROOT = "EnableRootAccountAdministration";
  /** Sid of the statement for the key administrators. */
  public static final String SID_ADMINS = "AllowKeyAdministration";
  /** Sid of the statement that lets the vendor use the key. */
  public static final String SID_VENDOR = "AllowVendorUseOfTheKey";
  /** Sid of the statement for the vendor's actions without an encryption context (when context conditions are set). */
  public static final String SID_VENDOR_METADATA = "AllowVendorKeyMetadata";
  /** Sid of the statement {@code revoke deny-vendor} adds. */
  public static final String SID_DENY_VENDOR = REVOKE_SID_PREFIX + "DenyVendor";
  /** Sid prefix of the statements {@code revoke deny-scope} adds. */
  public static final String SID_DENY_SCOPE_PREFIX = REVOKE_SID_PREFIX + "DenyScope";
  static final String VERSION = "2012-10-17";
  static final String CLOUDTRAIL = "cloudtrail.amazonaws.com";
  static final String EVENTS = "events.amazonaws.com";
  /** The detail type of CloudTrail-recorded API calls on EventBridge. */
  static final String CLOUDTRAIL_DETAIL_TYPE = "AWS API Call via CloudTrail";

  /** What the console grants key administrators, without deletion. */
  static final List<String> ADMIN_ACTIONS = List.of("kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*",
      "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource",
      "kms:RotateKeyOnDemand");
  static final List<String> DELETION_ACTIONS = List.of("kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion");
  /** The guide's four log actions. */
  static final List<String> LOG_ACTIONS = List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, ObjectNode> documents;

  private PolicyDocuments(Map<String, ObjectNode> documents) {
    this.documents = documents;
  }

  /**
   * Renders every document. {@code externalId} may be {@link #EXTERNAL_ID_PLACEHOLDER} (offline
   * plan); the account in {@code names} may be {@link ResourceNames#ACCOUNT_PLACEHOLDER}.
   */
  static PolicyDocuments render(ProvisioningSpec spec, ResourceNames names, String externalId) {
    return render(spec, names, externalId, null);
  }

  /**
   * Renders every document; {@code keyArn} is the customer key's ARN once it exists (null: the
   * key-event pattern names {@link #KEY_ID_PLACEHOLDER}).
   */
  static PolicyDocuments render(ProvisioningSpec spec, ResourceNames names, String externalId, @Nullable String keyArn) {
    Map<String, ObjectNode> d = new LinkedHashMap<>();
    d.put(KEY_POLICY, keyPolicy(spec, names));
    d.put(LOG_KEY_POLICY, logKeyPolicy(names));
    d.put(BUCKET_POLICY, bucketPolicy(names));
    if (spec.vendor().logsViaRole()) {
      d.put(LOG_POLICY, logPolicy(names));
      d.put(TRUST_POLICY, trustPolicy(spec, externalId));
    }
    spec.vendorEventBus().ifPresent(bus -> {
      d.put(KEY_EVENT_PATTERN, keyEventPattern(keyArn != null ? keyArn : names.keyArn(KEY_ID_PLACEHOLDER)));
      d.put(KEY_EVENTS_TRUST_POLICY, keyEventsTrustPolicy(names));
      d.put(KEY_EVENTS_POLICY, keyEventsPolicy(bus));
    });
    return new PolicyDocuments(Collections.unmodifiableMap(d));
  }

  /** The names of the rendered documents, in dependency order. */
  public List<String> names() {
    return List.copyOf(documents.keySet());
  }

  /** A copy of one document, as a tree. @throws IllegalArgumentException when there is no such document */
  ObjectNode get(String name) {
    ObjectNode n = documents.get(name);
    if (n == null) {
      throw new IllegalArgumentException("no policy document '" + name + "' (have " + documents.keySet() + ")");
    }
    return n.deepCopy();
  }

  /** Whether the set-up has the document {@code name} (the log policy and trust policy only when the vendor logs through a role). */
  public boolean has(String name) {
    return documents.containsKey(name);
  }

  /**
   * One document as compact JSON, the form sent to AWS.
   *
   * @throws IllegalArgumentException when there is no such document
   */
  public String json(String name) {
    return get(name).toString();
  }

  /**
   * One document as indented JSON, for people.
   *
   * @throws IllegalArgumentException when there is no such document
   */
  public String prettyJson(String name) {
    return Json.pretty(get(name));
  }

  // ---- customer key ----

  static ObjectNode keyPolicy(ProvisioningSpec spec, ResourceNames names) {
    ObjectNode doc = document("byok-key-policy");
    ArrayNode st = doc.withArray("Statement");
    st.add(statement(SID_ROOT, "Allow", awsPrincipals(List.of(names.rootArn())), List.of("kms:*"), null));
    if (!spec.keyAdministrators().isEmpty()) {
      List<String> actions = new ArrayList<>(ADMIN_ACTIONS);
      if (spec.administratorsMayDeleteKey()) {
        actions.addAll(DELETION_ACTIONS);
      }
      st.add(statement(SID_ADMINS, "Allow", awsPrincipals(spec.keyAdministrators()), actions, null));
    }
    List<String> vendor = vendorRoots(spec, names.partition());
    if (spec.encryptionContext().isEmpty()) {
      st.add(statement(SID_VENDOR, "Allow", awsPrincipals(vendor), spec.vendor().actions(), null));
    } else {
      ObjectNode cond = JSON.createObjectNode();
      ObjectNode eq = cond.putObject("StringEquals");
      spec.encryptionContext().forEach((k, v) -> eq.put("kms:EncryptionContext:" + k, v));
      st.add(statement(SID_VENDOR, "Allow", awsPrincipals(vendor), spec.vendor().contextActions(), cond));
      List<String> rest = new ArrayList<>(spec.vendor().actions());
      rest.removeAll(spec.vendor().contextActions());
      if (!rest.isEmpty()) {
        st.add(statement(SID_VENDOR_METADATA, "Allow", awsPrincipals(vendor), rest, null));
      }
    }
    return doc;
  }

  /** The statement {@code revoke deny-vendor} adds: an explicit Deny of the profile's actions for the vendor's accounts. */
  static ObjectNode denyVendorStatement(ProvisioningSpec spec) {
    return statement(SID_DENY_VENDOR, "Deny", awsPrincipals(vendorRoots(spec, spec.partition())), spec.vendor().actions(), null);
  }

  /**
   * The statement {@code revoke deny-scope KEY=VALUE} adds: a Deny of the vendor's cryptographic
   * actions when the request's encryption context has {@code KEY = VALUE}.
   */
  static ObjectNode denyScopeStatement(ProvisioningSpec spec, String key, String value) {
    ObjectNode cond = JSON.createObjectNode();
    cond.putObject("StringEquals").put("kms:EncryptionContext:" + key, value);
    List<String> actions = spec.vendor().contextActions();
    if (actions.isEmpty()) {
      throw new IllegalArgumentException("vendor profile '" + spec.vendor().name() + "' has no action that carries an encryption context; deny-scope cannot apply");
    }
    return statement(denyScopeSid(key, value), "Deny", awsPrincipals(vendorRoots(spec, spec.partition())), actions, cond);
  }

  /** The Sid of the deny-scope statement for {@code key=value}: stable, so restore finds it. */
  public static String denyScopeSid(String key, String value) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest((key + "=" + value).getBytes(StandardCharsets.UTF_8));
      return SID_DENY_SCOPE_PREFIX + HexFormat.of().formatHex(h, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- CloudTrail ----

  static ObjectNode logKeyPolicy(ResourceNames names) {
    ObjectNode doc = document("byok-cloudtrail-log-key-policy");
    ArrayNode st = doc.withArray("Statement");
    String account = names.account();
    String trailPattern = "arn:" + names.partition() + ":cloudtrail:*:" + account + ":trail/*";
    st.add(statement(SID_ROOT, "Allow", awsPrincipals(List.of(names.rootArn())), List.of("kms:*"), null));

    ObjectNode encrypt = JSON.createObjectNode();
    encrypt.putObject("StringEquals").put("aws:SourceArn", names.trailArn());
    encrypt.putObject("StringLike").put("kms:EncryptionContext:aws:cloudtrail:arn", trailPattern);
    st.add(statement("AllowCloudTrailToEncryptLogs", "Allow", servicePrincipal(CLOUDTRAIL), List.of("kms:GenerateDataKey*"), encrypt));

    ObjectNode describe = JSON.createObjectNode();
    describe.putObject("StringEquals").put("aws:SourceArn", names.trailArn());
    st.add(statement("AllowCloudTrailToDescribeKey", "Allow", servicePrincipal(CLOUDTRAIL), List.of("kms:DescribeKey"), describe));

    ObjectNode decrypt = JSON.createObjectNode();
    decrypt.putObject("StringEquals").put("kms:CallerAccount", account);
    decrypt.putObject("StringLike").put("kms:EncryptionContext:aws:cloudtrail:arn", trailPattern);
    ObjectNode anyone = JSON.createObjectNode();
    anyone.put("AWS", "*");
    st.add(statement("AllowPrincipalsInAccountToDecryptLogs", "Allow", anyone, List.of("kms:Decrypt", "kms:ReEncryptFrom"), decrypt));
    return doc;
  }

  static ObjectNode bucketPolicy(ResourceNames names) {
    ObjectNode doc = document(null);
    ArrayNode st = doc.withArray("Statement");
    ObjectNode acl = JSON.createObjectNode();
    acl.putObject("StringEquals").put("aws:SourceArn", names.trailArn());
    st.add(statement("AWSCloudTrailAclCheck", "Allow", servicePrincipal(CLOUDTRAIL), List.of("s3:GetBucketAcl"), acl)
        .put("Resource", names.bucketArn()));
    ObjectNode write = JSON.createObjectNode();
    write.putObject("StringEquals").put("s3:x-amz-acl", "bucket-owner-full-control").put("aws:SourceArn", names.trailArn());
    st.add(statement("AWSCloudTrailWrite", "Allow", servicePrincipal(CLOUDTRAIL), List.of("s3:PutObject"), write)
        .put("Resource", names.bucketArn() + "/AWSLogs/" + names.account() + "/*"));
    ObjectNode tls = JSON.createObjectNode();
    tls.putObject("Bool").put("aws:SecureTransport", "false");
    ObjectNode anyone = JSON.createObjectNode();
    anyone.put("AWS", "*");
    ObjectNode deny = statement("DenyInsecureTransport", "Deny", anyone, List.of("s3:*"), tls);
    ArrayNode res = JSON.createArrayNode().add(names.bucketArn()).add(names.bucketArn() + "/*");
    deny.set("Resource", res);
    st.add(deny);
    return doc;
  }

  // ---- CloudWatch Logs ----

  static ObjectNode logPolicy(ResourceNames names) {
    String account = names.account(); // <ACCOUNT_ID> in an offline plan until apply knows it
    String group = "arn:" + names.partition() + ":logs:*:" + account + ":log-group:" + names.logGroupName();
    ObjectNode doc = document(null);
    ObjectNode s = doc.withArray("Statement").addObject();
    s.put("Effect", "Allow");
    ArrayNode a = s.putArray("Action");
    LOG_ACTIONS.forEach(a::add);
    s.putArray("Resource").add(group).add(group + ":log-stream:*");
    return doc;
  }

  static ObjectNode trustPolicy(ProvisioningSpec spec, String externalId) {
    ObjectNode doc = document(null);
    ObjectNode cond = JSON.createObjectNode();
    cond.putObject("StringEquals").put("sts:ExternalId", externalId);
    ObjectNode s = statement("AllowVendorToAssumeLogRole", "Allow", awsPrincipals(vendorRoots(spec, spec.partition())),
        List.of("sts:AssumeRole"), cond);
    s.remove("Resource");
    doc.withArray("Statement").add(s);
    return doc;
  }

  // ---- key events ----

  /**
   * The key-event rule's pattern for the key {@code keyArn}, as compact JSON: the CloudTrail records
   * of {@link #KEY_EVENT_NAMES} calls on that key (by ID or ARN), what apply writes once the key exists.
   */
  public static String keyEventPatternJson(String keyArn) {
    if (keyArn == null || !keyArn.matches("arn:[a-z-]+:kms:[a-z0-9-]+:[^:]+:key/[^/]+")) {
      throw new IllegalArgumentException("key-event pattern: expected a KMS key ARN, got '" + keyArn + "'");
    }
    return keyEventPattern(keyArn).toString();
  }

  /** The pattern of CloudTrail records of {@link #KEY_EVENT_NAMES} calls on the key {@code keyArn} (by ID or ARN). */
  static ObjectNode keyEventPattern(String keyArn) {
    String keyId = keyArn.substring(keyArn.lastIndexOf('/') + 1);
    ObjectNode p = JSON.createObjectNode();
    p.putArray("source").add("aws.kms");
    p.putArray("detail-type").add(CLOUDTRAIL_DETAIL_TYPE);
    ObjectNode detail = p.putObject("detail");
    detail.putArray("eventSource").add("kms.amazonaws.com");
    ArrayNode calls = detail.putArray("eventName");
    KEY_EVENT_NAMES.forEach(calls::add);
    detail.putObject("requestParameters").putArray("keyId").add(keyId).add(keyArn);
    return p;
  }

  static ObjectNode keyEventsTrustPolicy(ResourceNames names) {
    ObjectNode doc = document(null);
    ObjectNode cond = JSON.createObjectNode();
    cond.putObject("StringEquals").put("aws:SourceArn", names.keyEventRuleArn()).put("aws:SourceAccount", names.account());
    ObjectNode s = statement("AllowEventBridgeForTheKeyEventRule", "Allow", servicePrincipal(EVENTS), List.of("sts:AssumeRole"), cond);
    s.remove("Resource");
    doc.withArray("Statement").add(s);
    return doc;
  }

  static ObjectNode keyEventsPolicy(String busArn) {
    ObjectNode doc = document(null);
    ObjectNode s = doc.withArray("Statement").addObject();
    s.put("Sid", "PutKeyEventsOnTheVendorBus");
    s.put("Effect", "Allow");
    s.put("Action", "events:PutEvents");
    s.put("Resource", busArn);
    return doc;
  }

  // ---- helpers ----

  static List<String> vendorRoots(ProvisioningSpec spec, String partition) {
    List<String> out = new ArrayList<>();
    for (AwsAccountId a : spec.vendorAccounts()) {
      out.add(a.rootArn(partition));
    }
    return out;
  }

  private static ObjectNode document(@Nullable String id) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("Version", VERSION);
    if (id != null) {
      doc.put("Id", id);
    }
    doc.putArray("Statement");
    return doc;
  }

  private static ObjectNode awsPrincipals(List<String> arns) {
    ObjectNode p = JSON.createObjectNode();
    ArrayNode a = p.putArray("AWS");
    arns.forEach(a::add);
    return p;
  }

  private static ObjectNode servicePrincipal(String service) {
    ObjectNode p = JSON.createObjectNode();
    p.put("Service", service);
    return p;
  }

  private static ObjectNode statement(String sid, String effect, ObjectNode principal, List<String> actions, @Nullable JsonNode condition) {
    ObjectNode s = JSON.createObjectNode();
    s.put("Sid", sid);
    s.put("Effect", effect);
    s.set("Principal", principal);
    if (actions.size() == 1) {
      s.put("Action", actions.get(0));
    } else {
      ArrayNode a = s.putArray("Action");
      actions.forEach(a::add);
    }
    s.put("Resource", "*");
    if (condition != null) {
      s.set("Condition", condition);
    }
    return s;
  }
}
