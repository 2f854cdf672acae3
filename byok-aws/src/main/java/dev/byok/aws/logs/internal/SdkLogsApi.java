package dev.byok.aws.logs.internal;

import dev.byok.core.HandoffBundle;
import dev.byok.aws.logs.internal.DeliveryFailure.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClientBuilder;
import software.amazon.awssdk.services.cloudwatchlogs.model.DataAlreadyAcceptedException;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.RejectedLogEventsInfo;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * {@link LogsApi} over the AWS SDK: a {@link CloudWatchLogsClient} in the bundle's region whose
 * credentials come from STS AssumeRole into the customer's log role with the bundle's external ID
 * ({@link StsAssumeRoleCredentialsProvider}, which assumes the role again before the session
 * expires). Each call uses the SDK's retry strategy; failures that outlast it are classified.
 * One instance per tenant; used by one thread at a time.
 */
public final class SdkLogsApi implements LogsApi {
  private static final int MAX_SESSION_NAME_CHARS = 64;

  private final String tenant;
  private final HandoffBundle bundle;
  private final StsClient ownedSts;
  private final StsAssumeRoleCredentialsProvider credentials;
  private final CloudWatchLogsClient logs;
  private final AttemptCounter attempts = new AttemptCounter();

  /** Counts the HTTP attempts of the current call (sync clients run interceptors on the calling thread). */
  private static final class AttemptCounter implements ExecutionInterceptor {
    private volatile int count;

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes executionAttributes) {
      count++;
    }

    void reset() {
      count = 0;
    }

    int count() {
      return count;
    }
  }

  /** How the SDK clients are made; shared by all tenants of one sink. */
  public static final class Settings {
    final StsClient stsClient;
    final Consumer<software.amazon.awssdk.services.sts.StsClientBuilder> stsDefaults;
    final SdkHttpClient httpClient;
    final RetryStrategy retryStrategy;
    final Duration apiCallTimeout;
    final Duration sessionDuration;
    final Consumer<CloudWatchLogsClientBuilder> logsCustomizer;

    /**
     * @param stsClient the STS client to assume roles with, owned by the caller; or {@code null} to
     *     build one per tenant in the bundle's region, set up by {@code stsDefaults}
     */
    public Settings(StsClient stsClient, Consumer<software.amazon.awssdk.services.sts.StsClientBuilder> stsDefaults,
        SdkHttpClient httpClient, RetryStrategy retryStrategy, Duration apiCallTimeout,
        Duration sessionDuration, Consumer<CloudWatchLogsClientBuilder> logsCustomizer) {
      this.stsClient = stsClient;
      this.stsDefaults = stsDefaults;
      this.httpClient = httpClient;
      this.retryStrategy = retryStrategy;
      this.apiCallTimeout = apiCallTimeout;
      this.sessionDuration = sessionDuration;
      this.logsCustomizer = logsCustomizer;
    }
  }

  /** The client of {@code tenant}, under the role of its {@code bundle}, in the bundle's region. */
  public SdkLogsApi(String tenant, HandoffBundle bundle, Settings settings) {
    this.tenant = tenant;
    this.bundle = bundle;
    Region region = Region.of(bundle.region());
    StsClient sts = settings.stsClient;
    if (sts == null) {
      var b = StsClient.builder().region(region).httpClient(settings.httpClient)
          .overrideConfiguration(o -> o.retryStrategy(settings.retryStrategy).apiCallTimeout(settings.apiCallTimeout));
      settings.stsDefaults.accept(b);
      sts = b.build();
      ownedSts = sts;
    } else {
      ownedSts = null;
    }
    String sessionName = sessionName(bundle.vendor());
    this.credentials = StsAssumeRoleCredentialsProvider.builder()
        .stsClient(sts)
        .refreshRequest(r -> r.roleArn(bundle.roleArn()).externalId(bundle.externalId())
            .roleSessionName(sessionName).durationSeconds((int) settings.sessionDuration.toSeconds()))
        .build();
    CloudWatchLogsClientBuilder lb = CloudWatchLogsClient.builder()
        .region(region)
        .credentialsProvider(credentials)
        .httpClient(settings.httpClient);
    settings.logsCustomizer.accept(lb);
    // The customizer may have set its own override configuration (interceptors, say): keep it, and
    // add ours where it set nothing.
    ClientOverrideConfiguration given = lb.overrideConfiguration();
    ClientOverrideConfiguration.Builder o = given == null ? ClientOverrideConfiguration.builder() : given.toBuilder();
    if (given == null || (given.retryStrategy().isEmpty() && given.retryPolicy().isEmpty() && given.retryMode().isEmpty())) {
      o.retryStrategy(settings.retryStrategy);
    }
    if (given == null || given.apiCallTimeout().isEmpty()) {
      o.apiCallTimeout(settings.apiCallTimeout);
    }
    o.addExecutionInterceptor(attempts);
    this.logs = lb.overrideConfiguration(o.build()).build();
  }

  /** {@code byok-audit-<vendor>}, within STS's 64 characters of {@code [\w+=,.@-]}. */
  static String sessionName(String vendor) {
    String s = ("byok-audit-" + vendor).replaceAll("[^\\w+=,.@-]", "-");
    return s.length() > MAX_SESSION_NAME_CHARS ? s.substring(0, MAX_SESSION_NAME_CHARS) : s;
  }

  @Override
  public void ensureCredentials() throws DeliveryFailure {
    try {
      credentials.resolveCredentials();
    } catch (RuntimeException e) {
      throw roleFailure(e);
    }
  }

  @Override
  public void createLogGroup(String group) throws DeliveryFailure {
    try {
      logs.createLogGroup(r -> r.logGroupName(group));
    } catch (ResourceAlreadyExistsException e) {
      // fine: someone made it first
    } catch (RuntimeException e) {
      throw classify(e, "CreateLogGroup " + group);
    }
  }

  @Override
  public void createLogStream(String group, String stream) throws DeliveryFailure {
    try {
      logs.createLogStream(r -> r.logGroupName(group).logStreamName(stream));
    } catch (ResourceAlreadyExistsException e) {
      // fine: made by an earlier run of this instance
    } catch (ResourceNotFoundException e) {
      throw groupMissing(e);
    } catch (RuntimeException e) {
      throw classify(e, "CreateLogStream " + group + " " + stream);
    }
  }

  @Override
  public PutResult putLogEvents(String group, String stream, List<LogRecord> batch) throws DeliveryFailure {
    List<InputLogEvent> events = new ArrayList<>(batch.size());
    for (LogRecord r : batch) {
      events.add(InputLogEvent.builder().timestamp(r.timestampMillis()).message(r.message()).build());
    }
    PutLogEventsResponse response;
    attempts.reset();
    try {
      response = logs.putLogEvents(r -> r.logGroupName(group).logStreamName(stream).logEvents(events));
    } catch (DataAlreadyAcceptedException e) {
      return PutResult.STORED;
    } catch (ResourceNotFoundException e) {
      // Either the stream or the group; the caller re-creates the stream, which tells them apart.
      throw new DeliveryFailure(Kind.LOG_STREAM_MISSING, "log stream '" + stream + "' of log group '" + group
          + "' not found for tenant '" + tenant + "'", e);
    } catch (RuntimeException e) {
      throw classify(e, "PutLogEvents " + group + " " + stream);
    }
    boolean resent = attempts.count() > 1;
    RejectedLogEventsInfo info = response.rejectedLogEventsInfo();
    if (info == null) {
      return resent ? new PutResult(null, null, null, true) : PutResult.STORED;
    }
    return new PutResult(info.tooOldLogEventEndIndex(), info.tooNewLogEventStartIndex(), info.expiredLogEventEndIndex(), resent);
  }

  private DeliveryFailure groupMissing(Exception e) {
    return new DeliveryFailure(Kind.LOG_GROUP_MISSING, "log group '" + bundle.logGroupName() + "' does not exist in "
        + bundle.region() + " (tenant '" + tenant + "', role " + bundle.roleArn() + "): the customer creates it"
        + " with the role of its hand-off bundle; events are kept and retried", e);
  }

  private DeliveryFailure roleFailure(Throwable e) {
    return new DeliveryFailure(Kind.ROLE, "cannot assume the log role " + bundle.roleArn() + " of tenant '" + tenant
        + "' with the hand-off bundle's external ID: " + describe(e)
        + " (check the role's trust policy names the vendor account and the external ID); events are kept and retried", e);
  }

  private DeliveryFailure classify(RuntimeException e, String call) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StsException) {
        return roleFailure(t);
      }
    }
    String where = call + " for tenant '" + tenant + "' as " + bundle.roleArn() + ": " + describe(e);
    if (e instanceof InvalidParameterException) {
      return new DeliveryFailure(Kind.INVALID_REQUEST, where, e);
    }
    if (e instanceof SdkServiceException) {
      SdkServiceException s = (SdkServiceException) e;
      String code = e instanceof AwsServiceException && ((AwsServiceException) e).awsErrorDetails() != null
          ? ((AwsServiceException) e).awsErrorDetails().errorCode() : null;
      if (s.isThrottlingException() || s.statusCode() >= 500 || s.statusCode() == 0) {
        return new DeliveryFailure(Kind.TRANSIENT, where, e);
      }
      if (s.statusCode() == 403 || "AccessDeniedException".equals(code) || "UnrecognizedClientException".equals(code)) {
        return new DeliveryFailure(Kind.ACCESS_DENIED, where
            + " (the role's policy must allow logs:CreateLogStream, logs:DescribeLogStreams and logs:PutLogEvents on the group and its streams)", e);
      }
      if ("ValidationException".equals(code) || "SerializationException".equals(code)) {
        return new DeliveryFailure(Kind.INVALID_REQUEST, where, e);
      }
      return new DeliveryFailure(Kind.TRANSIENT, where, e);
    }
    if (e instanceof SdkClientException || e instanceof SdkException) {
      return new DeliveryFailure(Kind.TRANSIENT, where, e);
    }
    return new DeliveryFailure(Kind.TRANSIENT, where, e);
  }

  /** The error code and message of an SDK error, without request details. */
  static String describe(Throwable e) {
    if (e instanceof AwsServiceException && ((AwsServiceException) e).awsErrorDetails() != null) {
      AwsServiceException a = (AwsServiceException) e;
      return a.awsErrorDetails().errorCode() + " (HTTP " + a.statusCode() + "): " + a.awsErrorDetails().errorMessage();
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  @Override
  public void close() {
    logs.close();
    credentials.close();
    if (ownedSts != null) {
      ownedSts.close();
    }
  }
}
