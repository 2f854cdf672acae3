package dev.byok.provisioning;

import java.net.URI;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The AWS SDK v2 clients provisioning uses (KMS, IAM, S3, CloudTrail, CloudWatch Logs, STS, and for
 * key events EventBridge, SNS and SQS),
 * built with one region, one credentials provider and optional endpoint overrides, for all services
 * or one ({@code --endpoint-url URL}, {@code --endpoint-url s3=URL}), so tests can point them at
 * an emulator.
 *
 * <pre>{@code
 * try (AwsClients aws = AwsClients.builder().region("us-east-1").build()) { ... }
 * }</pre>
 *
 * <p>Region and credentials default to the SDK's default provider chains. Execution interceptors
 * (for example one that injects a failure) are added to every client. Owns the clients and their
 * HTTP client: {@link #close()} closes them. Thread-safe, like the SDK clients.
 */
public final class AwsClients implements AutoCloseable {
  /** The services, with the names {@code --endpoint-url SERVICE=URL} accepts. */
  public enum Service {
    /** AWS KMS. */
    KMS("kms"),
    /** AWS IAM. */
    IAM("iam"),
    /** Amazon S3. */
    S3("s3"),
    /** AWS CloudTrail. */
    CLOUDTRAIL("cloudtrail"),
    /** Amazon CloudWatch Logs. */
    LOGS("logs"),
    /** AWS STS. */
    STS("sts"),
    /** Amazon EventBridge. */
    EVENTS("events"),
    /** Amazon SNS. */
    SNS("sns"),
    /** Amazon SQS. */
    SQS("sqs");

    private final String id;

    Service(String id) {
      this.id = id;
    }

    /** The service's name in {@code --endpoint-url SERVICE=URL}. */
    public String id() {
      return id;
    }

    /** Parses a service name; {@code cloudwatchlogs} is accepted for {@code logs}. */
    public static Service parse(String s) {
      String l = s.strip().toLowerCase(Locale.ROOT);
      if (l.equals("cloudwatchlogs") || l.equals("cloudwatch-logs")) {
        return LOGS;
      }
      if (l.equals("eventbridge")) {
        return EVENTS;
      }
      for (Service v : values()) {
        if (v.id.equals(l)) {
          return v;
        }
      }
      throw new IllegalArgumentException("unknown service '" + s + "' (expected one of kms, iam, s3, cloudtrail, logs, sts, events, sns, sqs)");
    }
  }

  private final SdkHttpClient http;
  private final KmsClient kms;
  private final IamClient iam;
  private final S3Client s3;
  private final CloudTrailClient cloudTrail;
  private final CloudWatchLogsClient logs;
  private final StsClient sts;
  private final EventBridgeClient eventBridge;
  private final SnsClient sns;
  private final SqsClient sqs;
  private final @Nullable Region region;

  private AwsClients(Builder b) {
    this.region = b.region != null ? Region.of(b.region) : null;
    Map<Service, URI> endpoints = b.endpoints();
    this.http = ApacheHttpClient.builder().build();
    try {
      this.kms = configure(KmsClient.builder(), b, Service.KMS).build();
      this.iam = configure(IamClient.builder(), b, Service.IAM).build();
      this.s3 = configure(S3Client.builder(), b, Service.S3).forcePathStyle(endpoints.containsKey(Service.S3)).build();
      this.cloudTrail = configure(CloudTrailClient.builder(), b, Service.CLOUDTRAIL).build();
      this.logs = configure(CloudWatchLogsClient.builder(), b, Service.LOGS).build();
      this.sts = configure(StsClient.builder(), b, Service.STS).build();
      this.eventBridge = configure(EventBridgeClient.builder(), b, Service.EVENTS).build();
      this.sns = configure(SnsClient.builder(), b, Service.SNS).build();
      this.sqs = configure(SqsClient.builder(), b, Service.SQS).build();
    } catch (RuntimeException e) {
      http.close();
      throw e;
    }
  }

  private <B extends AwsClientBuilder<B, C> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>, C> B configure(
      B builder, Builder b, Service service) {
    builder.httpClient(http);
    builder.credentialsProvider(b.credentials != null ? b.credentials : DefaultCredentialsProvider.builder().build());
    Map<Service, URI> endpoints = b.endpoints();
    if (service == Service.IAM && b.region != null && endpoints.get(Service.IAM) == null) {
      // IAM is global: its endpoint lives in aws-global (or the partition's global region).
      builder.region(b.region.startsWith("cn-") ? Region.AWS_CN_GLOBAL : b.region.startsWith("us-gov-") ? Region.AWS_US_GOV_GLOBAL : Region.AWS_GLOBAL);
    } else if (b.region != null) {
      builder.region(Region.of(b.region));
    }
    URI endpoint = endpoints.get(service);
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    ClientOverrideConfiguration.Builder o = ClientOverrideConfiguration.builder();
    b.interceptors.forEach(o::addExecutionInterceptor);
    builder.overrideConfiguration(o.build());
    return builder;
  }

  /** A builder; every value is optional. */
  public static Builder builder() {
    return new Builder();
  }

  /** The KMS client. */
  public KmsClient kms() { return kms; }
  /** The IAM client (the partition's global endpoint unless overridden). */
  public IamClient iam() { return iam; }
  /** The S3 client (path-style addressing when its endpoint is overridden). */
  public S3Client s3() { return s3; }
  /** The CloudTrail client. */
  public CloudTrailClient cloudTrail() { return cloudTrail; }
  /** The CloudWatch Logs client. */
  public CloudWatchLogsClient logs() { return logs; }
  /** The STS client. */
  public StsClient sts() { return sts; }
  /** The EventBridge client (key events: the customer's rule, the vendor's bus). */
  public EventBridgeClient eventBridge() { return eventBridge; }
  /** The SNS client (the vendor's key-event fan-out). */
  public SnsClient sns() { return sns; }
  /** The SQS client (the vendor's instance queues). */
  public SqsClient sqs() { return sqs; }

  /** The region given to the builder, or null when the SDK's default region chain decides. */
  public @Nullable Region region() { return region; }

  @Override
  public void close() {
    kms.close();
    iam.close();
    s3.close();
    cloudTrail.close();
    logs.close();
    sts.close();
    eventBridge.close();
    sns.close();
    sqs.close();
    http.close();
  }

  /**
   * Builds {@link AwsClients}. Every value is optional and may be set once ({@link IllegalStateException}
   * on a second set: the endpoint for all services once, each service's own endpoint once).
   */
  public static final class Builder {
    private @Nullable String region;
    private @Nullable AwsCredentialsProvider credentials;
    private @Nullable URI defaultEndpoint;
    private final Map<Service, URI> serviceEndpoints = new EnumMap<>(Service.class);
    private final List<ExecutionInterceptor> interceptors = new ArrayList<>();
    private final Once once = new Once("clients");

    private Builder() {}

    /** The region; unset means the SDK's default region provider chain. */
    public Builder region(String v) {
      Objects.requireNonNull(v, "region");
      once.set("region");
      this.region = v;
      return this;
    }

    /** The credentials; unset means the SDK's default credentials provider chain. */
    public Builder credentials(AwsCredentialsProvider v) {
      Objects.requireNonNull(v, "credentials");
      once.set("credentials");
      this.credentials = v;
      return this;
    }

    /** One endpoint for every service (an emulator such as moto); a service's own endpoint wins over it. */
    public Builder endpoint(URI uri) {
      Objects.requireNonNull(uri, "endpoint");
      once.set("endpoint");
      this.defaultEndpoint = uri;
      return this;
    }

    /** The endpoint of one service; wins over {@link #endpoint(URI)} for it, whichever is set first. */
    public Builder endpoint(Service service, URI uri) {
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(uri, "endpoint");
      once.set("endpoint of " + service.id());
      serviceEndpoints.put(service, uri);
      return this;
    }

    /** The endpoint of each service that has one. */
    private Map<Service, URI> endpoints() {
      Map<Service, URI> m = new EnumMap<>(Service.class);
      for (Service s : Service.values()) {
        URI u = serviceEndpoints.containsKey(s) ? serviceEndpoints.get(s) : defaultEndpoint;
        if (u != null) {
          m.put(s, u);
        }
      }
      return m;
    }

    /**
     * Applies one {@code --endpoint-url} value: {@code URL} for all services or {@code SERVICE=URL} for one.
     *
     * @throws IllegalArgumentException naming the service or URL that is wrong
     */
    public Builder endpointOverride(String value) {
      int eq = value.indexOf('=');
      int scheme = value.indexOf("://");
      if (eq > 0 && (scheme < 0 || eq < scheme)) {
        return endpoint(Service.parse(value.substring(0, eq)), uri(value.substring(eq + 1)));
      }
      return endpoint(uri(value));
    }

    private static URI uri(String s) {
      if (!s.contains("://")) {
        throw new IllegalArgumentException("endpoint URL '" + s + "' has no scheme: write http://" + s.strip()
            + " (or https://)");
      }
      try {
        URI u = new URI(s.strip());
        if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null) {
          throw new IllegalArgumentException("endpoint URL must be http(s)://host[:port], got '" + s + "'");
        }
        return u;
      } catch (java.net.URISyntaxException e) {
        throw new IllegalArgumentException("endpoint URL '" + s + "' is not a URL: " + e.getMessage(), e);
      }
    }

    /** Adds an interceptor to every client (tests use one to inject failures). */
    public Builder addInterceptor(ExecutionInterceptor i) {
      interceptors.add(Objects.requireNonNull(i, "interceptor"));
      return this;
    }

    /** Builds the clients and their shared HTTP client. */
    public AwsClients build() {
      return new AwsClients(this);
    }
  }
}
