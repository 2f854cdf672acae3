package dev.byok.provisioning.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.byok.provisioning.PropagationRetry;
import dev.byok.provisioning.internal.aws.AwsCallException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.kms.model.MalformedPolicyDocumentException;

/**
 * The IAM eventual-consistency retry, with a recording sleeper instead of real waits. The errors are
 * the SDK's, as the SDK adapters hand them on ({@link AwsCallException#of}).
 */
class RetryTest {
  private final List<Duration> slept = new ArrayList<>();
  private final PropagationRetry policy = PropagationRetry.builder().maxAttempts(5).initialBackoff(Duration.ofSeconds(1))
      .maxBackoff(Duration.ofSeconds(3)).sleeper(slept::add).build();

  private static AwsCallException error(String code, String message) {
    return AwsCallException.of(
        IamException.builder().awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build());
  }

  @Test
  void backoff_doublesUpToTheMaximum() {
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(3)),
        List.of(policy.backoff(1), policy.backoff(2), policy.backoff(3), policy.backoff(4)));
  }

  @Test
  void call_invalidPrincipalTwice_succeedsOnTheThirdAttemptAfterBackoff() {
    AtomicInteger calls = new AtomicInteger();
    String result = EventualConsistencyRetry.call(policy, "iam:CreateRole", false, () -> {
      if (calls.incrementAndGet() < 3) {
        throw error("MalformedPolicyDocument", "Invalid principal in policy: \"AWS\":\"arn:aws:iam::111122223333:role/new\"");
      }
      return "ok";
    });
    assertEquals("ok", result);
    assertEquals(3, calls.get());
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), slept);
  }

  @Test
  void call_kmsInvalidPrincipals_retried() {
    AtomicInteger calls = new AtomicInteger();
    EventualConsistencyRetry.call(policy, "kms:PutKeyPolicy", false, () -> {
      if (calls.incrementAndGet() == 1) {
        throw AwsCallException.of(MalformedPolicyDocumentException.builder().awsErrorDetails(AwsErrorDetails.builder()
            .errorCode("MalformedPolicyDocumentException").errorMessage("Policy contains a statement with one or more invalid principals.").build())
            .build());
      }
      return null;
    });
    assertEquals(2, calls.get());
    assertEquals(List.of(Duration.ofSeconds(1)), slept);
  }

  @Test
  void call_stillInvalidAfterMaxAttempts_throwsTheLastError() {
    AwsCallException e = error("MalformedPolicyDocument", "Invalid principal in policy");
    AtomicInteger calls = new AtomicInteger();
    AwsCallException thrown = assertThrows(AwsCallException.class, () -> EventualConsistencyRetry.call(policy, "iam:CreateRole", false, () -> {
      calls.incrementAndGet();
      throw e;
    }));
    assertSame(e, thrown);
    assertEquals(5, calls.get());
    assertEquals(4, slept.size());
  }

  @Test
  void call_otherError_notRetried() {
    AtomicInteger calls = new AtomicInteger();
    assertThrows(AwsCallException.class, () -> EventualConsistencyRetry.call(policy, "iam:CreateRole", false, () -> {
      calls.incrementAndGet();
      throw error("MalformedPolicyDocument", "Syntax errors in policy");
    }));
    assertEquals(1, calls.get());
    assertEquals(List.of(), slept);
  }

  @Test
  void call_noSuchEntity_retriedOnlyWhenAsked() {
    AtomicInteger calls = new AtomicInteger();
    assertThrows(AwsCallException.class, () -> EventualConsistencyRetry.call(policy, "iam:AttachRolePolicy", false, () -> {
      calls.incrementAndGet();
      throw error("NoSuchEntity", "The role cannot be found");
    }));
    assertEquals(1, calls.get());
    calls.set(0);
    EventualConsistencyRetry.call(policy, "iam:AttachRolePolicy", true, () -> {
      if (calls.incrementAndGet() == 1) {
        throw error("NoSuchEntity", "The role cannot be found");
      }
      return null;
    });
    assertEquals(2, calls.get());
  }
}
