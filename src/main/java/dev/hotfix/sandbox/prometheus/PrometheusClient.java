package dev.hotfix.sandbox.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A deliberately small client of Prometheus' HTTP API: readiness and instant queries that
 * reduce to one number. Every call gives up after {@value #TIMEOUT_SECONDS} seconds.
 */
public final class PrometheusClient {

  private static final int TIMEOUT_SECONDS = 5;
  private static final Duration TIMEOUT = Duration.ofSeconds(TIMEOUT_SECONDS);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI baseUrl;
  private final HttpClient http;

  /** A client of the Prometheus at {@code baseUrl}, e.g. {@code http://127.0.0.1:9090}. */
  public PrometheusClient(URI baseUrl) {
    this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();
  }

  /** Whether {@code /-/ready} answers 200: the TSDB is open and queries will be served. */
  public boolean isReady() {
    try {
      return get("/-/ready").statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Evaluates {@code promql} now, expecting at most one number.
   *
   * @return the value of the single sample or scalar (possibly NaN or infinite); empty when the
   *     result is an empty vector, which is "no data", not zero
   * @throws PrometheusQueryException when Prometheus is unreachable or slow, rejects the query,
   *     or returns several series or a non-numeric result
   */
  public OptionalDouble query(String promql) {
    HttpResponse<String> response;
    try {
      response =
          get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new PrometheusQueryException("Prometheus at " + baseUrl + " did not answer: " + e, e);
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new PrometheusQueryException(
          "Prometheus answered " + response.statusCode() + " with a body that is not JSON", e);
    }
    if (!"success".equals(body.path("status").asText())) {
      throw new PrometheusQueryException(
          "Prometheus refused the query " + promql + ": " + body.path("errorType").asText()
              + ": " + body.path("error").asText());
    }
    return singleNumber(promql, body.path("data"));
  }

  private static OptionalDouble singleNumber(String promql, JsonNode data) {
    String type = data.path("resultType").asText();
    JsonNode result = data.path("result");
    switch (type) {
      case "scalar":
        return OptionalDouble.of(sampleValue(result));
      case "vector":
        if (result.isEmpty()) {
          return OptionalDouble.empty();
        }
        if (result.size() > 1) {
          throw new PrometheusQueryException(
              "the query " + promql + " returned " + result.size()
                  + " series; aggregate it to one, e.g. with sum(...)");
        }
        return OptionalDouble.of(sampleValue(result.get(0).path("value")));
      default:
        throw new PrometheusQueryException(
            "the query " + promql + " returned a " + type + ", not a number");
    }
  }

  /** A {@code [timestamp, "value"]} pair's value, in Prometheus' spelling of special floats. */
  private static double sampleValue(JsonNode pair) {
    String text = pair.path(1).asText();
    return switch (text) {
      case "NaN" -> Double.NaN;
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  private HttpResponse<String> get(String pathAndQuery) throws IOException {
    // Appended, not resolved, so a base URL with a path prefix keeps it.
    String base = baseUrl.toString().replaceAll("/+$", "");
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(TIMEOUT).GET().build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for Prometheus", e);
    }
  }
}
