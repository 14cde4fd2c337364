package dev.hotfix.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.HotfixStatus;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.RollbackCause;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The contract metrics as Prometheus reads them, from a Hotfix's phase changes. */
class HotfixMetricsTest {
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HotfixMetrics metrics = new HotfixMetrics(registry);

  @Test
  void aRollbackIsCountedByCauseAndTheDurationByOutcome() {
    Hotfix h = hotfix("fix-1");
    metrics.phaseChanged(h, null, Phase.RollingOut, T0);
    h.getStatus().rollbackCause = RollbackCause.PodFault;
    h.getStatus().rollbackReason = RollbackCause.PodFault.describe("pod web-1 container app: CrashLoopBackOff");
    metrics.phaseChanged(h, Phase.RollingOut, Phase.RollingBack, T0.plusSeconds(3));
    metrics.phaseChanged(h, Phase.RollingBack, Phase.RolledBack, T0.plusSeconds(5));

    String scrape = registry.scrape();
    assertThat(scrape)
        .contains("hotfix_transitions_total{phase=\"RollingOut\"} 1.0")
        .contains("hotfix_transitions_total{phase=\"RollingBack\"} 1.0")
        .contains("hotfix_rollbacks_total{reason=\"pod_fault\"} 1.0")
        .contains("hotfix_duration_seconds_count{outcome=\"RolledBack\"} 1")
        .contains("hotfix_duration_seconds_sum{outcome=\"RolledBack\"} 5.0")
        .contains("hotfix_phase{name=\"fix-1\",namespace=\"shop\",phase=\"RolledBack\"} 1.0");
  }

  @Test
  void eachHotfixHasOnePhaseSeriesItsCurrentPhase() {
    Hotfix h = hotfix("fix-2");
    metrics.phaseChanged(h, null, Phase.RollingOut, T0);
    metrics.phaseChanged(h, Phase.RollingOut, Phase.Verifying, T0.plusSeconds(4));

    assertThat(registry.scrape()).contains("hotfix_phase{name=\"fix-2\",namespace=\"shop\",phase=\"Verifying\"} 1.0")
        .doesNotContain("hotfix_phase{name=\"fix-2\",namespace=\"shop\",phase=\"RollingOut\"}");
  }

  @Test
  void afterARestartTheCurrentPhaseIsShownFromTheHotfixAsStoredWithoutCountingATransition() {
    Hotfix failed = hotfix("fix-3");
    failed.getStatus().phase = Phase.Failed;

    metrics.phaseSeen(failed);
    metrics.phaseSeen(failed);

    assertThat(registry.scrape()).containsOnlyOnce("hotfix_phase{name=\"fix-3\",namespace=\"shop\",phase=\"Failed\"} 1.0")
        .doesNotContain("hotfix_transitions_total");
    metrics.deleted(failed);
    assertThat(registry.scrape()).as("a deleted Hotfix has no series").doesNotContain("fix-3");
    metrics.phaseSeen(hotfix("fix-4"));
    assertThat(registry.scrape()).as("a Hotfix not yet given a phase has no series").doesNotContain("fix-4");
  }

  @Test
  void rollbackTagsAreTheDocumentedFiveAndOtherWithoutACause() {
    // docs/metrics.md names exactly these
    assertThat(Arrays.stream(RollbackCause.values()).map(HotfixMetrics::tagOf).distinct())
        .containsExactlyInAnyOrder("check", "pod_fault", "deadline", "exposure", "manual");
    assertThat(HotfixMetrics.tagOf(RollbackCause.Abort)).isEqualTo("manual");
    assertThat(HotfixMetrics.tagOf(null)).isEqualTo("other");
  }

  private static Hotfix hotfix(String name) {
    Hotfix h = new Hotfix();
    h.getMetadata().setName(name);
    h.getMetadata().setNamespace("shop");
    h.setStatus(new HotfixStatus());
    h.getStatus().startedAt = T0.toString();
    return h;
  }
}
