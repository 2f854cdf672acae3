package dev.byok.testing;

import dev.byok.testing.internal.EmulatorProcess;
import dev.byok.testing.internal.HealthChecks;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A toxiproxy server (Shopify's TCP fault proxy) on 127.0.0.1, started from the tools folder that
 * {@code ./scripts/install-emulators} fills ({@code bin/toxiproxy-server}), and a small client of
 * its HTTP API: proxies in front of the emulators, toxics (latency, reset_peer, timeout, bandwidth,
 * ...) added and removed, proxies disabled for an outage.
 *
 * <pre>{@code
 * try (Toxiproxy toxi = Toxiproxy.start(toolsDir, logDir, 42)) {
 *   Toxiproxy.Proxy kms = toxi.proxy("kms", emulators.localKmsEndpoint().getPort());
 *   kms.addToxic(Toxiproxy.Toxic.latency("slow", 500, 100));   // clients now use kms.endpoint()
 *   kms.enabled(false);                                        // an outage: connections refused
 * }
 * }</pre>
 *
 * <p>Thread-safe (each call is one HTTP request). {@link #close()} stops the server.
 */
public final class Toxiproxy implements AutoCloseable {
  /** toxiproxy's name in messages and logs. */
  public static final String NAME = "toxiproxy";

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final Pattern LISTEN = Pattern.compile("\"listen\"\\s*:\\s*\"[^\"]*:(\\d+)\"");

  private final EmulatorProcess process;
  private final URI api;
  private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
      .connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1).build();

  private Toxiproxy(EmulatorProcess process) {
    this.process = process;
    this.api = HealthChecks.loopback(process.port(), "");
  }

  /** Where the installer puts the server. */
  public static Path serverBinary(Path toolsDir) {
    return toolsDir.resolve("bin").resolve("toxiproxy-server");
  }

  /**
   * Starts the server on a free loopback port and waits until its API answers.
   *
   * @param seed the seed of the server's random choices (toxicity, jitter), for repeatable runs
   * @throws IllegalStateException if the binary is missing (naming the install command) or the
   *     server does not answer
   */
  public static Toxiproxy start(Path toolsDir, Path logDir, long seed) throws InterruptedException {
    Path binary = serverBinary(toolsDir);
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException("toxiproxy is not installed or not executable: " + binary
          + ". Install it with " + EmulatorProcess.INSTALL_COMMAND + " (from the repository root).");
    }
    EmulatorProcess.Spec spec = new EmulatorProcess.Spec(NAME, binary,
        port -> List.of("-host", "127.0.0.1", "-port", Integer.toString(port), "-seed", Long.toString(seed)),
        port -> Map.of(), Toxiproxy::answers);
    return new Toxiproxy(EmulatorProcess.start(spec, logDir, EmulatorProcess.Timing.system(Duration.ofSeconds(30))));
  }

  private static boolean answers(int port) throws InterruptedException {
    HttpClient c = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(1)).build();
    try {
      return c.send(HttpRequest.newBuilder(HealthChecks.loopback(port, "/version")).timeout(Duration.ofSeconds(3)).GET().build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** The API's base URI. */
  public URI api() {
    return api;
  }

  /** The server's log file. */
  public Path logFile() {
    return process.logFile();
  }

  /** Whether the server process still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Creates a proxy named {@code name} that listens on a free loopback port and forwards to
   * {@code 127.0.0.1:upstreamPort}, enabled and without toxics.
   *
   * @throws IllegalStateException if the API refuses (e.g. the name is taken)
   */
  public Proxy proxy(String name, int upstreamPort) {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new IllegalArgumentException("proxy name: expected [A-Za-z0-9_-]{1,64}, got '" + name + "'");
    }
    String body = call("POST", "/proxies", "{\"name\":\"" + name + "\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:"
        + upstreamPort + "\",\"enabled\":true}", 201);
    Matcher m = LISTEN.matcher(body);
    if (!m.find()) {
      throw new IllegalStateException("toxiproxy: no listen port in the answer to creating proxy " + name + ": " + body);
    }
    return new Proxy(name, Integer.parseInt(m.group(1)));
  }

  private String call(String method, String path, String body, int expected) {
    HttpRequest.Builder r = HttpRequest.newBuilder(api.resolve(path)).timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/json");
    r = body == null ? r.method(method, HttpRequest.BodyPublishers.noBody())
        : r.method(method, HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> res = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
      if (res.statusCode() != expected && !(expected == 200 && res.statusCode() == 204)) {
        throw new IllegalStateException("toxiproxy: " + method + " " + path + " answered " + res.statusCode() + ": " + res.body());
      }
      return res.body();
    } catch (IOException e) {
      throw new IllegalStateException("toxiproxy: " + method + " " + path + " failed: " + e + "; log: " + process.logFile(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("toxiproxy: interrupted during " + method + " " + path, e);
    }
  }

  /** Stops the server. */
  @Override
  public void close() {
    process.close();
  }

  @Override
  public String toString() {
    return "Toxiproxy{api=" + api + "}";
  }

  /** One proxy of this server. Thread-safe. */
  public final class Proxy {
    private final String name;
    private final int listenPort;

    private Proxy(String name, int listenPort) {
      this.name = name;
      this.listenPort = listenPort;
    }

    /** The proxy's name. */
    public String name() {
      return name;
    }

    /** The loopback port clients connect to. */
    public int listenPort() {
      return listenPort;
    }

    /** {@code http://127.0.0.1:<listenPort>}, for an SDK client's endpoint override. */
    public URI endpoint() {
      return HealthChecks.loopback(listenPort, "");
    }

    /** Enables the proxy, or disables it: open connections are closed and new ones refused. */
    public void enabled(boolean enabled) {
      call("POST", "/proxies/" + name, "{\"enabled\":" + enabled + "}", 200);
    }

    /** Adds a toxic. */
    public void addToxic(Toxic toxic) {
      call("POST", "/proxies/" + name + "/toxics", toxic.toJson(), 200);
    }

    /** Removes the toxic named {@code toxicName}. */
    public void removeToxic(String toxicName) {
      call("DELETE", "/proxies/" + name + "/toxics/" + toxicName, null, 204);
    }

    @Override
    public String toString() {
      return "Toxiproxy.Proxy{" + name + " on 127.0.0.1:" + listenPort + "}";
    }
  }

  /**
   * A toxic: its name, type ({@code latency}, {@code reset_peer}, {@code timeout},
   * {@code bandwidth}, {@code slow_close}, {@code limit_data}, {@code slicer}), direction
   * ({@code downstream}: server to client; {@code upstream}: client to server), toxicity (the share
   * of connections it applies to) and integer attributes.
   */
  public record Toxic(String name, String type, String stream, double toxicity, Map<String, Long> attributes) {
    public Toxic {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
      if (!"downstream".equals(stream) && !"upstream".equals(stream)) {
        throw new IllegalArgumentException("stream: expected downstream or upstream, got '" + stream + "'");
      }
      if (!(toxicity >= 0 && toxicity <= 1)) {
        throw new IllegalArgumentException("toxicity: expected 0..1, got " + toxicity);
      }
      attributes = Map.copyOf(attributes);
    }

    /** Adds {@code latencyMs} (plus or minus {@code jitterMs}) to data from the server. */
    public static Toxic latency(String name, long latencyMs, long jitterMs) {
      return new Toxic(name, "latency", "downstream", 1.0, Map.of("latency", latencyMs, "jitter", jitterMs));
    }

    /** Resets the connection (TCP RST) {@code afterMs} after data arrives, on a share of connections. */
    public static Toxic resetPeer(String name, long afterMs, double toxicity) {
      return new Toxic(name, "reset_peer", "upstream", toxicity, Map.of("timeout", afterMs));
    }

    /** Stops all data and closes the connection after {@code timeoutMs}. */
    public static Toxic timeout(String name, long timeoutMs, double toxicity) {
      return new Toxic(name, "timeout", "upstream", toxicity, Map.of("timeout", timeoutMs));
    }

    /** Limits data from the server to {@code kilobytesPerSecond}. */
    public static Toxic bandwidth(String name, long kilobytesPerSecond) {
      return new Toxic(name, "bandwidth", "downstream", 1.0, Map.of("rate", kilobytesPerSecond));
    }

    String toJson() {
      Map<String, Long> sorted = new TreeMap<>(attributes);
      StringBuilder a = new StringBuilder();
      sorted.forEach((k, v) -> a.append(a.length() == 0 ? "" : ",").append('"').append(k).append("\":").append(v));
      return "{\"name\":\"" + name + "\",\"type\":\"" + type + "\",\"stream\":\"" + stream + "\",\"toxicity\":"
          + String.format(Locale.ROOT, "%.3f", toxicity) + ",\"attributes\":{" + a + "}}";
    }
  }
}
