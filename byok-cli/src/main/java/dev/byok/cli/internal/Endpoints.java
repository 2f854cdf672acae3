package dev.byok.cli.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The AWS endpoints given with {@code --endpoint-url}: a bare URL applies to every service, and
 * {@code SERVICE=URL} to one ({@code kms}, {@code iam}, {@code sts}, {@code logs}, {@code s3},
 * {@code cloudtrail}, {@code events}, {@code sns}, {@code sqs}), e.g. local-kms for KMS and moto for the rest. Immutable and thread-safe.
 */
public final class Endpoints {
  /** The services an endpoint may be given for. */
  public static final Set<String> SERVICES = Set.of("kms", "iam", "sts", "logs", "s3", "cloudtrail", "events", "sns", "sqs");

  private final URI all;
  private final Map<String, URI> perService;

  private Endpoints(URI all, Map<String, URI> perService) {
    this.all = all;
    this.perService = Map.copyOf(perService);
  }

  /**
   * Parses the {@code --endpoint-url} values.
   *
   * @throws UsageException naming the value that is not a URL or names an unknown service
   */
  public static Endpoints parse(List<String> values) {
    URI all = null;
    Map<String, URI> per = new LinkedHashMap<>();
    for (String v : values == null ? List.<String>of() : values) {
      int eq = v.indexOf('=');
      int scheme = v.indexOf("://");
      if (eq > 0 && (scheme < 0 || eq < scheme)) {
        String service = v.substring(0, eq);
        if (!SERVICES.contains(service)) {
          throw new UsageException("--endpoint-url '" + Errors.oneLine(v) + "': unknown service '" + Errors.oneLine(service)
              + "' (expected one of " + new TreeSet<>(SERVICES) + ", or a URL for all)");
        }
        if (per.put(service, url(v.substring(eq + 1), v)) != null) {
          throw new UsageException("--endpoint-url: service '" + service + "' given twice");
        }
      } else {
        if (all != null) {
          throw new UsageException("--endpoint-url: two URLs for all services ('" + all + "' and '" + Errors.oneLine(v) + "')");
        }
        all = url(v, v);
      }
    }
    return new Endpoints(all, per);
  }

  private static URI url(String text, String given) {
    if (!text.contains("://")) {
      throw new UsageException("--endpoint-url '" + Errors.oneLine(given) + "': no scheme; write http://" + Errors.oneLine(text.strip()));
    }
    try {
      URI u = new URI(text);
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
        throw new UsageException("--endpoint-url '" + Errors.oneLine(given) + "': expected an http(s) URL such as http://127.0.0.1:4566");
      }
      return u;
    } catch (URISyntaxException e) {
      throw new UsageException("--endpoint-url '" + Errors.oneLine(given) + "': not a URL: " + e.getReason(), e);
    }
  }

  /** The endpoint of {@code service}: its own, else the one for all, else empty (AWS itself). */
  public Optional<URI> of(String service) {
    URI u = perService.get(service);
    return Optional.ofNullable(u != null ? u : all);
  }

  /** Whether any endpoint was given (the command then runs against emulators or a proxy, not AWS). */
  public boolean any() {
    return all != null || !perService.isEmpty();
  }

  @Override
  public String toString() {
    return "Endpoints{all=" + all + ", perService=" + perService + "}";
  }
}
