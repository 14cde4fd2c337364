package dev.hotfix.sandbox.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulated app's answer to HTTP requests sent to a Service. The sandbox has no cluster DNS
 * and no Service proxy: every {@code <service>.<namespace>.svc:<port>} is reached at this one
 * loopback listener, which reads the Service from the request's Host header, finds the ready
 * pods its selector picks and answers as they would ({@link TrafficProfile}): 200
 * {@code {"status":"ok","pods":N}} from healthy pods, 500 {@code {"status":"error",...}} as soon
 * as one ready pod runs an {@code errors} image (deterministic, where a real Service would send
 * about half the requests there), 503 {@code {"status":"unavailable"}} without ready pods, 404
 * for a Service that does not exist. The path does not matter. A request waits for nothing but
 * the API server, on its own small pool.
 */
final class ServiceEndpoint implements AutoCloseable {
  private static final Pattern SERVICE_HOST =
      Pattern.compile("([a-z0-9]([-a-z0-9]*[a-z0-9])?)\\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\\.svc(:[0-9]+)?");

  private final HttpServer server;
  private final ExecutorService executor;
  private final KubernetesClient client;

  /** Binds a free port on 127.0.0.1 and starts answering. */
  ServiceEndpoint(KubernetesClient client) {
    this.client = client;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on 127.0.0.1", e);
    }
    executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "simulated-app-services");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::answer);
    server.start();
  }

  /** Where every Service is reached. */
  InetSocketAddress address() {
    return server.getAddress();
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      String host = String.valueOf(exchange.getRequestHeaders().getFirst("Host")).toLowerCase(Locale.ROOT);
      Matcher m = SERVICE_HOST.matcher(host);
      if (!m.matches()) {
        send(exchange, 400, "{\"status\":\"not a Service host: " + host.replaceAll("[^a-z0-9.:-]", "") + "\"}");
        return;
      }
      send(exchange, m.group(3), m.group(1));
    } catch (RuntimeException e) {
      send(exchange, 502, "{\"status\":\"sandbox: " + e.getClass().getSimpleName() + "\"}");
    }
  }

  private void send(HttpExchange exchange, String namespace, String name) throws IOException {
    Service service = client.services().inNamespace(namespace).withName(name).get();
    Map<String, String> selector = service == null || service.getSpec() == null ? null
        : service.getSpec().getSelector();
    if (selector == null || selector.isEmpty()) {
      send(exchange, 404, "{\"status\":\"no Service " + name + " with a selector in " + namespace + "\"}");
      return;
    }
    List<Pod> ready = client.pods().inNamespace(namespace).withLabels(selector).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null && Readiness.isPodReady(p)).toList();
    long failing = ready.stream().filter(p -> TrafficProfile.of(p).failsHalf()).count();
    if (ready.isEmpty()) {
      send(exchange, 503, "{\"status\":\"unavailable\",\"pods\":0}");
    } else if (failing > 0) {
      send(exchange, 500, "{\"status\":\"error\",\"pods\":" + ready.size() + ",\"failing\":" + failing + "}");
    } else {
      send(exchange, 200, "{\"status\":\"ok\",\"pods\":" + ready.size() + "}");
    }
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Stops listening; a request in flight is cut off. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
