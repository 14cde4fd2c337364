package dev.hotfix.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on 127.0.0.1 (the JDK's HttpServer) that records every POST per path and
 * can be told to answer the next ones with an error status, as a chat service under load does.
 */
public final class NotificationReceiver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request as received, and the status it was answered with. */
  public record Request(String path, int status, JsonNode body) {
    public boolean delivered() {
      return status / 100 == 2;
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
  private final Map<String, Integer> failureStatus = new ConcurrentHashMap<>();

  public NotificationReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  /** The URL of {@code path} on this receiver, e.g. {@code /hooks/slack}. */
  public URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  /** Answers the next {@code times} requests to {@code path} with {@code status}. */
  public void failNext(String path, int status, int times) {
    failureStatus.put(path, status);
    failuresLeft.put(path, new AtomicInteger(times));
  }

  /** Every request to {@code path}, in arrival order. */
  public List<Request> requests(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  /** The bodies of the requests to {@code path} answered 2xx, in arrival order. */
  public List<JsonNode> delivered(String path) {
    return requests(path).stream().filter(Request::delivered).map(Request::body).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
      AtomicInteger left = failuresLeft.get(path);
      int status = left != null && left.getAndDecrement() > 0 ? failureStatus.get(path) : 200;
      requests.add(new Request(path, status, body));
      exchange.sendResponseHeaders(status, -1);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
