package dev.hotfix.health.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.hotfix.health.Measurement;
import dev.hotfix.health.Measurement.Result;
import dev.hotfix.outbound.EndpointAllowList;
import dev.hotfix.outbound.OutboundHttp;
import dev.hotfix.outbound.ServiceAddresses;
import dev.hotfix.outbound.ServiceHttp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The http check provider against a real server on 127.0.0.1: the expected status (and JSON
 * value) passes, another status or value fails, no answer in time or no listener is an error,
 * and a Service name that would leave the namespace, or an address that may not be called, is
 * refused (an error) without any request.
 */
class HttpProbeTest {
  private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

  private HttpServer server;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final List<String> asked = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  private record Answer(int status, String body, boolean hang) {
  }

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", exchange -> {
      try (exchange) {
        asked.add(exchange.getRequestHeaders().getFirst("Host") + exchange.getRequestURI().getPath());
        Answer a = answers.getOrDefault(exchange.getRequestURI().getPath(), new Answer(404, "", false));
        if (a.hang()) {
          release.await(30, TimeUnit.SECONDS);
        }
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  /** Every Service name resolves to the test server's port on loopback. */
  private ServiceHttp loopback() {
    return new ServiceHttp(EndpointAllowList.LOOPBACK, (host, port) -> new InetSocketAddress(
        InetAddress.getLoopbackAddress(), server.getAddress().getPort()), OutboundHttp.withDefaultTrust(), 4096);
  }

  private static HttpProbe probe(ServiceHttp http, String service, String path, Optional<String> jsonPath,
      Optional<String> expectValue, Duration timeout) {
    return new HttpProbe("health", "http://" + service + ".shop.svc:8080" + path, 200, jsonPath, expectValue,
        () -> http.get(service, "shop", 8080, path, timeout));
  }

  private Measurement measure(String path, Optional<String> jsonPath, Optional<String> expectValue) {
    return probe(loopback(), "web", path, jsonPath, expectValue, Duration.ofSeconds(5)).measureAt(NOW);
  }

  @Test
  void theExpectedStatusPassesAndTheServiceNameIsTheHost() {
    answers.put("/healthz", new Answer(200, "ok", false));

    Measurement m = measure("/healthz", Optional.empty(), Optional.empty());

    assertThat(m.result()).isEqualTo(Result.PASS);
    assertThat(m.valueText()).isEqualTo("200");
    assertThat(m.message()).isEqualTo("GET http://web.shop.svc:8080/healthz: 200");
    assertThat(asked).singleElement().asString().startsWith("web.shop.svc:").endsWith("/healthz");
  }

  @Test
  void anotherStatusFails() {
    answers.put("/healthz", new Answer(500, "{\"status\":\"error\"}", false));

    Measurement m = measure("/healthz", Optional.empty(), Optional.empty());

    assertThat(m.result()).isEqualTo(Result.FAIL);
    assertThat(m.message()).isEqualTo("GET http://web.shop.svc:8080/healthz: 500 (expected 200)");
  }

  @Test
  void theJsonValueDecidesOnceTheStatusIsRight() {
    answers.put("/ok", new Answer(200, "{\"status\":\"ok\",\"checks\":[{\"db\":true}]}", false));
    answers.put("/degraded", new Answer(200, "{\"status\":\"degraded\"}", false));
    answers.put("/html", new Answer(200, "<html>fine</html>", false));

    assertThat(measure("/ok", Optional.of("status"), Optional.of("ok")).result()).isEqualTo(Result.PASS);
    assertThat(measure("/ok", Optional.of("$.checks.0.db"), Optional.of("true")).result()).isEqualTo(Result.PASS);
    Measurement wrong = measure("/degraded", Optional.of("status"), Optional.of("ok"));
    assertThat(wrong.result()).isEqualTo(Result.FAIL);
    assertThat(wrong.message()).isEqualTo("GET http://web.shop.svc:8080/degraded: 200, status = degraded "
        + "(expected ok)");
    assertThat(measure("/ok", Optional.of("missing"), Optional.of("ok")).result()).isEqualTo(Result.FAIL);
    Measurement notJson = measure("/html", Optional.of("status"), Optional.of("ok"));
    assertThat(notJson.result()).isEqualTo(Result.FAIL);
    assertThat(notJson.message()).contains("body is not JSON");
  }

  @Test
  void noAnswerWithinTheTimeoutIsAnError() {
    answers.put("/slow", new Answer(200, "late", true));

    Measurement m = probe(loopback(), "web", "/slow", Optional.empty(), Optional.empty(), Duration.ofSeconds(1))
        .measureAt(NOW);

    assertThat(m.result()).isEqualTo(Result.ERROR);
    assertThat(m.message()).isEqualTo("GET http://web.shop.svc:8080/slow: no complete answer within 1 s");
  }

  @Test
  void aRefusedConnectionIsAnError() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    int port = closed;
    ServiceHttp http = new ServiceHttp(EndpointAllowList.LOOPBACK, (host, p) -> new InetSocketAddress(
        InetAddress.getLoopbackAddress(), port), OutboundHttp.withDefaultTrust(), 4096);

    Measurement m = probe(http, "web", "/", Optional.empty(), Optional.empty(), Duration.ofSeconds(2)).measureAt(NOW);

    assertThat(m.result()).isEqualTo(Result.ERROR);
    assertThat(m.message()).endsWith(": connection refused");
  }

  @Test
  void aHostOutsideTheNamespaceOrAnAddressNotAllowedIsRefusedWithoutARequest() {
    answers.put("/", new Answer(200, "", false));

    Measurement otherNamespace = probe(loopback(), "web.kube-system", "/", Optional.empty(), Optional.empty(),
        Duration.ofSeconds(2)).measureAt(NOW);
    ServiceHttp loopbackNotAllowed = new ServiceHttp(EndpointAllowList.NONE, (host, p) -> new InetSocketAddress(
        InetAddress.getLoopbackAddress(), server.getAddress().getPort()), OutboundHttp.withDefaultTrust(), 4096);
    Measurement loopback = probe(loopbackNotAllowed, "web", "/", Optional.empty(), Optional.empty(),
        Duration.ofSeconds(2)).measureAt(NOW);
    ServiceAddresses metadata = (host, p) -> new InetSocketAddress(InetAddress.getByName("169.254.169.254"), 80);
    Measurement linkLocal = probe(new ServiceHttp(EndpointAllowList.LOOPBACK, metadata,
        OutboundHttp.withDefaultTrust(), 4096), "web", "/", Optional.empty(), Optional.empty(), Duration.ofSeconds(2))
        .measureAt(NOW);

    assertThat(otherNamespace.result()).isEqualTo(Result.ERROR);
    assertThat(otherNamespace.message()).contains("refused: service web.kube-system is not the name of a Service in "
        + "namespace shop");
    assertThat(loopback.result()).isEqualTo(Result.ERROR);
    assertThat(loopback.message()).contains("refused: web.shop.svc resolves to 127.0.0.1, which is a loopback "
        + "address");
    assertThat(linkLocal.result()).isEqualTo(Result.ERROR);
    assertThat(linkLocal.message()).contains("which is a link-local address");
    assertThat(asked).isEmpty();
  }
}
