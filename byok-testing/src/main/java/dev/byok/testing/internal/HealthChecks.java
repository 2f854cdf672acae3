package dev.byok.testing.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * HTTP probes that tell when an emulator serves requests, always on 127.0.0.1 and never through
 * a proxy.
 *
 * <p>Thread-safe.
 */
public final class HealthChecks {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .proxy(HttpClient.Builder.NO_PROXY)
          .connectTimeout(CONNECT_TIMEOUT)
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  private HealthChecks() {}

  /** moto answers {@code GET /moto-api/} once its server is up. */
  public static boolean motoAnswers(int port) throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(loopback(port, "/moto-api/")).timeout(REQUEST_TIMEOUT).GET().build();
    return status(request) == 200;
  }

  /** local-kms answers a KMS {@code ListKeys} call once its server and database are up. */
  public static boolean localKmsAnswers(int port) throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(loopback(port, "/"))
            .timeout(REQUEST_TIMEOUT)
            .header("X-Amz-Target", "TrentService.ListKeys")
            .header("Content-Type", "application/x-amz-json-1.1")
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build();
    return status(request) == 200;
  }

  /**
   * Sends {@code POST /moto-api/reset}, which empties every moto backend.
   *
   * @throws IllegalStateException if moto does not answer 200
   */
  public static void resetMoto(URI motoEndpoint) throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(motoEndpoint.resolve("/moto-api/reset"))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    HttpResponse<String> response;
    try {
      response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("moto reset at " + request.uri() + " failed: " + e, e);
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "moto reset at "
              + request.uri()
              + " answered HTTP "
              + response.statusCode()
              + ": "
              + response.body());
    }
  }

  /** The URI of {@code path} on 127.0.0.1:{@code port}. */
  public static URI loopback(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static int status(HttpRequest request) throws InterruptedException {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    }
  }
}
