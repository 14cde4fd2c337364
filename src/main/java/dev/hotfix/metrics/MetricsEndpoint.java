package dev.hotfix.metrics;

import com.sun.net.httpserver.HttpServer;
import dev.hotfix.http.EmbeddedHttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;

/**
 * The operator's HTTP endpoint: {@code /metrics} (Prometheus text format), {@code /healthz}
 * (the process is alive: answered by the process itself, so a hung JVM fails it) and
 * {@code /readyz} (what the caller's readiness says: for the operator, informers synced and
 * watching, whether leader or standby).
 */
public final class MetricsEndpoint implements AutoCloseable {
  private final EmbeddedHttpServer server;

  private MetricsEndpoint(EmbeddedHttpServer server) {
    this.server = server;
  }

  /** Serves on {@code address} until closed. */
  public static MetricsEndpoint start(InetSocketAddress address, PrometheusMeterRegistry registry,
      BooleanSupplier ready) throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    server.createContext("/metrics", exchange -> EmbeddedHttpServer.answer(exchange, 200,
        "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
    server.createContext("/healthz", exchange -> EmbeddedHttpServer.answer(exchange, 200, "text/plain", "ok\n"));
    server.createContext("/readyz", exchange -> {
      boolean isReady = ready.getAsBoolean();
      EmbeddedHttpServer.answer(exchange, isReady ? 200 : 503, "text/plain", isReady ? "ok\n" : "starting\n");
    });
    return new MetricsEndpoint(EmbeddedHttpServer.start(server, "metrics-endpoint", 1));
  }

  /** The port it listens on (useful when started on port 0). */
  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
  }
}
