package dev.hotfix.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A JDK {@link HttpServer} (or HttpsServer) the operator runs beside its reconciler, with its own
 * pool of daemon threads: answering probes, scrapes and admission reviews must never wait for
 * reconciles, and must never keep the JVM alive on its own.
 *
 * <p>Slow clients are cut off. The JDK server reads each request (TLS handshake, headers, body)
 * on a pool thread with blocking reads and no read timeout of its own; its only bounds are the
 * JVM-wide {@code sun.net.httpserver.maxReqTime} and {@code maxRspTime}, read once when the first
 * server of the JVM is created. {@link #limitRequestTimes()} sets them (unless given with
 * {@code -D}); {@code Main} calls it before anything else, and {@link #http}/{@link #https} call it
 * before creating a server. A client that has not sent its whole request after
 * {@value #REQUEST_SECONDS} s (a slowloris sending a header byte a second, a TLS handshake that
 * never finishes) is disconnected and its thread freed; so is one that has not read its answer
 * after {@value #RESPONSE_SECONDS} s.
 */
public final class EmbeddedHttpServer implements AutoCloseable {
  /** Seconds a client has to send a whole request, from the moment it connects or starts the next one. */
  public static final int REQUEST_SECONDS = 5;
  /** Seconds a client has to read a whole answer. */
  public static final int RESPONSE_SECONDS = 30;

  private final HttpServer server;
  private final ExecutorService executor;

  private EmbeddedHttpServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Bounds the time every JDK HTTP server of this JVM gives a client to send a request and read
   * its answer, unless already set. Takes effect only before the first server is created.
   */
  public static void limitRequestTimes() {
    if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
      System.setProperty("sun.net.httpserver.maxReqTime", String.valueOf(REQUEST_SECONDS));
    }
    if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
      System.setProperty("sun.net.httpserver.maxRspTime", String.valueOf(RESPONSE_SECONDS));
    }
  }

  /** An HTTP server bound to {@code address}, not yet started. */
  public static HttpServer http(InetSocketAddress address) throws IOException {
    limitRequestTimes();
    return HttpServer.create(address, 0);
  }

  /** An HTTPS server bound to {@code address} presenting {@code tls}'s identity, not yet started. */
  public static HttpsServer https(InetSocketAddress address, SSLContext tls) throws IOException {
    limitRequestTimes();
    HttpsServer server = HttpsServer.create(address, 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    return server;
  }

  /**
   * Starts {@code server}, whose contexts are already created, on {@code threads} daemon threads
   * named {@code name-N}. Requests beyond {@code threads} wait in line, within the request time limit.
   */
  public static EmbeddedHttpServer start(HttpServer server, String name, int threads) {
    AtomicInteger created = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, name + "-" + created.incrementAndGet());
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
    answer(exchange, code, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  /** Answers {@code exchange} with {@code bytes} of {@code contentType}. */
  public static void answer(HttpExchange exchange, int code, String contentType, byte[] bytes) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
