package dev.byok.aws.kms;

import dev.byok.core.keys.KeyServiceException.ErrorClass;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.kms.model.CloudHsmClusterInUseException;
import software.amazon.awssdk.services.kms.model.CloudHsmClusterInvalidConfigurationException;
import software.amazon.awssdk.services.kms.model.CloudHsmClusterNotActiveException;
import software.amazon.awssdk.services.kms.model.CloudHsmClusterNotFoundException;
import software.amazon.awssdk.services.kms.model.CloudHsmClusterNotRelatedException;
import software.amazon.awssdk.services.kms.model.ConflictException;
import software.amazon.awssdk.services.kms.model.CustomKeyStoreHasCmKsException;
import software.amazon.awssdk.services.kms.model.CustomKeyStoreInvalidStateException;
import software.amazon.awssdk.services.kms.model.CustomKeyStoreNameInUseException;
import software.amazon.awssdk.services.kms.model.CustomKeyStoreNotFoundException;
import software.amazon.awssdk.services.kms.model.DependencyTimeoutException;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.DryRunOperationException;
import software.amazon.awssdk.services.kms.model.ExpiredImportTokenException;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.IncorrectKeyMaterialException;
import software.amazon.awssdk.services.kms.model.IncorrectTrustAnchorException;
import software.amazon.awssdk.services.kms.model.InvalidAliasNameException;
import software.amazon.awssdk.services.kms.model.InvalidArnException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.InvalidGrantIdException;
import software.amazon.awssdk.services.kms.model.InvalidGrantTokenException;
import software.amazon.awssdk.services.kms.model.InvalidImportTokenException;
import software.amazon.awssdk.services.kms.model.InvalidKeyUsageException;
import software.amazon.awssdk.services.kms.model.InvalidMarkerException;
import software.amazon.awssdk.services.kms.model.KeyUnavailableException;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInternalException;
import software.amazon.awssdk.services.kms.model.KmsInvalidMacException;
import software.amazon.awssdk.services.kms.model.KmsInvalidSignatureException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.LimitExceededException;
import software.amazon.awssdk.services.kms.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.TagException;
import software.amazon.awssdk.services.kms.model.UnsupportedOperationException;
import software.amazon.awssdk.services.kms.model.XksKeyAlreadyInUseException;
import software.amazon.awssdk.services.kms.model.XksKeyInvalidConfigurationException;
import software.amazon.awssdk.services.kms.model.XksKeyNotFoundException;
import software.amazon.awssdk.services.kms.model.XksProxyIncorrectAuthenticationCredentialException;
import software.amazon.awssdk.services.kms.model.XksProxyInvalidConfigurationException;
import software.amazon.awssdk.services.kms.model.XksProxyInvalidResponseException;
import software.amazon.awssdk.services.kms.model.XksProxyUriEndpointInUseException;
import software.amazon.awssdk.services.kms.model.XksProxyUriInUseException;
import software.amazon.awssdk.services.kms.model.XksProxyUriUnreachableException;
import software.amazon.awssdk.services.kms.model.XksProxyVpcEndpointServiceInUseException;
import software.amazon.awssdk.services.kms.model.XksProxyVpcEndpointServiceInvalidConfigurationException;
import software.amazon.awssdk.services.kms.model.XksProxyVpcEndpointServiceNotFoundException;

/**
 * Classifies every error of a KMS call: definitive (the customer cut access: the key is revoked),
 * transient (try again later; never a reason to revoke) or bad input (neither). See
 * {@code docs/revocation.md}.
 *
 * <p>Every exception class the SDK models for KMS is listed in {@link #MODELED}; a unit test scans
 * the SDK jar and fails when the SDK adds one that is not listed. Errors KMS returns without a
 * modeled class (AccessDenied, Throttling, credential errors) are matched by error code, and the
 * rest by HTTP status. Stateless and thread-safe.
 */
final class KmsErrorClassifier {

  /** Every modeled {@link KmsException} subclass and what it means for access. */
  static final Map<Class<? extends KmsException>, ErrorClass> MODELED = Map.ofEntries(
      // The customer cut access, or the key is gone or unusable: revoke.
      Map.entry(DisabledException.class, ErrorClass.DEFINITIVE),
      Map.entry(KmsInvalidStateException.class, ErrorClass.DEFINITIVE), // pending deletion, pending import
      Map.entry(NotFoundException.class, ErrorClass.DEFINITIVE),
      Map.entry(KeyUnavailableException.class, ErrorClass.DEFINITIVE),
      // Try again later; never revoke.
      Map.entry(KmsInternalException.class, ErrorClass.TRANSIENT),
      Map.entry(DependencyTimeoutException.class, ErrorClass.TRANSIENT),
      Map.entry(LimitExceededException.class, ErrorClass.TRANSIENT),
      Map.entry(ConflictException.class, ErrorClass.TRANSIENT),
      Map.entry(XksProxyUriUnreachableException.class, ErrorClass.TRANSIENT),
      Map.entry(XksProxyInvalidResponseException.class, ErrorClass.TRANSIENT),
      // The request was wrong: the data key is not this key's, the ARN is malformed, or the error
      // belongs to a control-plane call this service never makes.
      Map.entry(InvalidCiphertextException.class, ErrorClass.BAD_INPUT),
      Map.entry(IncorrectKeyException.class, ErrorClass.BAD_INPUT),
      Map.entry(InvalidKeyUsageException.class, ErrorClass.BAD_INPUT),
      Map.entry(InvalidArnException.class, ErrorClass.BAD_INPUT),
      Map.entry(InvalidGrantTokenException.class, ErrorClass.BAD_INPUT),
      Map.entry(InvalidGrantIdException.class, ErrorClass.BAD_INPUT),
      Map.entry(InvalidMarkerException.class, ErrorClass.BAD_INPUT),
      Map.entry(InvalidAliasNameException.class, ErrorClass.BAD_INPUT),
      Map.entry(InvalidImportTokenException.class, ErrorClass.BAD_INPUT),
      Map.entry(ExpiredImportTokenException.class, ErrorClass.BAD_INPUT),
      Map.entry(IncorrectKeyMaterialException.class, ErrorClass.BAD_INPUT),
      Map.entry(IncorrectTrustAnchorException.class, ErrorClass.BAD_INPUT),
      Map.entry(KmsInvalidMacException.class, ErrorClass.BAD_INPUT),
      Map.entry(KmsInvalidSignatureException.class, ErrorClass.BAD_INPUT),
      Map.entry(DryRunOperationException.class, ErrorClass.BAD_INPUT),
      Map.entry(UnsupportedOperationException.class, ErrorClass.BAD_INPUT),
      Map.entry(MalformedPolicyDocumentException.class, ErrorClass.BAD_INPUT),
      Map.entry(TagException.class, ErrorClass.BAD_INPUT),
      Map.entry(AlreadyExistsException.class, ErrorClass.BAD_INPUT),
      Map.entry(CustomKeyStoreHasCmKsException.class, ErrorClass.BAD_INPUT),
      Map.entry(CustomKeyStoreInvalidStateException.class, ErrorClass.BAD_INPUT),
      Map.entry(CustomKeyStoreNameInUseException.class, ErrorClass.BAD_INPUT),
      Map.entry(CustomKeyStoreNotFoundException.class, ErrorClass.BAD_INPUT),
      Map.entry(CloudHsmClusterInUseException.class, ErrorClass.BAD_INPUT),
      Map.entry(CloudHsmClusterInvalidConfigurationException.class, ErrorClass.BAD_INPUT),
      Map.entry(CloudHsmClusterNotActiveException.class, ErrorClass.BAD_INPUT),
      Map.entry(CloudHsmClusterNotFoundException.class, ErrorClass.BAD_INPUT),
      Map.entry(CloudHsmClusterNotRelatedException.class, ErrorClass.BAD_INPUT),
      Map.entry(XksKeyAlreadyInUseException.class, ErrorClass.BAD_INPUT),
      Map.entry(XksKeyInvalidConfigurationException.class, ErrorClass.BAD_INPUT),
      Map.entry(XksKeyNotFoundException.class, ErrorClass.BAD_INPUT),
      Map.entry(XksProxyIncorrectAuthenticationCredentialException.class, ErrorClass.BAD_INPUT),
      Map.entry(XksProxyInvalidConfigurationException.class, ErrorClass.BAD_INPUT),
      Map.entry(XksProxyUriEndpointInUseException.class, ErrorClass.BAD_INPUT),
      Map.entry(XksProxyUriInUseException.class, ErrorClass.BAD_INPUT),
      Map.entry(XksProxyVpcEndpointServiceInUseException.class, ErrorClass.BAD_INPUT),
      Map.entry(XksProxyVpcEndpointServiceInvalidConfigurationException.class, ErrorClass.BAD_INPUT),
      Map.entry(XksProxyVpcEndpointServiceNotFoundException.class, ErrorClass.BAD_INPUT));

  /** Error codes KMS returns as a plain {@link KmsException}, i.e. without a modeled class. */
  static final Map<String, ErrorClass> UNMODELED_CODES = Map.of(
      "AccessDeniedException", ErrorClass.DEFINITIVE,
      "AccessDenied", ErrorClass.DEFINITIVE);

  /**
   * Codes of throttling and of the vendor's own credentials being wrong or expired. The latter
   * are the vendor's problem, not the customer's decision, so they must never revoke; they are an
   * outage from the vendor's point of view.
   */
  static final Set<String> TRANSIENT_CODES = Set.of(
      "ThrottlingException", "Throttling", "ThrottledException", "RequestThrottledException",
      "RequestThrottled", "TooManyRequestsException", "RequestLimitExceeded", "SlowDown",
      "PriorRequestNotComplete", "RequestTimeout", "RequestTimeoutException",
      "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignature",
      "ExpiredTokenException", "ExpiredToken", "RequestExpired", "InvalidClientTokenId",
      "SignatureDoesNotMatch", "AuthFailure");

  private KmsErrorClassifier() {}

  /** The class of {@code error}, a failure of a KMS call. */
  static ErrorClass classify(Throwable error) {
    if (error instanceof KmsException) {
      ErrorClass modeled = MODELED.get(error.getClass());
      if (modeled != null) {
        return modeled;
      }
    }
    if (error instanceof AwsServiceException) {
      AwsServiceException e = (AwsServiceException) error;
      String code = errorCode(e);
      ErrorClass byCode = UNMODELED_CODES.get(code);
      if (byCode != null) {
        return byCode;
      }
      if (TRANSIENT_CODES.contains(code) || e.isThrottlingException() || e.isClockSkewException()) {
        return ErrorClass.TRANSIENT;
      }
      return byStatus(e);
    }
    if (error instanceof SdkServiceException) {
      return byStatus((SdkServiceException) error);
    }
    // SdkClientException: connection refused or reset, DNS, time-outs (ApiCallTimeoutException and
    // ApiCallAttemptTimeoutException are SdkClientExceptions), unreadable responses. And anything
    // else unexpected: it says nothing about the customer's decision.
    return ErrorClass.TRANSIENT;
  }

  private static ErrorClass byStatus(SdkServiceException e) {
    int status = e.statusCode();
    if (status >= 500 || status == 429 || status == 408 || status == 0) {
      return ErrorClass.TRANSIENT;
    }
    return ErrorClass.BAD_INPUT;
  }

  /** The service's error code, or the exception's simple class name when it gave none. */
  static String errorCode(Throwable error) {
    if (error instanceof AwsServiceException) {
      AwsErrorDetails details = ((AwsServiceException) error).awsErrorDetails();
      if (details != null && details.errorCode() != null && !details.errorCode().isEmpty()) {
        return details.errorCode();
      }
    }
    if (error instanceof SdkClientException) {
      return "SdkClientException";
    }
    return error.getClass().getSimpleName();
  }

  /** The request ID of a failed call, or {@code null}. */
  static @Nullable String requestId(Throwable error) {
    if (error instanceof SdkServiceException) {
      return knownRequestId(((SdkServiceException) error).requestId());
    }
    return null;
  }

  /**
   * {@code id}, or {@code null} when the service sent none: the SDK reports a missing request-ID
   * header as the text {@value #SDK_NO_REQUEST_ID} (local-kms sends none), which must never reach an
   * audit event, where it would join falsely with CloudTrail.
   */
  static @Nullable String knownRequestId(@Nullable String id) {
    return id == null || id.isEmpty() || SDK_NO_REQUEST_ID.equals(id) ? null : id;
  }

  /** What {@code AwsResponseMetadata.requestId()} answers when the response had no request ID. */
  static final String SDK_NO_REQUEST_ID = "UNKNOWN";
}
