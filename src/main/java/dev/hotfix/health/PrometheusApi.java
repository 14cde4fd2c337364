package dev.hotfix.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotfix.tls.PemTrust;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The Prometheus provider: instant queries through {@code /api/v1/query}, with a short
 * timeout, optional basic or bearer credentials and an optional custom CA for TLS. Error
 * messages are short and safe for status: they name the failure, not the response body or
 * the credentials.
 */
public final class PrometheusApi implements MetricSource {
  /** The longest error text from Prometheus that makes it into a message. */
  private static final int ERROR_TEXT_LIMIT = 160;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI url;
  private final Optional<String> authorization;
  private final Duration timeout;
  private final HttpClient http;

  /**
   * @param url the base URL, e.g. {@code https://prometheus.monitoring:9090} (a path prefix is kept)
   * @param authorization the {@code Authorization} header value, from {@link #basic} or {@link #bearer}
   * @param caPem PEM certificates that sign the server's certificate, instead of the JVM's trust store
   * @param timeout how long one query may take in all
   */
  public PrometheusApi(URI url, Optional<String> authorization, Optional<String> caPem, Duration timeout) {
    this.url = url;
    this.authorization = authorization;
    this.timeout = timeout;
    HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout);
    caPem.ifPresent(pem -> builder.sslContext(PemTrust.sslContext(pem)));
    this.http = builder.build();
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
  public OptionalDouble query(String query) {
    String base = url.toString().replaceAll("/+$", "");
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/v1/query?query="
        + URLEncoder.encode(query, StandardCharsets.UTF_8))).timeout(timeout).GET();
    authorization.ifPresent(a -> request.header("Authorization", a));
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new MetricSourceException("Prometheus at " + where() + " did not answer within " + timeout.toSeconds()
          + "s", false);
    } catch (ConnectException e) {
      throw new MetricSourceException("Prometheus at " + where() + " unreachable: connection refused", false);
    } catch (IOException e) {
      throw new MetricSourceException("Prometheus at " + where() + " unreachable: " + e.getClass().getSimpleName(),
          false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MetricSourceException("interrupted while querying Prometheus", false);
    }
    return valueOf(response);
  }

  private OptionalDouble valueOf(HttpResponse<String> response) {
    int code = response.statusCode();
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new MetricSourceException("Prometheus answered HTTP " + code + " with a body that is not its JSON API",
          false);
    }
    if (body == null || !"success".equals(body.path("status").asText())) {
      String errorType = body == null ? "" : body.path("errorType").asText();
      // 400 bad_data is Prometheus refusing the PromQL itself (parse error, wrong types).
      boolean rejected = code == 400 || "bad_data".equals(errorType);
      throw new MetricSourceException("Prometheus answered HTTP " + code + (errorType.isEmpty() ? "" : " " + errorType)
          + ": " + trimmed(body == null ? "" : body.path("error").asText()), rejected);
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

  private static String trimmed(String text) {
    String oneLine = text.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= ERROR_TEXT_LIMIT ? oneLine : oneLine.substring(0, ERROR_TEXT_LIMIT) + "...";
  }

  /** Names the endpoint without credentials. */
  @Override
  public String toString() {
    return "Prometheus at " + where();
  }
}
