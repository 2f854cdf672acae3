import dev.byok.aws.kms.AwsKmsKeyService;
import dev.byok.aws.logs.CloudWatchLogsAuditSink;
import dev.byok.core.AccessReason;
import dev.byok.core.EncryptionContext;
import dev.byok.core.ReasonCode;
import dev.byok.core.TenantDirectory;
import dev.byok.crypto.TenantCrypto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The vendor's side of docs/try-locally.md: the README's example as a program. It encrypts and
 * decrypts one record of tenant acme under the key of the hand-off bundle BUNDLES/acme.json, with
 * reason codes; each use is an audit event in the customer's log group, which the vendor writes
 * through the customer's log role (sts:AssumeRole with the bundle's external ID).
 *
 * <p>Nothing here names an endpoint: the AWS SDK reads AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_KMS,
 * AWS_REGION and the credentials from the environment ({@code eval "$(./scripts/emulators env)"}).
 * In code, {@code AwsKmsKeyService.builder().endpointOverride(uri)} and
 * {@code CloudWatchLogsAuditSink.builder().stsClientCustomizer(b -> b.endpointOverride(uri))
 * .logsClientCustomizer(b -> b.endpointOverride(uri))} do the same.
 *
 * <pre>
 * java -cp byok-cli/target/byok.jar docs/examples/VendorApp.java BUNDLES
 * </pre>
 */
public class VendorApp {
  public static void main(String[] args) throws Exception {
    Path bundles = Path.of(args.length > 0 ? args[0] : "bundles");
    TenantDirectory tenants = TenantDirectory.fromBundleDirectory(bundles); // acme.json: acme's hand-off bundle
    byte[] plaintext = "quarterly numbers".getBytes(StandardCharsets.UTF_8);
    try (AwsKmsKeyService kms = AwsKmsKeyService.builder().build();
        CloudWatchLogsAuditSink audit = CloudWatchLogsAuditSink.builder().tenants(tenants).build();
        TenantCrypto crypto = TenantCrypto.builder().keyService(kms).tenants(tenants).auditSink(audit).build()) {
      EncryptionContext scope = EncryptionContext.of(Map.of("tenant", "acme", "data-class", "messages"));
      byte[] msg = crypto.encrypt("acme", scope, AccessReason.of(ReasonCode.USER_REQUEST), plaintext);
      byte[] back = crypto.decrypt("acme", scope, AccessReason.of(ReasonCode.SEARCH_INDEXING, null, "indexer"), msg);
      if (!Arrays.equals(plaintext, back)) {
        throw new IllegalStateException("decrypted text differs from the original");
      }
      System.out.println("vendor: encrypted " + plaintext.length + " bytes for acme into a " + msg.length
          + "-byte message and decrypted it; 2 audit events go to the customer's log group");
    }
  }
}
