package dev.byok.provisioning.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class JsonTest {
  private static final String AS_WRITTEN = "{\"Version\":\"2012-10-17\",\"Statement\":["
      + "{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"cloudtrail.amazonaws.com\"},\"Action\":\"s3:GetBucketAcl\",\"Resource\":\"r1\"},"
      + "{\"Sid\":\"B\",\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"s3:*\",\"Resource\":[\"r1\",\"r2\"]}]}";

  /** What Terraform's jsonencode (and some services) return: every object's keys sorted. */
  private static final String KEYS_SORTED = "{\"Statement\":["
      + "{\"Action\":\"s3:GetBucketAcl\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"cloudtrail.amazonaws.com\"},\"Resource\":\"r1\",\"Sid\":\"A\"},"
      + "{\"Action\":\"s3:*\",\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"*\"},\"Resource\":[\"r2\",\"r1\"],\"Sid\":\"B\"}],\"Version\":\"2012-10-17\"}";

  @Test
  void samePolicy_keysInAnotherOrder_same() {
    JsonNode a = Json.parsePolicy(AS_WRITTEN);
    JsonNode b = Json.parsePolicy(KEYS_SORTED);
    assertTrue(Json.samePolicy(a, b), "statements are matched by content, not by the order of their keys");
  }

  @Test
  void samePolicy_otherAction_differs() {
    assertFalse(Json.samePolicy(Json.parsePolicy(AS_WRITTEN), Json.parsePolicy(KEYS_SORTED.replace("s3:GetBucketAcl", "s3:GetObject"))));
  }
}
