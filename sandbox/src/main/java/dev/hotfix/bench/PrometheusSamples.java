package dev.hotfix.bench;

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
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Reads raw samples back from Prometheus: when a metric fault became observable, i.e. the
 * timestamp of the first scrape that held a non-zero 5xx count for one of the bad image's pods.
 * Prometheus stamps each sample with the time its scrape started, on this machine's clock.
 */
final class PrometheusSamples {
  private final URI baseUrl;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();

  PrometheusSamples(URI baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** The first scrape with 5xx answers from one of {@code pods} of Deployment {@code deployment}. */
  Optional<Instant> firstErrors(String deployment, Set<String> pods) throws IOException, InterruptedException {
    String query = "http_requests_total{namespace=\"" + Workloads.NAMESPACE + "\",deployment=\"" + deployment
        + "\",code=~\"5..\"}[10m]";
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/query?query="
        + URLEncoder.encode(query, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("Prometheus answered " + response.statusCode() + " to " + query + ": " + response.body());
    }
    Optional<Instant> first = Optional.empty();
    for (JsonNode series : json.readTree(response.body()).path("data").path("result")) {
      if (!pods.contains(series.path("metric").path("pod").asText())) {
        continue;
      }
      for (JsonNode sample : series.path("values")) {
        if (Double.parseDouble(sample.get(1).asText()) > 0) {
          Instant at = Instant.ofEpochMilli(Math.round(sample.get(0).asDouble() * 1000));
          first = first.isEmpty() || at.isBefore(first.get()) ? Optional.of(at) : first;
          break;
        }
      }
    }
    return first;
  }
}
