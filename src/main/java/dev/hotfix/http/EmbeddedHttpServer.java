package dev.hotfix.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A JDK {@link HttpServer} (or HttpsServer) the operator runs beside its reconciler, with its own
 * small pool of daemon threads: answering probes, scrapes and admission reviews must never wait
 * for reconciles, and must never keep the JVM alive on its own.
 */
public final class EmbeddedHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;

  private EmbeddedHttpServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts {@code server}, whose contexts are already created, on {@code threads} daemon threads named {@code name}.
   */
  public static EmbeddedHttpServer start(HttpServer server, String name, int threads) {
    ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.start();
    return new EmbeddedHttpServer(server, executor);
  }

  /** The port it listens on (useful when started on port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** Answers {@code exchange} with {@code body} as UTF-8 text of {@code contentType}. */
  public static void answer(HttpExchange exchange, int code, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
