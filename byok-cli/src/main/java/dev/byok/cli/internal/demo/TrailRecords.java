package dev.byok.cli.internal.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byok.core.AwsAccountId;
import dev.byok.core.KeyArn;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * The demo's calls on AWS as CloudTrail KMS records (gzip): the vendor's recorded calls with the
 * vendor's account as the caller and the key's account as the recipient. Stateless.
 */
final class TrailRecords {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TrailRecords() {}

  /** One record, in the documented field names. */
  private record Record(String eventVersion, Map<String, String> userIdentity, String eventTime, String eventSource,
      String eventName, String awsRegion, String errorCode, Map<String, Object> requestParameters, String requestID,
      List<Map<String, String>> resources, String eventType, String recipientAccountId) {}

  static void write(Path file, List<World.Call> calls, String keyArn, AwsAccountId vendor, String region)
      throws IOException {
    String owner = KeyArn.parse(keyArn).account().value();
    List<Record> records = new ArrayList<>();
    for (World.Call c : calls) {
      Map<String, String> who = new LinkedHashMap<>();
      who.put("type", "AWSAccount");
      who.put("principalId", vendor.value());
      who.put("arn", vendor.rootArn("aws"));
      who.put("accountId", vendor.value());
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("keyId", keyArn);
      if (!"DescribeKey".equals(c.operation)) {
        params.put("encryptionContext", c.context);
      }
      records.add(new Record("1.11", who, c.time.toString(), "kms.amazonaws.com", c.operation, region,
          c.ok ? null : c.error, params, c.requestId,
          List.of(Map.of("accountId", owner, "type", "AWS::KMS::Key", "ARN", keyArn)), "AwsApiCall", owner));
    }
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      JSON.writeValue(out, Map.of("Records", records));
    }
  }
}
