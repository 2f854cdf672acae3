package dev.byok.soak;

import dev.byok.core.HandoffBundle;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.CreateLogStreamRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.StsException;

/** The faults a TCP proxy cannot make, injected in the vendor's SDK clients. */
final class Faults {
  private Faults() {}

  /**
   * KMS throttling: while on, every KMS answer is replaced by {@code 400 ThrottlingException}, as
   * KMS sends it. Thread-safe.
   */
  static final class KmsThrottle implements ExecutionInterceptor {
    private static final byte[] BODY =
        "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded (injected by the soak)\"}".getBytes(StandardCharsets.UTF_8);
    private volatile long untilMs;
    private final AtomicLong throttled = new AtomicLong();

    void forMillis(long ms) {
      untilMs = System.currentTimeMillis() + ms;
    }

    long throttled() {
      return throttled.get();
    }

    private boolean on() {
      return System.currentTimeMillis() < untilMs;
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
      if (on()) {
        throttled.incrementAndGet();
        attributes.putAttribute(THROTTLED, Boolean.TRUE);
        return context.httpResponse().toBuilder().statusCode(400).statusText("Bad Request")
            .putHeader("x-amzn-ErrorType", "ThrottlingException")
            .putHeader("Content-Length", Integer.toString(BODY.length)).build();
      }
      return context.httpResponse();
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
      if (Boolean.TRUE.equals(attributes.getAttribute(THROTTLED))) {
        return Optional.of(new ByteArrayInputStream(BODY));
      }
      return context.responseBody();
    }

    private static final software.amazon.awssdk.core.interceptor.ExecutionAttribute<Boolean> THROTTLED =
        new software.amazon.awssdk.core.interceptor.ExecutionAttribute<>("soak.throttled");
  }

  /**
   * One tenant's log role made unusable: moto's STS assumes any role and its Logs API checks no
   * permission, so the refusal AWS would give is made here, in the vendor's STS and Logs clients:
   * AssumeRole of the tenant's role fails with {@code AccessDenied} (403) and PutLogEvents or
   * CreateLogStream to the tenant's group with {@code AccessDeniedException} (400), as after the
   * customer breaks the role's trust and revokes its sessions. Thread-safe.
   */
  static final class LogDeny implements ExecutionInterceptor {
    private final Map<String, HandoffBundle> bundles;
    private final Set<String> deniedRoles = ConcurrentHashMap.newKeySet();
    private final Set<String> deniedGroups = ConcurrentHashMap.newKeySet();
    private final AtomicLong denied = new AtomicLong();

    LogDeny(Map<String, HandoffBundle> bundles) {
      this.bundles = Map.copyOf(bundles);
    }

    void set(String tenant, boolean deny) {
      HandoffBundle b = bundles.get(tenant);
      if (b == null) {
        return;
      }
      if (deny) {
        deniedRoles.add(b.roleArn());
        deniedGroups.add(b.logGroupName());
      } else {
        deniedRoles.remove(b.roleArn());
        deniedGroups.remove(b.logGroupName());
      }
    }

    long denied() {
      return denied.get();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      SdkRequest r = context.request();
      if (r instanceof AssumeRoleRequest a && deniedRoles.contains(a.roleArn())) {
        denied.incrementAndGet();
        throw StsException.builder().statusCode(403).message("not authorized to perform sts:AssumeRole on " + a.roleArn()
            + " (injected by the soak)").awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied")
            .errorMessage("not authorized to perform sts:AssumeRole (injected by the soak)").serviceName("STS").build()).build();
      }
      String group = r instanceof PutLogEventsRequest p ? p.logGroupName()
          : r instanceof CreateLogStreamRequest c ? c.logGroupName() : null;
      if (group != null && deniedGroups.contains(group)) {
        denied.incrementAndGet();
        throw CloudWatchLogsException.builder().statusCode(400).message("access denied to " + group + " (injected by the soak)")
            .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException")
                .errorMessage("access denied (injected by the soak)").serviceName("CloudWatchLogs").build()).build();
      }
    }
  }
}
