package dev.hotfix.sandbox.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * {@code GET /metrics} on loopback, answering whatever exposition text its source renders at
 * the moment of the scrape. Scrapes are answered one at a time on the server's own thread,
 * which is plenty for one Prometheus and a test or two.
 */
final class MetricsEndpoint implements AutoCloseable {

  private static final String PATH = "/metrics";

  private final HttpServer server;

  /** Binds {@code 127.0.0.1:port} (0 = a free port) and starts answering scrapes. */
  MetricsEndpoint(int port, Supplier<String> exposition) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
    }
    server.createContext(PATH, exchange -> answer(exchange, exposition));
    server.start();
  }

  private static void answer(HttpExchange exchange, Supplier<String> exposition)
      throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!PATH.equals(exchange.getRequestURI().getPath())) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      if (!"GET".equals(method) && !"HEAD".equals(method)) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = exposition.get().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", ExpositionFormat.CONTENT_TYPE);
      if ("HEAD".equals(method)) {
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Where Prometheus scrapes, e.g. {@code http://127.0.0.1:40123/metrics}. */
  URI uri() {
    InetSocketAddress address = server.getAddress();
    return URI.create(
        "http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + PATH);
  }

  /** Stops listening; a scrape in flight is cut off rather than waited for. */
  @Override
  public void close() {
    server.stop(0);
  }
}
