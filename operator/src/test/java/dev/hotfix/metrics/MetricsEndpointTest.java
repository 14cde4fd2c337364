package dev.hotfix.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesMetricsOnItsPortAndTheProbesOnTheHealthPort() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Counter.builder("hotfix.transitions").tag("phase", "RollingOut").register(registry).increment();
    AtomicBoolean ready = new AtomicBoolean();
    try (MetricsEndpoint endpoint = start(registry, ready)) {
      String metricsPort = "http://127.0.0.1:" + endpoint.port();
      String healthPort = "http://127.0.0.1:" + endpoint.healthPort();

      HttpResponse<String> metrics = get(metricsPort + "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
          .startsWith("text/plain; version=0.0.4"));
      assertThat(metrics.body()).contains("hotfix_transitions_total{phase=\"RollingOut\"} 1.0");
      assertThat(get(healthPort + "/metrics").statusCode()).as("scrapes stay off the probes' port").isEqualTo(404);
      for (String base : List.of(healthPort, metricsPort)) {
        ready.set(false);
        assertThat(get(base + "/healthz").statusCode()).isEqualTo(200);
        assertThat(get(base + "/readyz").statusCode()).as("not ready before the operator started").isEqualTo(503);
        ready.set(true);
        assertThat(get(base + "/readyz").statusCode()).isEqualTo(200);
      }
    }
  }

  /**
   * The format follows the scraper's Accept header, as the Prometheus client negotiates it:
   * Prometheus's own Accept header (3.x, OpenMetrics preferred) gets OpenMetrics with its
   * {@code # EOF}; a plain text request gets text 0.0.4; the Content-Type names what was sent.
   */
  @Test
  void metricsAnswerInTheFormatTheScraperAccepts() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Counter.builder("hotfix.transitions").tag("phase", "RollingOut").register(registry).increment();
    try (MetricsEndpoint endpoint = start(registry, new AtomicBoolean(true))) {
      String url = "http://127.0.0.1:" + endpoint.port() + "/metrics";
      HttpResponse<String> openMetrics = get(url, "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;"
          + "q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;"
          + "q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2");
      HttpResponse<String> text = get(url, "text/plain");

      assertThat(openMetrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
          .startsWith("application/openmetrics-text; version=1.0.0"));
      assertThat(openMetrics.body()).contains("hotfix_transitions_total{phase=\"RollingOut\"} 1.0")
          .endsWith("# EOF\n");
      assertThat(text.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
          .startsWith("text/plain; version=0.0.4"));
      assertThat(text.body()).contains("hotfix_transitions_total{phase=\"RollingOut\"} 1.0").doesNotContain("# EOF");
    }
  }

  /**
   * Slow clients of {@code /metrics}, more than its threads, each sending its request a byte at a
   * time: {@code /healthz} still answers at once, while they are all still connected. Seen failing
   * with the probes served by the metrics port's threads (the probe waits until the slow clients
   * are cut off).
   */
  @Test
  void slowMetricsClientsDoNotHoldUpTheLivenessProbe() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    List<Socket> slow = new ArrayList<>();
    try (MetricsEndpoint endpoint = start(registry, new AtomicBoolean(true))) {
      for (int i = 0; i < 6; i++) {
        Socket socket = new Socket("127.0.0.1", endpoint.port());
        slow.add(socket);
        OutputStream out = socket.getOutputStream();
        out.write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: s".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
      int probe = get("http://127.0.0.1:" + endpoint.healthPort() + "/healthz").statusCode();

      assertThat(probe).isEqualTo(200);
      assertThat(slow).as("every slow scraper still connected when the probe was answered")
          .allSatisfy(s -> assertThat(connected(s)).isTrue());
    } finally {
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  private static MetricsEndpoint start(PrometheusMeterRegistry registry, AtomicBoolean ready) throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    return MetricsEndpoint.start(new InetSocketAddress(loopback, 0), new InetSocketAddress(loopback, 0), registry,
        ready::get);
  }

  /** Whether the server has not closed {@code socket}: a read neither ends nor fails within a moment. */
  private static boolean connected(Socket socket) {
    try {
      socket.setSoTimeout(50);
      return socket.getInputStream().read() >= 0;
    } catch (SocketTimeoutException stillOpen) {
      return true;
    } catch (IOException closed) {
      return false;
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String url, String accept) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", accept).timeout(Duration.ofSeconds(60))
        .build(), HttpResponse.BodyHandlers.ofString());
  }
}
