package dev.hotfix.sandbox.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotfix.sandbox.prometheus.PrometheusServer;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * What the simulated app costs at the sandbox's target scale, 1000 deployments of 3 pods at the
 * default 20 requests per second each, and what scraping it every second costs a real
 * Prometheus. Excluded from the normal build (surefire skips *Benchmark*); run it with
 * {@code mvn -o test -Dtest=TrafficSimulationBenchmark}.
 */
class TrafficSimulationBenchmark {

  private static final int DEPLOYMENTS = 1000;
  private static final int PODS_PER_DEPLOYMENT = 3;
  private static final AppOptions OPTIONS = AppOptions.defaults();

  @Test
  void aTickAndAScrapeOf3000PodsFitWellWithinTheTick() {
    TrafficSimulation simulation = atTargetScale();
    Duration tick = OPTIONS.tick();
    for (int i = 0; i < 200; i++) {
      simulation.advance(tick); // warm-up
    }
    int ticks = 600;
    long start = System.nanoTime();
    for (int i = 0; i < ticks; i++) {
      simulation.advance(tick);
    }
    double tickMillis = (System.nanoTime() - start) / 1e6 / ticks;

    for (int i = 0; i < 5; i++) {
      simulation.exposition(); // warm-up
    }
    int scrapes = 20;
    long chars = 0;
    start = System.nanoTime();
    for (int i = 0; i < scrapes; i++) {
      chars = simulation.exposition().length();
    }
    double scrapeMillis = (System.nanoTime() - start) / 1e6 / scrapes;

    System.out.printf(
        "%d pods: %.2f ms per %d ms tick, %.1f ms and %.1f MB per exposition%n",
        simulation.servedPods(), tickMillis, tick.toMillis(), scrapeMillis, chars / 1e6);
    assertThat(tickMillis).isLessThan(tick.toMillis() / 4.0);
    assertThat(scrapeMillis).isLessThan(500);
  }

  @Test
  void prometheusScrapes3000PodsEverySecond() {
    TrafficSimulation simulation = atTargetScale();
    simulation.advance(Duration.ofSeconds(10));
    try (MetricsEndpoint endpoint = new MetricsEndpoint(0, simulation::exposition);
        PrometheusServer prometheus =
            PrometheusServer.start(List.of(endpoint.uri()), Duration.ofSeconds(1))) {
      String scraped = "scrape_samples_scraped{job=\"sandbox-app\"}";
      await().atMost(Duration.ofSeconds(60)).until(() -> prometheus.query(scraped).isPresent());
      Duration cpuBefore = cpu(prometheus);
      long start = System.nanoTime();
      String window = "count_over_time(" + scraped + "[15s])";
      await().atMost(Duration.ofSeconds(60))
          .until(() -> prometheus.query(window).orElse(0) >= 10);
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpuShare = cpu(prometheus).minus(cpuBefore).toMillis() / 1e3 / seconds;
      OptionalDouble samples = prometheus.query(scraped);
      OptionalDouble duration =
          prometheus.query("avg_over_time(scrape_duration_seconds{job=\"sandbox-app\"}[15s])");

      System.out.printf(
          "prometheus: %.0f samples per scrape, %.0f ms per scrape, %.0f%% of a core%n",
          samples.orElse(Double.NaN), duration.orElse(Double.NaN) * 1e3, cpuShare * 100);
      assertThat(duration.orElse(Double.NaN)).isLessThan(1.0);
    }
  }

  private static Duration cpu(PrometheusServer prometheus) {
    return ProcessHandle.of(prometheus.pid())
        .flatMap(process -> process.info().totalCpuDuration())
        .orElse(Duration.ZERO);
  }

  /** 1000 deployments of 3 ready pods; one in ten deployments errors, one in ten is slow. */
  private static TrafficSimulation atTargetScale() {
    TrafficSimulation simulation =
        new TrafficSimulation(OPTIONS.requestsPerSecond(), OPTIONS.seed());
    for (int d = 0; d < DEPLOYMENTS; d++) {
      String image = "app:1.0" + (d % 10 == 0 ? "-errors" : d % 10 == 1 ? "-slow" : "");
      for (int p = 0; p < PODS_PER_DEPLOYMENT; p++) {
        String name = "deploy-" + d + "-" + p;
        simulation.observe(PodFixtures.readyPod("ns-" + d % 50, name, "uid-" + name, image));
      }
    }
    assertThat(simulation.servedPods()).isEqualTo(DEPLOYMENTS * PODS_PER_DEPLOYMENT);
    return simulation;
  }
}
