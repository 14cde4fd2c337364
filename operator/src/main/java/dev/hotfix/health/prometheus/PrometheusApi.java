package dev.hotfix.health.prometheus;

import dev.hotfix.health.MetricSource;
import dev.hotfix.health.MetricSourceException;
import dev.hotfix.outbound.EndpointGuard;
import dev.hotfix.outbound.OutboundFailure;
import dev.hotfix.outbound.OutboundHttp;
import dev.hotfix.outbound.OutboundRefused;
import dev.hotfix.outbound.PinnedEndpoint;
import dev.hotfix.tls.PemTrust;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The Prometheus provider: instant queries through {@code /api/v1/query}, through the operator's
 * {@link EndpointGuard} (public or allowed addresses only, resolved once and pinned) and
 * {@link OutboundHttp} (one deadline for the whole exchange, the body capped), with optional basic
 * or bearer credentials (sent only to allowed endpoints) and an optional custom CA for TLS. Error
 * messages are fixed and short: they name the failure, never the response body or credentials.
 */
public final class PrometheusApi implements MetricSource {
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
    return PrometheusAnswer.value(response.status(), response.body(), where());
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
