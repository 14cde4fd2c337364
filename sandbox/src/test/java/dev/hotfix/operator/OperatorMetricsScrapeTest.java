package dev.hotfix.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.TimelineEntry;
import dev.hotfix.metrics.MetricsEndpoint;
import dev.hotfix.metrics.PrometheusRegistries;
import dev.hotfix.sandbox.SandboxOptions;
import dev.hotfix.sandbox.app.ScrapedMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's {@code /metrics}, {@code /healthz} and {@code /readyz} over HTTP, wired as
 * {@code run} wires them, after one hot fix that succeeds and one that rolls back on the sandbox.
 */
class OperatorMetricsScrapeTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private ScenarioBed bed;
  private MetricsEndpoint endpoint;
  private HotfixOperator operator;

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
    if (endpoint != null) {
      endpoint.close();
    }
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void aHotfixAndARollbackShowInTheContractMetrics() throws Exception {
    bed = ScenarioBed.withoutOperator(SandboxOptions.defaults().withPrometheus(false)
        .withPodStartDelay(Duration.ofMillis(300)));
    PrometheusMeterRegistry meters = PrometheusRegistries.withJvmMetrics();
    AtomicReference<HotfixOperator> running = new AtomicReference<>();
    endpoint = MetricsEndpoint.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), meters,
        () -> running.get() != null && running.get().isReady());
    String base = "http://127.0.0.1:" + endpoint.port();
    String probes = "http://127.0.0.1:" + endpoint.healthPort();
    assertThat(status(probes + "/healthz")).isEqualTo(200);
    assertThat(status(probes + "/readyz")).as("not ready before the operator started").isEqualTo(503);

    operator = HotfixOperator.start(bed.client, ScenarioBed.trustedWithoutWebhook(OperatorOptions.defaults()
        .withNamespaces(Set.of(ScenarioBed.NS)).withMeters(meters)), PhaseListener.NONE);
    running.set(operator);
    assertThat(status(probes + "/readyz")).as("ready once started: informers synced").isEqualTo(200);

    String web = bed.deploymentReady(d -> { });
    Hotfix good = bed.runToEnd(bed.hotfix(web, "registry.example.com/web:1.1-hotfix.1", s -> { }));
    Hotfix bad = bed.runToEnd(bed.hotfix(web, "registry.example.com/web:1.2-crashloop",
        s -> s.rollout.podReadyTimeoutSeconds = 3));
    assertThat(good.getStatus().phase).isEqualTo(Phase.Succeeded);
    assertThat(bad.getStatus().phase).isEqualTo(Phase.RolledBack);

    ScrapedMetrics scraped = ScrapedMetrics.scrape(URI.create(base + "/metrics"));

    assertThat(scraped.sum("hotfix_phase", Map.of("name", name(good), "phase", "Succeeded"))).isEqualTo(1);
    assertThat(scraped.sum("hotfix_phase", Map.of("name", name(bad), "phase", "RolledBack"))).isEqualTo(1);
    assertThat(scraped.sum("hotfix_phase", Map.of("name", name(bad))))
        .as("one series per Hotfix: its current phase only").isEqualTo(1);
    Map<Phase, Long> changes = phaseChanges(List.of(good, bad));
    assertThat(changes).containsEntry(Phase.RollingOut, 2L).containsEntry(Phase.Succeeded, 1L)
        .containsEntry(Phase.RollingBack, 1L).containsEntry(Phase.RolledBack, 1L);
    changes.forEach((phase, count) -> assertThat(scraped.sum("hotfix_transitions_total", Map.of("phase", phase.name())))
        .as("hotfix_transitions_total{phase=%s}", phase).isEqualTo(count.doubleValue()));
    assertThat(scraped.sum("hotfix_rollbacks_total", Map.of("reason", "pod_fault"))).isEqualTo(1);
    assertThat(scraped.sum("hotfix_rollbacks_total", Map.of())).as("no other rollbacks").isEqualTo(1);
    assertThat(scraped.sum("hotfix_duration_seconds_count", Map.of("outcome", "Succeeded"))).isEqualTo(1);
    assertThat(scraped.sum("hotfix_duration_seconds_count", Map.of("outcome", "RolledBack"))).isEqualTo(1);
    assertThat(scraped.sum("hotfix_duration_seconds_sum", Map.of("outcome", "Succeeded"))).isPositive();
    assertThat(scraped.sum("hotfix_detection_to_rollback_seconds_count", Map.of())).isEqualTo(1);
    assertThat(scraped.sum("operator_sdk_reconciliations_success_total", Map.of()))
        .as("java-operator-sdk's reconcile metrics: passes over both Hotfixes").isGreaterThanOrEqualTo(2);
    assertThat(scraped.sum("jvm_memory_used_bytes", Map.of("area", "heap"))).as("JVM metrics").isPositive();
    assertThat(scraped.sum("hotfix_operator_leader", Map.of())).as("without leader election it leads").isEqualTo(1);

    operator.close();
    assertThat(status(probes + "/readyz")).as("not ready while stopping").isEqualTo(503);
  }

  /** How often each phase was entered, from the timelines (an entry whose phase differs from the one before). */
  private static Map<Phase, Long> phaseChanges(List<Hotfix> hotfixes) {
    return hotfixes.stream().flatMap(h -> {
      List<TimelineEntry> t = h.getStatus().timeline;
      return IntStream.range(0, t.size())
          .filter(i -> i == 0 || t.get(i).phase != t.get(i - 1).phase).mapToObj(i -> t.get(i).phase);
    }).collect(Collectors.groupingBy(p -> p, Collectors.counting()));
  }

  private static String name(Hotfix h) {
    return h.getMetadata().getName();
  }

  private int status(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
