package dev.hotfix.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotfix.outbound.EndpointGuard;
import dev.hotfix.outbound.OutboundFailure;
import dev.hotfix.outbound.OutboundHttp;
import dev.hotfix.outbound.OutboundRefused;
import dev.hotfix.outbound.PinnedEndpoint;
import dev.hotfix.tls.PemTrust;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The Prometheus provider: instant queries through {@code /api/v1/query}, through the operator's
 * {@link EndpointGuard} (public or allowed addresses only, resolved once and pinned) and
 * {@link OutboundHttp} (one deadline for the whole exchange, the body capped), with optional basic
 * or bearer credentials (sent only to allowed endpoints) and an optional custom CA for TLS. Error
 * messages are fixed and short: they name the failure, never the response body or credentials.
 */
public final class PrometheusApi implements MetricSource {
  /** Prometheus' own error types: a known word may be named, anything else the server says is not. */
  private static final Set<String> ERROR_TYPES = Set.of("bad_data", "execution", "timeout", "canceled", "internal",
      "unavailable", "not_found");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI url;
  private final Optional<String> authorization;
  private final OutboundHttp.Limits limits;
  private final EndpointGuard guard;
  private final OutboundHttp http;

  /**
   * @param url the base URL, e.g. {@code https://prometheus.monitoring:9090} (a path prefix is kept;
   *     user info, a query or a fragment are refused)
   * @param authorization the {@code Authorization} header value, from {@link #basic} or {@link #bearer}
   * @param caPem PEM certificates that sign the server's certificate, instead of the JVM's trust store
   * @param limits how long one query may take in all, and the largest answer read
   * @param guard which addresses may be called
   * @throws dev.hotfix.outbound.OutboundRefused when the URL's form is refused
   */
  public PrometheusApi(URI url, Optional<String> authorization, Optional<String> caPem, OutboundHttp.Limits limits,
      EndpointGuard guard) {
    this.url = EndpointGuard.baseUrl(url.toString(), "the Prometheus URL");
    this.authorization = authorization;
    this.limits = limits;
    this.guard = guard;
    this.http = caPem.map(pem -> new OutboundHttp(PemTrust.sslContext(pem))).orElseGet(OutboundHttp::withDefaultTrust);
  }

  /** The header value for basic authentication. */
  public static String basic(String username, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** The header value for a bearer token. */
  public static String bearer(String token) {
    return "Bearer " + token.strip();
  }

  @Override
  public String endpoint() {
    return url.getScheme() + "://" + where();
  }

  @Override
  public OptionalDouble query(String query) {
    PinnedEndpoint endpoint;
    try {
      endpoint = guard.pin(url, "the Prometheus URL");
    } catch (OutboundRefused e) {
      throw new MetricSourceException(e.getMessage(), false);
    }
    if (authorization.isPresent() && !endpoint.trusted()) {
      throw new MetricSourceException("credentials are sent only to allowed endpoints: allow " + endpoint.host()
          + " with run --allow-endpoint (chart value outbound.allowEndpoints)", false);
    }
    Map<String, String> headers = authorization.map(a -> Map.of("Authorization", a)).orElse(Map.of());
    OutboundHttp.Response response;
    try {
      response = http.exchange(endpoint, "GET", endpoint.target("/api/v1/query", Map.of("query", query)), headers,
          null, limits);
    } catch (OutboundFailure e) {
      throw new MetricSourceException("Prometheus at " + where() + ": " + e.getMessage(), false);
    }
    return valueOf(response);
  }

  private OptionalDouble valueOf(OutboundHttp.Response response) {
    int code = response.status();
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new MetricSourceException("HTTP " + code + " from Prometheus at " + where() + " with a body that is not "
          + "its JSON API", false);
    }
    if (body == null || !"success".equals(body.path("status").asText())) {
      String errorType = body == null ? "" : body.path("errorType").asText();
      // 400 bad_data is Prometheus refusing the PromQL itself (parse error, wrong types).
      boolean rejected = code == 400 || "bad_data".equals(errorType);
      throw new MetricSourceException("HTTP " + code + (ERROR_TYPES.contains(errorType) ? " " + errorType : "")
          + " from Prometheus at " + where(), rejected);
    }
    JsonNode data = body.path("data");
    JsonNode result = data.path("result");
    return switch (data.path("resultType").asText()) {
      case "scalar" -> OptionalDouble.of(sample(result));
      case "vector" -> {
        if (result.isEmpty()) {
          yield OptionalDouble.empty();
        }
        if (result.size() > 1) {
          throw new MetricSourceException("the query returned " + result.size() + " series where one is expected: "
              + "aggregate it, e.g. sum(...) or sum by () (...)", false);
        }
        yield OptionalDouble.of(sample(result.get(0).path("value")));
      }
      default -> throw new MetricSourceException("the query returned a " + data.path("resultType").asText()
          + ", not a scalar or an instant vector", true);
    };
  }

  /** A {@code [time, "value"]} pair's value; Prometheus spells special floats NaN, +Inf and -Inf. */
  private static double sample(JsonNode pair) {
    String text = pair.path(1).asText();
    try {
      return switch (text) {
        case "NaN" -> Double.NaN;
        case "+Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        default -> Double.parseDouble(text);
      };
    } catch (NumberFormatException e) {
      throw new MetricSourceException("Prometheus answered a sample that is not a number", false);
    }
  }

  /** Host and port only: a URL may carry user info, which must not reach status. */
  private String where() {
    return url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
  }

  /** Names the endpoint without credentials. */
  @Override
  public String toString() {
    return "Prometheus at " + where();
  }
}
