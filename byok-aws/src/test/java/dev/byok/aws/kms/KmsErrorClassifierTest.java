package dev.byok.aws.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.byok.core.keys.KeyServiceException.ErrorClass;
import java.io.File;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * The error classification (definitive, transient, bad input; docs/revocation.md), table-tested
 * against every exception class the SDK models
 * for KMS. The list of classes is read from the SDK jar itself, so an SDK upgrade that adds one
 * fails here until it is classified in {@link KmsErrorClassifier#MODELED} and in this table.
 */
class KmsErrorClassifierTest {

  /** The expected classification, written from the KMS API reference, independent of the code. */
  private static final Map<String, ErrorClass> EXPECTED = new HashMap<>();

  static {
    for (String s : new String[] {"DisabledException", "KmsInvalidStateException", "NotFoundException",
        "KeyUnavailableException"}) {
      EXPECTED.put(s, ErrorClass.DEFINITIVE);
    }
    for (String s : new String[] {"KmsInternalException", "DependencyTimeoutException", "LimitExceededException",
        "ConflictException", "XksProxyUriUnreachableException", "XksProxyInvalidResponseException"}) {
      EXPECTED.put(s, ErrorClass.TRANSIENT);
    }
    for (String s : new String[] {"InvalidCiphertextException", "IncorrectKeyException", "InvalidKeyUsageException",
        "InvalidArnException", "InvalidGrantTokenException", "InvalidGrantIdException", "InvalidMarkerException",
        "InvalidAliasNameException", "InvalidImportTokenException", "ExpiredImportTokenException",
        "IncorrectKeyMaterialException", "IncorrectTrustAnchorException", "KmsInvalidMacException",
        "KmsInvalidSignatureException", "DryRunOperationException", "UnsupportedOperationException",
        "MalformedPolicyDocumentException", "TagException", "AlreadyExistsException",
        "CustomKeyStoreHasCmKsException", "CustomKeyStoreInvalidStateException", "CustomKeyStoreNameInUseException",
        "CustomKeyStoreNotFoundException", "CloudHsmClusterInUseException",
        "CloudHsmClusterInvalidConfigurationException", "CloudHsmClusterNotActiveException",
        "CloudHsmClusterNotFoundException", "CloudHsmClusterNotRelatedException", "XksKeyAlreadyInUseException",
        "XksKeyInvalidConfigurationException", "XksKeyNotFoundException",
        "XksProxyIncorrectAuthenticationCredentialException", "XksProxyInvalidConfigurationException",
        "XksProxyUriEndpointInUseException", "XksProxyUriInUseException", "XksProxyVpcEndpointServiceInUseException",
        "XksProxyVpcEndpointServiceInvalidConfigurationException", "XksProxyVpcEndpointServiceNotFoundException"}) {
      EXPECTED.put(s, ErrorClass.BAD_INPUT);
    }
  }

  @Test
  void classify_everyModeledKmsException_matchesTable() throws Exception {
    List<Class<? extends KmsException>> modeled = modeledKmsExceptions();
    assertTrue(modeled.size() >= 40, "expected the SDK to model at least 40 KMS exceptions, found " + modeled.size());
    List<String> unclassified = new ArrayList<>();
    List<String> wrong = new ArrayList<>();
    for (Class<? extends KmsException> c : modeled) {
      ErrorClass expected = EXPECTED.get(c.getSimpleName());
      if (expected == null || !KmsErrorClassifier.MODELED.containsKey(c)) {
        unclassified.add(c.getSimpleName());
        continue;
      }
      // Built as the SDK builds them from a response: a 400 with the service's error code.
      KmsException e = (KmsException) ((AwsServiceException.Builder) c.getMethod("builder").invoke(null))
          .message("test").statusCode(400)
          .awsErrorDetails(AwsErrorDetails.builder().errorCode(c.getSimpleName()).build()).build();
      ErrorClass actual = KmsErrorClassifier.classify(e);
      if (actual != expected) {
        wrong.add(c.getSimpleName() + ": expected " + expected + ", classified " + actual);
      }
    }
    if (!unclassified.isEmpty()) {
      fail("KMS exceptions the SDK models but the classifier or this table does not list: " + new TreeSet<>(unclassified));
    }
    assertEquals(List.of(), wrong);
    assertEquals(modeled.size(), KmsErrorClassifier.MODELED.size(), "the classifier lists classes the SDK no longer models");
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
      "AccessDeniedException, 400, DEFINITIVE",
      "ThrottlingException, 400, TRANSIENT",
      "TooManyRequestsException, 429, TRANSIENT",
      "UnrecognizedClientException, 400, TRANSIENT",
      "ExpiredTokenException, 400, TRANSIENT",
      "InternalFailure, 500, TRANSIENT",
      "ServiceUnavailable, 503, TRANSIENT",
      "SomethingNew, 502, TRANSIENT",
      "ValidationException, 400, BAD_INPUT",
      "SomethingNew, 400, BAD_INPUT"})
  void classify_unmodeledErrorCode_byCodeThenStatus(String code, int status, ErrorClass expected) {
    KmsException e = (KmsException) KmsException.builder().message("test").statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).build();
    assertEquals(expected, KmsErrorClassifier.classify(e));
    assertEquals(code, KmsErrorClassifier.errorCode(e));
  }

  @Test
  void classify_networkAndTimeoutErrors_transient() {
    assertEquals(ErrorClass.TRANSIENT, KmsErrorClassifier.classify(
        SdkClientException.create("Unable to execute HTTP request: Connection refused")));
    assertEquals(ErrorClass.TRANSIENT, KmsErrorClassifier.classify(ApiCallTimeoutException.create(1000)));
    assertEquals(ErrorClass.TRANSIENT, KmsErrorClassifier.classify(ApiCallAttemptTimeoutException.create(500)));
    assertEquals("SdkClientException", KmsErrorClassifier.errorCode(SdkClientException.create("x")));
  }

  @Test
  void requestId_ofServiceError_isReported() {
    KmsException e = (KmsException) KmsException.builder().message("m").statusCode(400).requestId("req-1")
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException").build()).build();
    assertEquals("req-1", KmsErrorClassifier.requestId(e));
    assertEquals(null, KmsErrorClassifier.requestId(SdkClientException.create("x")));
  }

  @Test
  void requestId_sdksUnknownPlaceholderOrEmpty_isNull() {
    assertEquals(null, KmsErrorClassifier.requestId(KmsException.builder().message("m").statusCode(400)
        .requestId("UNKNOWN").build()));
    assertEquals(null, KmsErrorClassifier.requestId(KmsException.builder().message("m").statusCode(400)
        .requestId("").build()));
  }

  /** Every subclass of {@link KmsException} in the SDK jar's model package. */
  @SuppressWarnings("unchecked")
  static List<Class<? extends KmsException>> modeledKmsExceptions() throws Exception {
    String pkg = KmsException.class.getPackageName().replace('.', '/') + "/";
    URL location = KmsException.class.getProtectionDomain().getCodeSource().getLocation();
    File file = new File(location.toURI());
    List<String> names = new ArrayList<>();
    if (file.isDirectory()) {
      File[] files = new File(file, pkg).listFiles();
      for (File f : files == null ? new File[0] : files) {
        names.add(pkg + f.getName());
      }
    } else {
      try (JarFile jar = new JarFile(file)) {
        for (Enumeration<JarEntry> en = jar.entries(); en.hasMoreElements(); ) {
          names.add(en.nextElement().getName());
        }
      }
    }
    List<Class<? extends KmsException>> out = new ArrayList<>();
    for (String n : names) {
      if (!n.startsWith(pkg) || !n.endsWith(".class") || n.contains("$") || n.substring(pkg.length()).contains("/")) {
        continue;
      }
      Class<?> c = Class.forName(n.substring(0, n.length() - ".class".length()).replace('/', '.'), false,
          KmsException.class.getClassLoader());
      if (KmsException.class.isAssignableFrom(c) && c != KmsException.class) {
        out.add((Class<? extends KmsException>) c);
      }
    }
    return out;
  }
}
