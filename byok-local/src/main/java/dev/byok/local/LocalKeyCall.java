package dev.byok.local;

import dev.byok.core.AwsAccountId;
import dev.byok.core.EncryptionContext;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a {@link LocalKeyService}'s call log — the local stand-in for the customer's
 * CloudTrail: when, which operation, on which key, by which account, with which encryption
 * context, the request ID, and how it ended. Holds no key material. Immutable and thread-safe.
 */
public final class LocalKeyCall {
  /** The data-plane operations that are logged, with their AWS KMS names. */
  public enum Operation {
    /** {@code GenerateDataKey}. */
    GENERATE_DATA_KEY("GenerateDataKey"),
    /** {@code Decrypt}. */
    DECRYPT("Decrypt"),
    /** {@code DescribeKey}. */
    DESCRIBE_KEY("DescribeKey");

    private final String kmsName;

    Operation(String kmsName) {
      this.kmsName = kmsName;
    }

    /** The operation's name in AWS KMS and CloudTrail, e.g. {@code GenerateDataKey}. */
    public String kmsName() {
      return kmsName;
    }
  }

  /** How a call ended. */
  public enum Outcome {
    /** The call succeeded. */
    SUCCESS,
    /** The call failed with a key-service error. */
    FAILURE
  }

  private final Instant time;
  private final Operation operation;
  private final @Nullable String keyArn;
  private final AwsAccountId callerAccount;
  private final EncryptionContext encryptionContext;
  private final String requestId;
  private final Outcome outcome;
  private final @Nullable String errorCode;

  LocalKeyCall(Instant time, Operation operation, @Nullable String keyArn, AwsAccountId callerAccount,
      EncryptionContext encryptionContext, String requestId, Outcome outcome, @Nullable String errorCode) {
    this.time = Objects.requireNonNull(time, "time");
    this.operation = Objects.requireNonNull(operation, "operation");
    this.keyArn = keyArn;
    this.callerAccount = Objects.requireNonNull(callerAccount, "callerAccount");
    this.encryptionContext = Objects.requireNonNull(encryptionContext, "encryptionContext");
    this.requestId = Objects.requireNonNull(requestId, "requestId");
    this.outcome = Objects.requireNonNull(outcome, "outcome");
    this.errorCode = errorCode;
  }

  /** When the call was made, by the service's clock. */
  public Instant time() {
    return time;
  }

  /** The operation. */
  public Operation operation() {
    return operation;
  }

  /**
   * The ARN of the key the call resolved to; for a key that could not be found, the reference as
   * the caller gave it (possibly {@code null}).
   */
  public @Nullable String keyArn() {
    return keyArn;
  }

  /** The account that made the call. */
  public AwsAccountId callerAccount() {
    return callerAccount;
  }

  /** The encryption context of the call; empty for {@code DescribeKey}. */
  public EncryptionContext encryptionContext() {
    return encryptionContext;
  }

  /** The call's request ID (also on its result or error). */
  public String requestId() {
    return requestId;
  }

  /** How the call ended. */
  public Outcome outcome() {
    return outcome;
  }

  /** The error code of a failed call, e.g. {@code DisabledException}; empty on success. */
  public Optional<String> errorCode() {
    return Optional.ofNullable(errorCode);
  }

  @Override
  public String toString() {
    return "LocalKeyCall{" + time + " " + operation.kmsName() + " key=" + keyArn + " caller=" + callerAccount
        + " context=" + encryptionContext + " requestId=" + requestId + " " + outcome
        + (errorCode == null ? "" : " " + errorCode) + "}";
  }
}
