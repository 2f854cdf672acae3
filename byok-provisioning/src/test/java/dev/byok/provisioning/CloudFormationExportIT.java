package dev.byok.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.byok.core.AwsAccountId;
import dev.byok.core.HandoffBundle;
import dev.byok.core.TenantDirectory;
import dev.byok.testing.Emulators;
import dev.byok.testing.WithEmulators;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;

/**
 * The exported CloudFormation template created as a stack through CloudFormation on moto, then
 * {@code verify} and {@code bundle} on what the stack made.
 *
 * <p>moto's CloudFormation (5.2.5) implements {@code AWS::KMS::Key}, {@code AWS::KMS::Alias},
 * {@code AWS::S3::Bucket}, {@code AWS::Logs::LogGroup}, {@code AWS::IAM::Role} and
 * {@code AWS::IAM::ManagedPolicy}, with these gaps, each covered another way:
 *
 * <ul>
 *   <li>{@code AWS::CloudTrail::Trail} and {@code AWS::S3::BucketPolicy}: not implemented (moto
 *       warns and skips them). {@code ExportTest} proves their properties and document are the
 *       plan's; here {@code apply} creates exactly them afterwards, and verify then passes.</li>
 *   <li>{@code PublicAccessBlockConfiguration} of {@code AWS::S3::Bucket}: ignored; apply adds it.</li>
 *   <li>{@code Tags} of {@code AWS::KMS::Key}: moto fails (HTTP 500) on CloudFormation's
 *       {@code Key}/{@code Value} tags; the test leaves them out for moto and apply tags the keys.</li>
 *   <li>{@code KeyPolicy} given as an object: moto keeps the object and GetKeyPolicy returns it
 *       unserialized; the test passes the same document as one {@code Fn::Sub} string, which
 *       CloudFormation's Json properties also accept.</li>
 * </ul>
 *
 * <p>Which KMS: moto's CloudFormation creates its keys in moto's own KMS; local-kms is a separate
 * endpoint it cannot reach. So verify reads the stack's keys from moto (every endpoint at moto, as
 * {@code ProvisioningIT} does): verify reads state, type, rotation and policy, which moto serves;
 * local-kms matters where a disabled key must refuse Decrypt (the vendor's path in DemoEmulatorsIT).
 */
@WithEmulators
class CloudFormationExportIT {
  private static final String EXTERNAL_ID = "cfn-external-id-0001";

  private static ProvisioningSpec spec() {
    return ProvisioningSpec.builder().company("acme").app("slack").env("sandbox").region("us-east-1")
        .vendor(VendorProfile.builtIn("slack")).addVendorAccount(AwsAccountId.of("111122223333")).tag("team", "security")
        .logRetentionDays(365).externalId(EXTERNAL_ID).build();
  }

  @Test
  void stack_onMoto_verifyPassesAndBundleLoads(Emulators emu, @TempDir Path dir) throws Exception {
    ProvisioningSpec spec = spec();
    String template = Provisioner.export(spec, ExportFormat.CLOUDFORMATION).files().get("template.json");
    String stackName = "byok-acme-slack-sandbox";
    try (CloudFormationClient cfn = emu.moto(CloudFormationClient.builder()).build();
        AwsClients aws = AwsClients.builder().endpoint(emu.motoEndpoint()).region(emu.region().id()).credentials(emu.credentials()).build()) {
      cfn.createStack(r -> r.stackName(stackName).templateBody(forMoto(template))
          .parameters(Parameter.builder().parameterKey("ExternalId").parameterValue(EXTERNAL_ID).build())
          .capabilities(Capability.CAPABILITY_NAMED_IAM));
      Stack stack = cfn.describeStacks(r -> r.stackName(stackName)).stacks().get(0);
      assertEquals(StackStatus.CREATE_COMPLETE, stack.stackStatus(), stack.stackStatusReason());
      List<StackResourceSummary> made = cfn.listStackResources(r -> r.stackName(stackName)).stackResourceSummaries();
      System.out.println("CloudFormationExportIT: stack " + stackName + " on moto made:");
      made.forEach(m -> System.out.println("  " + m.logicalResourceId() + "  " + m.resourceType() + "  " + m.physicalResourceId() + "  "
          + m.resourceStatusAsString()));
      Map<String, String> physical = new LinkedHashMap<>();
      made.stream().filter(m -> !m.logicalResourceId().isEmpty()).forEach(m -> physical.put(m.logicalResourceId(), m.physicalResourceId()));
      assertEquals(List.of("Key", "KeyAlias", "LogKey", "LogKeyAlias", "TrailBucket", "VendorLogGroup", "VendorLogRole", "VendorLogPolicy"),
          List.copyOf(physical.keySet()), "every resource type moto implements, made by the stack");
      Map<String, String> outputs = stack.outputs().stream().collect(Collectors.toMap(Output::outputKey, Output::outputValue));

      Provisioner p = Provisioner.builder().spec(spec).clients(aws).build();
      VerifyReport before = p.verify();
      System.out.println("CloudFormationExportIT: verify on what the stack made:\n" + before.toText());
      assertEquals(List.of("bucket policy", "bucket public access block", "trail exists"),
          before.failures().stream().map(Check::name).toList(), "only moto's gaps fail: AWS::S3::BucketPolicy, the bucket's"
              + " PublicAccessBlockConfiguration and AWS::CloudTrail::Trail\n" + before.toText());

      ChangeReport gap = p.apply();
      System.out.println("CloudFormationExportIT: apply covers moto's gaps:\n" + gap.toText());
      assertEquals(List.of("kms:TagResource", "kms:TagResource", "s3:PutPublicAccessBlock", "s3:PutBucketPolicy", "cloudtrail:CreateTrail",
          "cloudtrail:PutEventSelectors", "cloudtrail:PutInsightSelectors", "cloudtrail:StartLogging"),
          gap.changes().stream().map(Change::call).toList(), "everything else the stack made is already as apply wants it");

      VerifyReport after = p.verify();
      System.out.println("CloudFormationExportIT: verify after the gaps are covered:\n" + after.toText());
      assertTrue(after.allPassed(), after.toText());

      HandoffBundle bundle = p.bundle();
      assertEquals(outputs.get("YourCmkArn"), bundle.keyArn().toString());
      assertEquals(outputs.get("YourRoleArn"), bundle.roleArn());
      assertEquals(outputs.get("YourLogGroupName"), bundle.logGroupName());
      assertEquals(EXTERNAL_ID, bundle.externalId());
      assertEquals(physical.get("Key"), bundle.keyArn().resourceId());
      Path bundles = Files.createDirectories(dir.resolve("bundles"));
      bundle.write(bundles.resolve("acme.json"));
      assertEquals(bundle, HandoffBundle.read(bundles.resolve("acme.json")));
      assertEquals(bundle.keyArn(), TenantDirectory.fromBundleDirectory(bundles).find("acme").orElseThrow().keyArn(),
          "the vendor library loads the bundle");
    }
  }

  /**
   * The template as moto can create it (see the class documentation): the keys without tags, and
   * each key policy as one {@code Fn::Sub} string with the same content.
   */
  private static String forMoto(String template) {
    ObjectNode t = (ObjectNode) ExportedFiles.json(template);
    for (String key : List.of("Key", "LogKey")) {
      ObjectNode props = (ObjectNode) t.path("Resources").path(key).path("Properties");
      props.remove("Tags");
      ObjectNode sub = props.objectNode();
      sub.put("Fn::Sub", subText(props.get("KeyPolicy")));
      props.set("KeyPolicy", sub);
    }
    return t.toString();
  }

  /** JSON text of {@code n} in which each {@code Fn::Sub} or {@code Ref} leaf becomes its {@code ${...}} form. */
  private static String subText(JsonNode n) {
    if (n.isObject() && n.size() == 1 && n.has("Fn::Sub")) {
      return "\"" + n.get("Fn::Sub").asText() + "\"";
    }
    if (n.isObject() && n.size() == 1 && n.has("Ref")) {
      return "\"${" + n.get("Ref").asText() + "}\"";
    }
    if (n.isObject()) {
      List<String> fields = new ArrayList<>();
      n.properties().forEach(e -> fields.add(TextNode.valueOf(e.getKey()) + ":" + subText(e.getValue())));
      return "{" + String.join(",", fields) + "}";
    }
    if (n.isArray()) {
      List<String> items = new ArrayList<>();
      n.forEach(e -> items.add(subText(e)));
      return "[" + String.join(",", items) + "]";
    }
    return n.toString().replace("${", "${!");
  }
}
