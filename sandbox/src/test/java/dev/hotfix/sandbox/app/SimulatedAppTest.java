package dev.hotfix.sandbox.app;

import static dev.hotfix.sandbox.app.PodFixtures.createPod;
import static dev.hotfix.sandbox.app.PodFixtures.setReady;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimulatedAppTest {

  private static final String REQUESTS = "http_requests_total";
  private static final String DURATION = "http_request_duration_seconds";
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  private KubernetesMockServer server;
  private KubernetesClient client;
  private SimulatedApp app;

  @BeforeEach
  void startApp() {
    server = PodFixtures.startCrudServer();
    client = server.createClient();
    // A high rate so a test sees thousands of requests within a second or two.
    app =
        new SimulatedApp(
            client,
            AppOptions.defaults().withRequestsPerSecond(5_000).withTick(Duration.ofMillis(20)));
    app.start();
  }

  @AfterEach
  void stopApp() {
    app.close();
    client.close();
    server.destroy();
  }

  @Test
  void metricsUriIsOnLoopback() {
    assertThat(app.metricsUri().getHost()).isEqualTo("127.0.0.1");
    assertThat(app.metricsUri().getPath()).isEqualTo("/metrics");
    assertThat(app.metricsUri().getPort()).isPositive();
  }

  @Test
  void onlyReadyPodsHaveSeriesAndTheyLeaveWithThePod() throws Exception {
    Pod ready = setReady(client, createPod(client, "shop", "checkout", "a1", "checkout:1.0"), true);
    Pod unready =
        setReady(client, createPod(client, "shop", "checkout", "b2", "checkout:1.0"), false);
    Pod starting = createPod(client, "shop", "checkout", "c3", "checkout:1.0");
    Map<String, String> readyPod = podLabels(ready);

    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              ScrapedMetrics metrics = scrape();
              assertThat(metrics.sum(REQUESTS, readyPod)).isPositive();
              assertThat(metrics.has(DURATION + "_count", readyPod)).isTrue();
            });
    ScrapedMetrics metrics = scrape();
    assertThat(metrics.has(REQUESTS, podLabels(unready))).isFalse();
    assertThat(metrics.has(REQUESTS, podLabels(starting))).isFalse();
    // the owning ReplicaSet checkout-7f9c8d6b5 names the deployment
    assertThat(metrics.has(REQUESTS, Map.of("deployment", "checkout", "code", "200"))).isTrue();

    client.resource(ready).delete();
    await()
        .atMost(PATIENCE)
        .untilAsserted(() -> assertThat(scrape().has(REQUESTS, readyPod)).isFalse());
    assertThat(scrape().has(DURATION + "_bucket", readyPod)).isFalse();
  }

  @Test
  void aPodThatStopsBeingReadyLeavesAndComesBackWhenReadyAgain() throws Exception {
    Pod pod = setReady(client, createPod(client, "shop", "cart", "a1", "cart:2"), true);
    Map<String, String> labels = podLabels(pod);
    await().atMost(PATIENCE).until(() -> scrape().has(REQUESTS, labels));

    setReady(client, pod, false);
    await().atMost(PATIENCE).until(() -> !scrape().has(REQUESTS, labels));

    setReady(client, pod, true);
    await().atMost(PATIENCE).until(() -> scrape().has(REQUESTS, labels));
  }

  @Test
  void errorsImageAnswersAboutHalfWith5xxWhileHealthyPodsAlmostNever() throws Exception {
    Pod healthy = setReady(client, createPod(client, "shop", "web", "ok", "web:1.0"), true);
    Pod failing =
        setReady(client, createPod(client, "shop", "web", "bad", "web:1.0", "proxy:1-errors"),
            true);

    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              ScrapedMetrics metrics = scrape();
              assertThat(metrics.sum(REQUESTS, podLabels(healthy))).isGreaterThan(4_000);
              assertThat(metrics.sum(REQUESTS, podLabels(failing))).isGreaterThan(4_000);
            });

    ScrapedMetrics metrics = scrape();
    assertThat(serverErrorRatio(metrics, failing)).isCloseTo(0.5, within(0.05));
    assertThat(metrics.sum(REQUESTS, withCode(failing, "500"))).isPositive();
    assertThat(metrics.sum(REQUESTS, withCode(failing, "503"))).isPositive();
    assertThat(serverErrorRatio(metrics, healthy)).isBetween(0.0, 0.002);
    // every code is exposed from the start, so a healthy error ratio reads 0, not "no data"
    assertThat(metrics.has(REQUESTS, withCode(healthy, "503"))).isTrue();
  }

  @Test
  void slowImageAnswersAboutTenTimesSlower() throws Exception {
    Pod healthy = setReady(client, createPod(client, "shop", "api", "ok", "api:1.0"), true);
    Pod slow = setReady(client, createPod(client, "shop", "api", "slow", "api:1.0-slow"), true);

    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              ScrapedMetrics metrics = scrape();
              assertThat(metrics.sum(DURATION + "_count", podLabels(healthy))).isGreaterThan(1_000);
              assertThat(metrics.sum(DURATION + "_count", podLabels(slow))).isGreaterThan(1_000);
            });

    ScrapedMetrics metrics = scrape();
    double healthyMean = meanLatency(metrics, healthy);
    double slowMean = meanLatency(metrics, slow);
    assertThat(healthyMean).isBetween(0.020, 0.030);
    assertThat(slowMean / healthyMean).isCloseTo(10, within(1.0));
    // the buckets agree: every healthy request within 50 ms, no slow one under 100 ms
    assertThat(bucket(metrics, healthy, "0.05")).isEqualTo(bucket(metrics, healthy, "+Inf"));
    assertThat(bucket(metrics, slow, "0.1")).isZero();
    assertThat(bucket(metrics, slow, "0.5")).isEqualTo(bucket(metrics, slow, "+Inf"));
    // and no 5xx beyond the healthy one in a thousand
    assertThat(serverErrorRatio(metrics, slow)).isBetween(0.0, 0.002);
  }

  private ScrapedMetrics scrape() throws Exception {
    return ScrapedMetrics.scrape(app.metricsUri());
  }

  private static Map<String, String> podLabels(Pod pod) {
    return Map.of(
        "namespace", pod.getMetadata().getNamespace(), "pod", pod.getMetadata().getName());
  }

  private static Map<String, String> withCode(Pod pod, String code) {
    return Map.of("pod", pod.getMetadata().getName(), "code", code);
  }

  private static double serverErrorRatio(ScrapedMetrics metrics, Pod pod) {
    double errors =
        metrics.sum(REQUESTS, withCode(pod, "500")) + metrics.sum(REQUESTS, withCode(pod, "503"));
    return errors / metrics.sum(REQUESTS, podLabels(pod));
  }

  private static double meanLatency(ScrapedMetrics metrics, Pod pod) {
    return metrics.sum(DURATION + "_sum", podLabels(pod))
        / metrics.sum(DURATION + "_count", podLabels(pod));
  }

  private static double bucket(ScrapedMetrics metrics, Pod pod, String le) {
    return metrics.sum(DURATION + "_bucket", Map.of("pod", pod.getMetadata().getName(), "le", le));
  }
}
