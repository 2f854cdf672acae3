package dev.byok.aws.kms;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.kms.model.DecryptRequest;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyRequest;

/**
 * An SDK {@link ExecutionInterceptor} in front of the emulator, for integration tests: records the
 * KeyId and encryption context of every GenerateDataKey and Decrypt request, and injects faults —
 * answers replaced by a 400 {@code ThrottlingException} (as KMS sends it), or requests sent to a
 * closed port (a real connection refusal). Thread-safe.
 */
public final class KmsFaults implements ExecutionInterceptor {
  /** What to inject. */
  public enum Mode { NONE, THROTTLE, REFUSE_CONNECTION }

  /** One recorded data-key request. */
  public static final class Recorded {
    public final String operation;
    public final String keyId;
    public final Map<String, String> encryptionContext;

    Recorded(String operation, String keyId, Map<String, String> encryptionContext) {
      this.operation = operation;
      this.keyId = keyId;
      this.encryptionContext = encryptionContext;
    }
  }

  private static final byte[] THROTTLING_BODY =
      "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded (injected)\"}".getBytes(StandardCharsets.UTF_8);

  private final int closedPort;
  private volatile Mode mode = Mode.NONE;
  private final List<Recorded> recorded = new CopyOnWriteArrayList<>();

  /** @param closedPort a loopback port nothing listens on */
  public KmsFaults(int closedPort) {
    this.closedPort = closedPort;
  }

  public void mode(Mode m) {
    this.mode = m;
  }

  public List<Recorded> recorded() {
    return List.copyOf(recorded);
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    SdkRequest r = context.request();
    if (r instanceof DecryptRequest) {
      DecryptRequest d = (DecryptRequest) r;
      recorded.add(new Recorded("Decrypt", d.keyId(), d.encryptionContext()));
    } else if (r instanceof GenerateDataKeyRequest) {
      GenerateDataKeyRequest g = (GenerateDataKeyRequest) r;
      recorded.add(new Recorded("GenerateDataKey", g.keyId(), g.encryptionContext()));
    }
  }

  @Override
  public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
    if (mode == Mode.REFUSE_CONNECTION) {
      return context.httpRequest().toBuilder().port(closedPort).build();
    }
    return context.httpRequest();
  }

  @Override
  public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
    if (mode == Mode.THROTTLE) {
      return context.httpResponse().toBuilder().statusCode(400).statusText("Bad Request")
          .putHeader("x-amzn-ErrorType", "ThrottlingException")
          .putHeader("Content-Length", Integer.toString(THROTTLING_BODY.length)).build();
    }
    return context.httpResponse();
  }

  @Override
  public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
    if (mode == Mode.THROTTLE) {
      return Optional.of(new ByteArrayInputStream(THROTTLING_BODY));
    }
    return context.responseBody();
  }
}
