package dev.hotfix.sandbox.prometheus;

import dev.hotfix.health.MetricSourceException;
import dev.hotfix.health.prometheus.PrometheusAnswer;
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
 * reduce to one number (read by {@link PrometheusAnswer}, as the operator's provider reads them).
 * Every call gives up after {@value #TIMEOUT_SECONDS} seconds. It calls the sandbox's own loopback
 * Prometheus, so none of the provider's outbound guards apply.
 */
public final class PrometheusClient {

  private static final int TIMEOUT_SECONDS = 5;
  private static final Duration TIMEOUT = Duration.ofSeconds(TIMEOUT_SECONDS);

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
    HttpResponse<byte[]> response;
    try {
      response =
          get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new PrometheusQueryException("Prometheus at " + baseUrl + " did not answer: " + e, e);
    }
    try {
      return PrometheusAnswer.value(response.statusCode(), response.body(), baseUrl.getAuthority());
    } catch (MetricSourceException e) {
      throw new PrometheusQueryException("the query " + promql + ": " + e.getMessage(), e);
    }
  }

  private HttpResponse<byte[]> get(String pathAndQuery) throws IOException {
    // Appended, not resolved, so a base URL with a path prefix keeps it.
    String base = baseUrl.toString().replaceAll("/+$", "");
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(TIMEOUT).GET().build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for Prometheus", e);
    }
  }
}
