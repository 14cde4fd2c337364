package dev.hotfix.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.health.PodFaults;
import dev.hotfix.rollout.PodTemplates;
import dev.hotfix.sandbox.Informers;
import dev.hotfix.sandbox.SandboxOptions;
import dev.hotfix.sandbox.prometheus.PrometheusServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * How long the operator takes from the moment the sandbox's error rate rises (the first pod of
 * an {@code errors} image seen Ready, so serving about half its requests as 5xx) to the
 * rollback patch (the Deployment seen back on the previous image), with Prometheus scraping
 * every second and the error-rate check measured every 2 s. A measurement, not a timed test:
 * surefire skips *Benchmark*; run it with
 * {@code mvn -o test -Dtest=DetectionToRollbackBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 *
 * <p>The bound it is compared with: a new pod's first sample comes within one scrape interval,
 * {@code rate()} needs a second sample one scrape interval later (the query window's effect),
 * and the check looks at most one check interval after that: 1 s + 1 s + 2 s = 4 s, plus the
 * query and the patch themselves.
 */
class DetectionToRollbackBenchmark {
  private static final int RUNS = 10;
  private static final int INTERVAL_SECONDS = 2;
  private static final Duration BOUND = Duration.ofSeconds(1 + 1 + INTERVAL_SECONDS);

  @Test
  void fromRisingErrorRateToRollbackPatch() {
    assertThat(PrometheusServer.findBinary()).as(PrometheusServer.NOT_FOUND).isPresent();
    Map<String, Instant> errorsReady = new ConcurrentHashMap<>();
    Map<String, Instant> patchedBack = new ConcurrentHashMap<>();
    List<Long> millis = new ArrayList<>();
    try (ScenarioBed bed = ScenarioBed.withSandboxPrometheus(SandboxOptions.defaults());
        SharedIndexInformer<Pod> pods = bed.client.pods().inNamespace(ScenarioBed.NS)
            .inform(Informers.onChange((Pod p) -> {
              String image = p.getSpec().getContainers().get(0).getImage();
              String web = HotfixReconciler.deploymentOf(p);
              if (web != null && image.endsWith("-errors") && PodFaults.isReady(p)) {
                errorsReady.putIfAbsent(web, Instant.now());
              }
            }));
        SharedIndexInformer<Deployment> deployments = bed.client.apps().deployments().inNamespace(ScenarioBed.NS)
            .inform(Informers.onChange((Deployment d) -> {
              String web = d.getMetadata().getName();
              if (errorsReady.containsKey(web)
                  && ScenarioBed.GOOD.equals(PodTemplates.images(d.getSpec().getTemplate()).get("app"))) {
                patchedBack.putIfAbsent(web, Instant.now());
              }
            }))) {
      for (int run = 1; run <= RUNS; run++) {
        String web = bed.deploymentReady(d -> { });
        Hotfix h = bed.hotfix(web, "registry.example.com/web:1.1-errors", s -> {
          s.verification.intervalSeconds = INTERVAL_SECONDS;
          s.verification.bakeSeconds = 60;
          s.rollout.progressDeadlineSeconds = 120;
        });
        h.getSpec().verification.checks = List.of(SandboxChecks.errorRate(web));

        Hotfix done = bed.runToEnd(h);

        assertThat(done.getStatus().phase).isEqualTo(Phase.RolledBack);
        assertThat(done.getStatus().rollbackReason).startsWith("check: error-rate = ");
        await().atMost(Duration.ofSeconds(5)).until(() -> patchedBack.containsKey(web));
        long ms = Duration.between(errorsReady.get(web), patchedBack.get(web)).toMillis();
        millis.add(ms);
        System.out.printf("run %2d: %5d ms  (%s)%n", run, ms, done.getStatus().rollbackReason);
      }
    }
    List<Long> sorted = millis.stream().sorted().toList();
    long median = (sorted.get(RUNS / 2 - 1) + sorted.get(RUNS / 2)) / 2;
    long worst = sorted.get(RUNS - 1);
    long over = sorted.stream().filter(ms -> ms > BOUND.toMillis()).count();
    System.out.printf("error rate rises -> rollback patch over %d runs: median %d ms, worst %d ms; bound %d ms "
        + "(scrape 1 s + rate() window 1 s + check interval %d s); %d runs over the bound%n",
        RUNS, median, worst, BOUND.toMillis(), INTERVAL_SECONDS, over);
    assertThat(sorted).hasSize(RUNS).allSatisfy(ms -> assertThat(ms).isPositive());
  }
}
