package dev.hotfix.metrics;

import com.sun.net.httpserver.HttpServer;
import dev.hotfix.http.EmbeddedHttpServer;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;

/**
 * The operator's HTTP endpoints, on two ports with their own threads: {@code /metrics}
 * (in the format the scraper's Accept header negotiates: OpenMetrics or Prometheus text 0.0.4)
 * on the metrics port, and the probes on the health port:
 * {@code /healthz} (the process is alive: answered by the process itself, so a hung JVM fails
 * it) and {@code /readyz} (what the caller's readiness says: for the operator, informers synced
 * and watching, whether leader or standby). Scrapers, however slow or many, only ever occupy the
 * metrics port's threads, so they cannot make the kubelet's liveness probe fail and restart the
 * pod. The metrics port answers the probes too, as it always did, for people and scripts; the
 * kubelet should probe the health port.
 */
public final class MetricsEndpoint implements AutoCloseable {
  /** A few concurrent scrapes (Prometheus replicas, a person with curl). */
  private static final int METRICS_THREADS = 4;
  /** The kubelet's liveness and readiness probes. */
  private static final int HEALTH_THREADS = 2;

  private final EmbeddedHttpServer metrics;
  private final EmbeddedHttpServer health;

  private MetricsEndpoint(EmbeddedHttpServer metrics, EmbeddedHttpServer health) {
    this.metrics = metrics;
    this.health = health;
  }

  /** Serves {@code /metrics} on {@code metricsAddress} and the probes on {@code healthAddress} until closed. */
  public static MetricsEndpoint start(InetSocketAddress metricsAddress, InetSocketAddress healthAddress,
      PrometheusMeterRegistry registry, BooleanSupplier ready) throws IOException {
    HttpServer scrapes = EmbeddedHttpServer.http(metricsAddress);
    ExpositionFormats formats = ExpositionFormats.init();
    scrapes.createContext("/metrics", exchange -> {
      // the format the scraper asks for: Prometheus 2.x/3.x prefer OpenMetrics, curl gets text 0.0.4
      String contentType = formats.findWriter(exchange.getRequestHeaders().getFirst("Accept")).getContentType();
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      registry.scrape(body, contentType);
      EmbeddedHttpServer.answer(exchange, 200, contentType, body.toByteArray());
    });
    serveProbes(scrapes, ready);
    EmbeddedHttpServer metricsServer = EmbeddedHttpServer.start(scrapes, "metrics-endpoint", METRICS_THREADS);
    try {
      HttpServer probes = EmbeddedHttpServer.http(healthAddress);
      serveProbes(probes, ready);
      return new MetricsEndpoint(metricsServer, EmbeddedHttpServer.start(probes, "health-endpoint", HEALTH_THREADS));
    } catch (IOException | RuntimeException e) {
      metricsServer.close();
      throw e;
    }
  }

  private static void serveProbes(HttpServer server, BooleanSupplier ready) {
    server.createContext("/healthz", exchange -> EmbeddedHttpServer.answer(exchange, 200, "text/plain", "ok\n"));
    server.createContext("/readyz", exchange -> {
      boolean isReady = ready.getAsBoolean();
      EmbeddedHttpServer.answer(exchange, isReady ? 200 : 503, "text/plain", isReady ? "ok\n" : "starting\n");
    });
  }

  /** The port of {@code /metrics} (useful when started on port 0). */
  public int port() {
    return metrics.port();
  }

  /** The port of the probes {@code /healthz} and {@code /readyz}. */
  public int healthPort() {
    return health.port();
  }

  @Override
  public void close() {
    health.close();
    metrics.close();
  }
}
