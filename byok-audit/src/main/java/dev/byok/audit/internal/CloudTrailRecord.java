package dev.byok.audit.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One CloudTrail record, bound by Jackson from AWS's documented log-file format (the elements of
 * {@code {"Records":[...]}}, or the {@code CloudTrailEvent} text of LookupEvents). Only the fields
 * the report reads are bound; the others are skipped. Any field may be {@code null} in the input;
 * the reader validates what it needs. Immutable.
 *
 * @param eventSource e.g. {@code kms.amazonaws.com}
 * @param eventName the API action, e.g. {@code Decrypt}
 * @param eventTime ISO-8601 UTC, e.g. {@code 2026-03-01T12:00:00Z}
 * @param awsRegion the region of the call
 * @param requestID the AWS request ID: the join key with the vendor's {@code kmsRequestId}
 * @param eventID CloudTrail's own ID of the record
 * @param userIdentity who called
 * @param recipientAccountId the account that received the call (the key's owner for KMS)
 * @param requestParameters the KMS request's logged parameters
 * @param resources the resources of the call (the KMS key ARN for KMS)
 * @param errorCode the error of a failed call, e.g. {@code DisabledException}
 * @param errorMessage its message
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CloudTrailRecord(
    String eventSource,
    String eventName,
    String eventTime,
    String awsRegion,
    String requestID,
    String eventID,
    UserIdentity userIdentity,
    String recipientAccountId,
    RequestParameters requestParameters,
    List<Resource> resources,
    String errorCode,
    String errorMessage) {

  /**
   * The caller.
   *
   * @param type e.g. {@code AssumedRole}, {@code IAMUser}, {@code AWSAccount}, {@code AWSService}
   * @param principalId the principal's ID
   * @param arn the principal's ARN (for an assumed role: the session's ARN)
   * @param accountId the caller's account
   * @param invokedBy the AWS service that made the call on the caller's behalf, if any
   * @param sessionContext for temporary credentials: the role (session issuer) behind them
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record UserIdentity(String type, String principalId, String arn, String accountId, String invokedBy,
      SessionContext sessionContext) {}

  /**
   * The session of temporary credentials.
   *
   * @param sessionIssuer the role or user that issued the session
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record SessionContext(SessionIssuer sessionIssuer) {}

  /**
   * The issuer of a session.
   *
   * @param type e.g. {@code Role}
   * @param arn the role's ARN
   * @param accountId its account
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record SessionIssuer(String type, String arn, String accountId) {}

  /**
   * The KMS request's parameters as CloudTrail logs them (never plaintext or ciphertext).
   *
   * @param keyId the key as the caller named it: key ID, key ARN, alias or alias ARN
   * @param encryptionContext the encryption context of a cryptographic call
   * @param pendingWindowInDays of ScheduleKeyDeletion
   * @param policyName of PutKeyPolicy
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RequestParameters(String keyId, Map<String, String> encryptionContext, Integer pendingWindowInDays,
      String policyName) {}

  /**
   * One resource of the call.
   *
   * @param arn its ARN
   * @param accountId its account
   * @param type e.g. {@code AWS::KMS::Key}
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Resource(@JsonProperty("ARN") String arn, String accountId, String type) {}
}
