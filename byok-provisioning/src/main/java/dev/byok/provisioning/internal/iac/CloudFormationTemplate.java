package dev.byok.provisioning.internal.iac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.byok.provisioning.PolicyDocuments;
import dev.byok.provisioning.ProvisioningSpec;
import dev.byok.provisioning.ResourceNames;
import dev.byok.provisioning.internal.Json;
import dev.byok.provisioning.internal.KeyEventForwarding;
import dev.byok.provisioning.internal.aws.EventsPort;
import java.util.List;
import java.util.Map;

/**
 * The set-up as one CloudFormation template (JSON): the customer key and its alias, the log key and
 * its alias, the trail bucket with its public access block and policy, the trail, when the
 * vendor logs through a role the log group, the role and the managed policy attached to it, and
 * with a vendor key-event bus the rule on the default bus that forwards this key's KMS events to
 * that bus ({@code KeyEventRule}, its one target the bus) and the role EventBridge assumes for it
 * ({@code KeyEventRole}, with its inline policy).
 *
 * <p>The account ID, partition and region are {@code AWS::AccountId}, {@code AWS::Partition} and
 * {@code AWS::Region}; each vendor account is a parameter {@code VendorAccountN} (default: the
 * spec's), the external ID the {@code NoEcho} parameter {@code ExternalId} without a default.
 * Outputs {@code YourCmkArn}, {@code YourRoleArn} and {@code YourLogGroupName} carry the guide's
 * YOUR_CMK_ARN, YOUR_ROLE_ARN and YOUR_LOG_GROUP_NAME (output names allow letters and digits only).
 * Order: the trail waits for the bucket policy ({@code DependsOn}) and the log key (its ARN); the
 * managed policy is attached through {@code Roles}, so the role exists first; aliases follow keys;
 * the key-event rule names the key ({@code Ref}, {@code Fn::GetAtt}) and its role's ARN, so both
 * exist first (the role's trust names the rule's ARN as text, which needs no order).
 */
public final class CloudFormationTemplate {
  /** The template's file name. */
  public static final String FILE = "template.json";
  /** The parameter of the external ID. */
  public static final String EXTERNAL_ID_PARAMETER = "ExternalId";
  /** Prefix of the vendor account parameters, numbered from 1. */
  public static final String VENDOR_ACCOUNT_PARAMETER = "VendorAccount";

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final Setup s;

  private CloudFormationTemplate(Setup s) {
    this.s = s;
  }

  /** The template for {@code setup}, as indented JSON. */
  public static String render(Setup setup) {
    return Json.pretty(new CloudFormationTemplate(setup).template()) + "\n";
  }

  private ObjectNode template() {
    ProvisioningSpec spec = s.spec();
    ResourceNames n = s.names();
    ObjectNode t = F.objectNode();
    t.put("AWSTemplateFormatVersion", "2010-09-09");
    t.put("Description", "BYOK set-up of " + spec.company() + " for " + spec.vendor().displayName() + " (" + spec.app() + ", "
        + spec.env() + "): customer key and key policy, CloudTrail with its bucket and log key"
        + (s.logsViaRole() ? ", the log group, IAM policy and role the vendor writes key-use logs through" : "")
        + ". Exported by 'byok provision export' from the same spec as 'byok provision plan'.");
    ObjectNode params = t.putObject("Parameters");
    List<String> vendors = s.vendorAccounts();
    for (int i = 0; i < vendors.size(); i++) {
      ObjectNode p = params.putObject(VENDOR_ACCOUNT_PARAMETER + (i + 1));
      p.put("Type", "String");
      p.put("Description", "AWS account ID " + (i + 1) + " of " + vendors.size() + " of " + spec.vendor().displayName()
          + " (from the vendor's technical contact)");
      p.put("AllowedPattern", "^[0-9]{12}$");
      p.put("ConstraintDescription", "a 12-digit AWS account ID");
      p.put("Default", vendors.get(i));
    }
    if (s.logsViaRole()) {
      ObjectNode p = params.putObject(EXTERNAL_ID_PARAMETER);
      p.put("Type", "String");
      p.put("NoEcho", true);
      p.put("Description", "External ID the vendor gives when it assumes the log role (agree it with the vendor; for example"
          + " 32 random bytes as hex)");
      p.put("MinLength", 2);
      p.put("MaxLength", 1224);
      p.put("AllowedPattern", "^[A-Za-z0-9+=,.@:/-]+$");
      p.put("ConstraintDescription", "2-1224 of A-Z a-z 0-9 + = , . @ : / -");
    }

    ObjectNode r = t.putObject("Resources");
    r.set("Key", key(s.document(PolicyDocuments.KEY_POLICY), spec.keyDescription(), spec.multiRegionKey(), spec.keyRotation(),
        s.keyTags()));
    r.set("KeyAlias", alias(n.keyAlias(), "Key"));
    r.set("LogKey", key(s.document(PolicyDocuments.LOG_KEY_POLICY), s.logKeyDescription(), false, true, s.logKeyTags()));
    r.set("LogKeyAlias", alias(n.logKeyAlias(), "LogKey"));

    ObjectNode bucket = resource("AWS::S3::Bucket");
    ObjectNode bp = bucket.with("Properties");
    bp.set("BucketName", value(n.bucketName()));
    ObjectNode pab = bp.putObject("PublicAccessBlockConfiguration");
    pab.put("BlockPublicAcls", true).put("BlockPublicPolicy", true).put("IgnorePublicAcls", true).put("RestrictPublicBuckets", true);
    r.set("TrailBucket", bucket);

    ObjectNode bucketPolicy = resource("AWS::S3::BucketPolicy");
    bucketPolicy.with("Properties").set("Bucket", ref("TrailBucket"));
    bucketPolicy.with("Properties").set("PolicyDocument", policy(s.document(PolicyDocuments.BUCKET_POLICY)));
    r.set("TrailBucketPolicy", bucketPolicy);

    ObjectNode trail = resource("AWS::CloudTrail::Trail");
    trail.putArray("DependsOn").add("TrailBucketPolicy");
    ObjectNode tp = trail.with("Properties");
    tp.put("TrailName", n.trailName());
    tp.set("S3BucketName", ref("TrailBucket"));
    tp.set("KMSKeyId", getAtt("LogKey", "Arn"));
    tp.put("IsLogging", true);
    tp.put("IsMultiRegionTrail", spec.multiRegionTrail());
    tp.put("IncludeGlobalServiceEvents", true);
    tp.put("EnableLogFileValidation", true);
    tp.putArray("EventSelectors").addObject().put("ReadWriteType", "All").put("IncludeManagementEvents", true);
    if (spec.insights()) {
      ArrayNode ins = tp.putArray("InsightSelectors");
      ins.addObject().put("InsightType", "ApiCallRateInsight");
      ins.addObject().put("InsightType", "ApiErrorRateInsight");
    }
    tags(tp, spec.tags());
    r.set("Trail", trail);

    ObjectNode outputs = F.objectNode();
    output(outputs, "YourCmkArn", "YOUR_CMK_ARN: the customer key's ARN, for the vendor", getAtt("Key", "Arn"));
    if (s.logsViaRole()) {
      ObjectNode group = resource("AWS::Logs::LogGroup");
      ObjectNode gp = group.with("Properties");
      gp.put("LogGroupName", n.logGroupName());
      spec.logRetentionDays().ifPresent(d -> gp.put("RetentionInDays", d));
      spec.logGroupKmsKey().ifPresent(k -> gp.put("KmsKeyId", k));
      tags(gp, spec.tags());
      r.set("VendorLogGroup", group);

      ObjectNode role = resource("AWS::IAM::Role");
      ObjectNode rp = role.with("Properties");
      rp.put("RoleName", n.roleName());
      rp.put("Description", s.roleDescription());
      rp.set("AssumeRolePolicyDocument", policy(s.document(PolicyDocuments.TRUST_POLICY)));
      tags(rp, spec.tags());
      r.set("VendorLogRole", role);

      ObjectNode managed = resource("AWS::IAM::ManagedPolicy");
      ObjectNode mp = managed.with("Properties");
      mp.put("ManagedPolicyName", n.logPolicyName());
      mp.put("Description", s.logPolicyDescription());
      mp.set("PolicyDocument", policy(s.document(PolicyDocuments.LOG_POLICY)));
      mp.putArray("Roles").add(ref("VendorLogRole"));
      r.set("VendorLogPolicy", managed);

      output(outputs, "YourRoleArn", "YOUR_ROLE_ARN: the role the vendor assumes (with the external ID) to write key-use logs",
          getAtt("VendorLogRole", "Arn"));
      output(outputs, "YourLogGroupName", "YOUR_LOG_GROUP_NAME: the log group the vendor writes key-use logs to",
          ref("VendorLogGroup"));
    }
    s.vendorEventBus().ifPresent(bus -> keyEvents(r, bus));
    t.set("Outputs", outputs);
    return t;
  }

  private void keyEvents(ObjectNode r, String bus) {
    ResourceNames n = s.names();
    ObjectNode role = resource("AWS::IAM::Role");
    ObjectNode rp = role.with("Properties");
    rp.put("RoleName", n.keyEventRoleName());
    rp.put("Description", s.keyEventRoleDescription());
    rp.set("AssumeRolePolicyDocument", policy(s.document(PolicyDocuments.KEY_EVENTS_TRUST_POLICY)));
    ObjectNode inline = rp.putArray("Policies").addObject();
    inline.put("PolicyName", n.keyEventPolicyName());
    inline.set("PolicyDocument", policy(s.document(PolicyDocuments.KEY_EVENTS_POLICY)));
    tags(rp, s.spec().tags());
    r.set("KeyEventRole", role);

    // AWS::Events::Rule takes no Tags; apply tags the rule, the export cannot
    ObjectNode rule = resource("AWS::Events::Rule");
    ObjectNode p = rule.with("Properties");
    p.put("Name", n.keyEventRuleName());
    p.put("Description", s.keyEventRuleDescription());
    p.put("EventBusName", EventsPort.DEFAULT_BUS);
    p.set("EventPattern", policy(s.document(PolicyDocuments.KEY_EVENT_PATTERN)));
    p.put("State", "ENABLED");
    ObjectNode target = p.putArray("Targets").addObject();
    target.put("Id", KeyEventForwarding.TARGET_ID);
    target.set("Arn", value(bus));
    target.set("RoleArn", getAtt("KeyEventRole", "Arn"));
    r.set("KeyEventRule", rule);
  }

  private ObjectNode key(ObjectNode policy, String description, boolean multiRegion, boolean rotation, Map<String, String> tags) {
    ObjectNode k = resource("AWS::KMS::Key");
    ObjectNode p = k.with("Properties");
    p.set("Description", value(description));
    p.put("KeySpec", "SYMMETRIC_DEFAULT");
    p.put("KeyUsage", "ENCRYPT_DECRYPT");
    p.put("MultiRegion", multiRegion);
    p.put("EnableKeyRotation", rotation);
    p.set("KeyPolicy", policy(policy));
    tags(p, tags);
    return k;
  }

  private static ObjectNode alias(String name, String key) {
    ObjectNode a = resource("AWS::KMS::Alias");
    a.with("Properties").put("AliasName", name);
    a.with("Properties").set("TargetKeyId", ref(key));
    return a;
  }

  private JsonNode policy(ObjectNode document) {
    return s.map(document, this::value, a -> null);
  }

  private JsonNode value(String text) {
    return value(s.parts(text));
  }

  /** Literal text as a string; with references {@code {"Ref": P}} for a lone parameter, else {@code Fn::Sub}. */
  private JsonNode value(List<Part> parts) {
    if (Setup.literal(parts)) {
      return TextNode.valueOf(Setup.text(parts));
    }
    if (parts.size() == 1 && parts.get(0) instanceof Part.Ref ref) {
      switch (ref.kind()) {
        case EXTERNAL_ID, VENDOR_ACCOUNT, KEY_ID -> {
          return ref(name(ref));
        }
        case KEY_ARN -> {
          return getAtt("Key", "Arn");
        }
        default -> { }
      }
    }
    StringBuilder b = new StringBuilder();
    for (Part p : parts) {
      if (p instanceof Part.Lit l) {
        b.append(l.text().replace("${", "${!"));
      } else {
        b.append("${").append(name((Part.Ref) p)).append('}');
      }
    }
    ObjectNode sub = F.objectNode();
    sub.put("Fn::Sub", b.toString());
    return sub;
  }

  private static String name(Part.Ref ref) {
    return switch (ref.kind()) {
      case ACCOUNT -> "AWS::AccountId";
      case PARTITION -> "AWS::Partition";
      case REGION -> "AWS::Region";
      case EXTERNAL_ID -> EXTERNAL_ID_PARAMETER;
      case VENDOR_ACCOUNT -> VENDOR_ACCOUNT_PARAMETER + (ref.index() + 1);
      case KEY_ID -> "Key";
      case KEY_ARN -> "Key.Arn";
    };
  }

  private static ObjectNode resource(String type) {
    ObjectNode r = F.objectNode();
    r.put("Type", type);
    r.putObject("Properties");
    return r;
  }

  private static ObjectNode ref(String name) {
    ObjectNode o = F.objectNode();
    o.put("Ref", name);
    return o;
  }

  private static ObjectNode getAtt(String resource, String attribute) {
    ObjectNode o = F.objectNode();
    o.putArray("Fn::GetAtt").add(resource).add(attribute);
    return o;
  }

  private static void tags(ObjectNode properties, Map<String, String> tags) {
    if (tags.isEmpty()) {
      return;
    }
    ArrayNode a = properties.putArray("Tags");
    tags.forEach((k, v) -> a.addObject().put("Key", k).put("Value", v));
  }

  private static void output(ObjectNode outputs, String name, String description, JsonNode value) {
    ObjectNode o = outputs.putObject(name);
    o.put("Description", description);
    o.set("Value", value);
  }
}
