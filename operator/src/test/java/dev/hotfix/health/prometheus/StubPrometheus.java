package dev.hotfix.health.prometheus;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.hotfix.outbound.EndpointAllowList;
import dev.hotfix.outbound.EndpointGuard;
import dev.hotfix.outbound.OutboundHttp;
import dev.hotfix.outbound.OutboundSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A local HTTP server standing in for Prometheus' {@code /api/v1/query}: each query text gets
 * a scripted list of answers (the last one repeats), so a test can make Prometheus refuse,
 * stall, return nothing, NaN, several series, or flap. It records the Authorization headers it
 * saw. Stopping it releases any stalled answer.
 */
public final class StubPrometheus implements AutoCloseable {

  /** One scripted answer: an HTTP status and a body, after an optional delay. */
  public record Answer(int status, String body, Duration delay) {

    /** A successful instant vector with one series per value (none: an empty vector). */
    public static Answer vector(String... values) {
      StringBuilder series = new StringBuilder();
      for (int i = 0; i < values.length; i++) {
        series.append(i == 0 ? "" : ",").append("{\"metric\":{\"pod\":\"p").append(i)
            .append("\"},\"value\":[1700000000.0,\"").append(values[i]).append("\"]}");
      }
      return new Answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + series
          + "]}}", Duration.ZERO);
    }

    /** A successful scalar. */
    public static Answer scalar(String value) {
      return new Answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":"
          + "[1700000000.0,\"" + value + "\"]}}", Duration.ZERO);
    }

    /** Prometheus' error envelope with {@code status} as the HTTP code. */
    public static Answer error(int status, String errorType, String error) {
      return new Answer(status, "{\"status\":\"error\",\"errorType\":\"" + errorType + "\",\"error\":\"" + error
          + "\"}", Duration.ZERO);
    }

    /** This answer, given only after {@code d}. */
    public Answer after(Duration d) {
      return new Answer(status, body, d);
    }
  }

  private final HttpServer server;
  private final Map<String, List<Answer>> script = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final CountDownLatch stopping = new CountDownLatch(1);

  private StubPrometheus(HttpServer server) {
    this.server = server;
  }

  /**
   * A client of a stub (or any loopback Prometheus): loopback allowed, a 4 MiB cap, {@code timeout}
   * for the whole exchange.
   */
  public static PrometheusApi client(URI url, Optional<String> authorization, Optional<String> caPem,
      Duration timeout) {
    return new PrometheusApi(url, authorization, caPem, new OutboundHttp.Limits(timeout,
        OutboundSettings.DEFAULT_MAX_BODY_BYTES), new EndpointGuard(EndpointAllowList.LOOPBACK));
  }

  /** Starts on a free loopback port. */
  public static StubPrometheus start() {
    try {
      return serve(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts on a free loopback port, serving HTTPS with the certificate of {@code tls}. */
  public static StubPrometheus startTls(SSLContext tls) {
    try {
      HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setHttpsConfigurator(new HttpsConfigurator(tls));
      return serve(server);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static StubPrometheus serve(HttpServer server) {
    StubPrometheus stub = new StubPrometheus(server);
    server.createContext("/api/v1/query", stub::answer);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
    return stub;
  }

  /** The base URL, as given to the operator. */
  public URI url() {
    String scheme = server instanceof HttpsServer ? "https" : "http";
    return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Scripts the answers to {@code query}, in order; the last one repeats. */
  public void answer(String query, Answer... answers) {
    script.put(query, List.of(answers));
  }

  /** How many times {@code query} was asked. */
  public int timesAsked(String query) {
    AtomicInteger n = asked.get(query);
    return n == null ? 0 : n.get();
  }

  /** The Authorization headers received, in order. */
  public List<String> authorizations() {
    return authorizations;
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      String raw = exchange.getRequestURI().getRawQuery();
      String query = raw == null || !raw.startsWith("query=") ? ""
          : URLDecoder.decode(raw.substring("query=".length()), StandardCharsets.UTF_8);
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      if (auth != null) {
        authorizations.add(auth);
      }
      int n = asked.computeIfAbsent(query, q -> new AtomicInteger()).getAndIncrement();
      List<Answer> answers = script.getOrDefault(query, List.of(Answer.error(400, "bad_data", "unknown query")));
      Answer a = answers.get(Math.min(n, answers.size() - 1));
      if (!a.delay().isZero() && stopping.await(a.delay().toMillis(), TimeUnit.MILLISECONDS)) {
        return;
      }
      byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(a.status(), body.length);
      exchange.getResponseBody().write(body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stopping.countDown();
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
