package dev.hotfix.metrics;

import dev.hotfix.api.v1alpha1.CanaryVerdict;
import dev.hotfix.api.v1alpha1.Hotfix;
import dev.hotfix.api.v1alpha1.Phase;
import dev.hotfix.api.v1alpha1.RollbackCause;
import dev.hotfix.operator.PhaseListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The contract metrics, kept from phase changes:
 * <ul>
 *   <li>{@code hotfix_phase{namespace,name,phase}} 1 for each Hotfix's current phase (one series
 *       per Hotfix: the previous phase's series is removed on a change);</li>
 *   <li>{@code hotfix_transitions_total{phase}}: phase changes by the phase entered;</li>
 *   <li>{@code hotfix_rollbacks_total{reason}}: rollbacks started, by cause (check, pod_fault,
 *       deadline, manual, exposure);</li>
 *   <li>{@code hotfix_duration_seconds{outcome}}: from the start of an attempt (or creation) to
 *       its terminal phase, by that phase;</li>
 *   <li>{@code hotfix_recurring_total{namespace,target}}: Hotfixes flagged as recurring (their
 *       target had the policy's threshold of hot fixes within its window), by target;</li>
 *   <li>{@code hotfix_canary_verdicts_total{verdict}}: the verdicts of canaries
 *       ({@code spec.rollout.canary}), Passed or Failed, counted when their Hotfix ends.</li>
 * </ul>
 */
public final class HotfixMetrics implements PhaseListener {
  private final MeterRegistry registry;
  private final Map<String, Gauge> currentPhase = new ConcurrentHashMap<>();

  public HotfixMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void phaseChanged(Hotfix hotfix, Phase from, Phase to, Instant at) {
    showPhase(hotfix, to);
    Counter.builder("hotfix.transitions").description("Phase changes, by the phase entered")
        .tag("phase", to.name()).register(registry).increment();
    // a failed canary ends RolledBack without RollingBack: removing it was the whole rollback
    boolean canaryRolledBack = to == Phase.RolledBack && from != Phase.RollingBack && canaryVerdict(hotfix) != null;
    if (to == Phase.RollingBack || canaryRolledBack) {
      Counter.builder("hotfix.rollbacks").description("Rollbacks started, by cause")
          .tag("reason", tagOf(hotfix.getStatus().rollbackCause)).register(registry).increment();
    }
    if (to.isTerminal()) {
      Timer.builder("hotfix.duration").description("From the start of an attempt to its terminal phase, by outcome")
          .tag("outcome", to.name()).register(registry).record(Duration.between(startOf(hotfix), at));
      if (canaryVerdict(hotfix) != null) {
        Counter.builder("hotfix.canary.verdicts").description("Canary verdicts, counted when their Hotfix ends")
            .tag("verdict", canaryVerdict(hotfix).name()).register(registry).increment();
      }
    }
  }

  /** After a restart or fail-over, the phase of a Hotfix no phase change has been seen for yet. */
  @Override
  public void phaseSeen(Hotfix hotfix) {
    if (hotfix.getStatus() != null && hotfix.getStatus().phase != null) {
      showPhase(hotfix, hotfix.getStatus().phase);
    }
  }

  /** A deleted Hotfix has no phase: its series goes, so that alerts on it resolve. */
  @Override
  public void deleted(Hotfix hotfix) {
    Gauge gauge = currentPhase.remove(hotfix.getMetadata().getNamespace() + "/" + hotfix.getMetadata().getName());
    if (gauge != null) {
      registry.remove(gauge);
    }
  }

  @Override
  public void recurring(Hotfix hotfix) {
    Counter.builder("hotfix.recurring").description("Hotfixes flagged as recurring, by target")
        .tags("namespace", hotfix.getMetadata().getNamespace(), "target", hotfix.getSpec().target.name)
        .register(registry).increment();
  }

  /** One {@code hotfix_phase} series per Hotfix: the one of {@code phase}. */
  private void showPhase(Hotfix hotfix, Phase phase) {
    String namespace = hotfix.getMetadata().getNamespace();
    String name = hotfix.getMetadata().getName();
    currentPhase.compute(namespace + "/" + name, (key, previous) -> {
      if (previous != null && phase.name().equals(previous.getId().getTag("phase"))) {
        return previous;
      }
      if (previous != null) {
        registry.remove(previous);
      }
      return Gauge.builder("hotfix.phase", () -> 1).description("1 for each Hotfix's current phase")
          .tags("namespace", namespace, "name", name, "phase", phase.name()).register(registry);
    });
  }

  /** The {@code reason} tag of a rollback: its cause's, or {@code other} when none was recorded. */
  static String tagOf(RollbackCause cause) {
    return cause == null ? "other" : cause.metricTag();
  }

  private static CanaryVerdict canaryVerdict(Hotfix hotfix) {
    return hotfix.getStatus().canary == null ? null : hotfix.getStatus().canary.verdict;
  }

  private static Instant startOf(Hotfix hotfix) {
    String started = hotfix.getStatus().startedAt != null ? hotfix.getStatus().startedAt
        : hotfix.getMetadata().getCreationTimestamp();
    return started == null ? Instant.now() : Instant.parse(started);
  }
}
