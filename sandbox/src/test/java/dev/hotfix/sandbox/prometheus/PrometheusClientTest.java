package dev.hotfix.sandbox.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The query helper's reading of real Prometheus answers. */
class PrometheusClientTest {

  private static PrometheusServer prometheus;

  @BeforeAll
  static void startPrometheus() {
    // The target does not need to answer for these queries; its port is merely unused.
    prometheus =
        PrometheusServer.start(List.of(URI.create("http://127.0.0.1:9/metrics")),
            Duration.ofSeconds(1));
  }

  @AfterAll
  static void stopPrometheus() {
    prometheus.close();
  }

  @Test
  void aSingleSampleOrScalarIsItsValue() {
    assertThat(prometheus.query("sum(vector(0.25))")).hasValue(0.25);
    assertThat(prometheus.query("scalar(vector(3))")).hasValue(3);
  }

  @Test
  void specialFloatsKeepTheirMeaning() {
    assertThat(prometheus.query("vector(0) / 0").getAsDouble()).isNaN();
    assertThat(prometheus.query("vector(1) / 0").getAsDouble()).isInfinite();
  }

  @Test
  void anEmptyResultIsNoDataNotZero() {
    assertThat(prometheus.query("http_requests_total{deployment=\"nowhere\"}")).isEmpty();
  }

  @Test
  void badQueriesAndSeveralSeriesAreErrorsThatSayWhy() {
    assertThatThrownBy(() -> prometheus.query("sum(rate(x[5m]"))
        .isInstanceOf(PrometheusQueryException.class)
        .hasMessageContaining("bad_data");
    assertThatThrownBy(() -> prometheus.query("label_replace(vector(1), \"a\", \"b\", \"\", \"\") or vector(2)"))
        .isInstanceOf(PrometheusQueryException.class)
        .hasMessageContaining("returned 2 series");
  }

  @Test
  void anUnreachablePrometheusIsAnErrorAndNotReady() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    PrometheusClient nobody = new PrometheusClient(URI.create("http://127.0.0.1:" + closedPort));
    assertThat(nobody.isReady()).isFalse();
    assertThatThrownBy(() -> nobody.query("vector(1)"))
        .isInstanceOf(PrometheusQueryException.class)
        .hasMessageContaining("did not answer");
    assertThat(prometheus.client().isReady()).isTrue();
  }
}
