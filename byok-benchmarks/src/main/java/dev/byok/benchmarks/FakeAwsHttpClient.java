package dev.byok.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An in-process HTTP client for the AWS SDK that answers STS AssumeRole (query protocol, XML) and
 * every CloudWatch Logs call (JSON protocol: CreateLogStream, PutLogEvents, ... all succeed with
 * {@code {}}), so the CloudWatch Logs audit sink runs its whole SDK path with no network. Counts
 * PutLogEvents calls and the request bytes they carried. For benchmarks and tests. Thread-safe.
 */
public final class FakeAwsHttpClient implements SdkHttpClient {
  private static final String ASSUME_ROLE_XML =
      "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>"
      + "<Credentials><AccessKeyId>ASIAFAKEFAKEFAKEFAKE</AccessKeyId><SecretAccessKey>fake-secret</SecretAccessKey>"
      + "<SessionToken>fake-session-token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>"
      + "<AssumedRoleUser><AssumedRoleId>AROAFAKEFAKEFAKE:byok</AssumedRoleId>"
      + "<Arn>arn:aws:sts::" + FakeKms.ACCOUNT + ":assumed-role/audit/byok</Arn></AssumedRoleUser>"
      + "</AssumeRoleResult><ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata></AssumeRoleResponse>";

  private final AtomicLong requestIds = new AtomicLong();
  private final LongAdder putLogEventsCalls = new LongAdder();
  private final LongAdder putLogEventsBytes = new LongAdder();
  private final LongAdder otherCalls = new LongAdder();

  public long putLogEventsCalls() {
    return putLogEventsCalls.sum();
  }

  /** Request-body bytes of all PutLogEvents calls. */
  public long putLogEventsBytes() {
    return putLogEventsBytes.sum();
  }

  /** Every call that was not PutLogEvents (AssumeRole, CreateLogStream, ...). */
  public long otherCalls() {
    return otherCalls.sum();
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() {
        return answer(request);
      }

      @Override
      public void abort() {
        // answers are immediate
      }
    };
  }

  private HttpExecuteResponse answer(HttpExecuteRequest request) {
    byte[] body = request.contentStreamProvider().map(p -> readAll(p.newStream())).orElse(new byte[0]);
    String requestId = "00000000-0000-4000-9000-" + String.format("%012x", requestIds.incrementAndGet());
    List<String> target = request.httpRequest().headers().getOrDefault("X-Amz-Target", List.of());
    String contentType;
    String response;
    if (!target.isEmpty()) {
      if (target.get(0).endsWith(".PutLogEvents")) {
        putLogEventsCalls.increment();
        putLogEventsBytes.add(body.length);
      } else {
        otherCalls.increment();
      }
      contentType = "application/x-amz-json-1.1";
      response = "{}";
    } else {
      otherCalls.increment();
      contentType = "text/xml";
      response = String.format(ASSUME_ROLE_XML, requestId);
    }
    byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
    SdkHttpResponse http = SdkHttpResponse.builder().statusCode(200)
        .headers(Map.of("Content-Type", List.of(contentType), "x-amzn-RequestId", List.of(requestId),
            "Content-Length", List.of(Integer.toString(bytes.length))))
        .build();
    return HttpExecuteResponse.builder().response(http)
        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes))).build();
  }

  private static byte[] readAll(InputStream in) {
    try (InputStream s = in) {
      return s.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String clientName() {
    return "FakeAwsHttpClient";
  }

  @Override
  public void close() {
    // nothing to release
  }
}
