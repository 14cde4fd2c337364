package dev.hotfix.sandbox.prometheus;

import static dev.hotfix.sandbox.app.PodFixtures.createPod;
import static dev.hotfix.sandbox.app.PodFixtures.setReady;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.hotfix.sandbox.app.AppOptions;
import dev.hotfix.sandbox.app.PodFixtures;
import dev.hotfix.sandbox.app.SimulatedApp;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real Prometheus scraping the simulated app: what a Hotfix check will read. Deployment
 * {@code web} runs in three namespaces, healthy, with an {@code errors} image and with a
 * {@code slow} image, under the app's default traffic of 20 requests per second per pod.
 */
class PrometheusReadsSimulatedAppTest {

  /** New targets show up on a ~5 s tick, then every 1 s scrape; leave room for a busy CI. */
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private KubernetesMockServer apiServer;
  private KubernetesClient client;
  private SimulatedApp app;
  private PrometheusServer prometheus;

  @BeforeEach
  void startAppAndPrometheus() {
    assertThat(PrometheusServer.findBinary()).as(PrometheusServer.NOT_FOUND).isPresent();
    apiServer = PodFixtures.startCrudServer();
    client = apiServer.createClient();
    app = new SimulatedApp(client, AppOptions.defaults());
    app.start();
    prometheus = PrometheusServer.start(List.of(app.metricsUri()), Duration.ofSeconds(1));
  }

  @AfterEach
  void stopAll() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (app != null) {
      app.close();
    }
    if (client != null) {
      client.close();
    }
    if (apiServer != null) {
      apiServer.destroy();
    }
  }

  @Test
  void errorsRaiseTheErrorRatioAndSlowRaisesTheLatencyQuantile() {
    for (String namespace : List.of("healthy", "errors", "slow")) {
      String image = "registry.example.com/web:1.0" + ("healthy".equals(namespace) ? "" : "-" + namespace);
      for (String pod : List.of("a", "b")) {
        setReady(client, createPod(client, namespace, "web", pod, image), true);
      }
    }

    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              assertThat(valueOf(errorRatio("errors"))).isCloseTo(0.5, within(0.15));
              assertThat(valueOf(errorRatio("healthy"))).isBetween(0.0, 0.01);
              double healthyP90 = valueOf(latencyP90("healthy"));
              double slowP90 = valueOf(latencyP90("slow"));
              assertThat(healthyP90).isBetween(0.02, 0.05);
              assertThat(slowP90).isBetween(0.2, 0.5);
              assertThat(slowP90 / healthyP90).isGreaterThan(5);
            });
  }

  @Test
  void aDeletedPodsSeriesGoStale() {
    Pod pod = setReady(client, createPod(client, "shop", "web", "a", "web:1.0"), true);
    String query = "count(http_requests_total{namespace=\"shop\",pod=\"" + pod.getMetadata().getName() + "\"})";
    await().atMost(PATIENCE).until(() -> prometheus.query(query).isPresent());

    client.resource(pod).delete();
    await().atMost(PATIENCE).until(() -> prometheus.query(query).isEmpty());
  }

  @Test
  void closeStopsTheProcessItStartedAndDeletesItsDirectory() {
    long pid = prometheus.pid();
    assertThat(ProcessHandle.of(pid)).map(ProcessHandle::isAlive).hasValue(true);
    assertThat(prometheus.directory()).isDirectory();

    prometheus.close();

    Optional<ProcessHandle> after = ProcessHandle.of(pid);
    assertThat(after.isEmpty() || !after.get().isAlive()).as("prometheus pid %d is gone", pid).isTrue();
    assertThat(Files.exists(prometheus.directory())).isFalse();
  }

  /** The query's value, or an assertion failure (which Awaitility retries) while no data. */
  private double valueOf(String promql) {
    OptionalDouble value = prometheus.query(promql);
    assertThat(value).as("no data yet for %s", promql).isNotEmpty();
    return value.getAsDouble();
  }

  private static String errorRatio(String namespace) {
    String web = "namespace=\"" + namespace + "\",deployment=\"web\"";
    return "sum(rate(http_requests_total{" + web + ",code=~\"5..\"}[30s]))"
        + " / sum(rate(http_requests_total{" + web + "}[30s]))";
  }

  private static String latencyP90(String namespace) {
    return "histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket{"
        + "namespace=\"" + namespace + "\",deployment=\"web\"}[30s])))";
  }
}
