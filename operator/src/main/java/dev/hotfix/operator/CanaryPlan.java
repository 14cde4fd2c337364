package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.CanarySpec;
import dev.hotfix.api.v1alpha1.CheckSpec;
import dev.hotfix.api.v1alpha1.HotfixSpec;
import dev.hotfix.api.v1alpha1.TargetKind;
import dev.hotfix.health.prometheus.CanaryQuery;
import dev.hotfix.rollout.WorkloadView;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A Hotfix's {@code spec.rollout.canary} with its defaults filled in (as {@link EffectiveSpec}
 * does for the rest, not relying on the API server's defaulting).
 *
 * @param pods a count, or a percentage of the Deployment's replicas
 * @param analysis how long the canary is judged once all its pods are ready
 */
record CanaryPlan(IntOrString pods, Duration analysis) {

  /** The Hotfix's canary, empty when it asks for none. */
  static Optional<CanaryPlan> of(HotfixSpec spec) {
    CanarySpec canary = spec.rollout == null ? null : spec.rollout.canary;
    if (canary == null) {
      return Optional.empty();
    }
    return Optional.of(new CanaryPlan(canary.pods == null ? new IntOrString(1) : canary.pods,
        Duration.ofSeconds(canary.analysisSeconds == null ? 60 : canary.analysisSeconds)));
  }

  /** The canary pods beside {@code replicas}: a percentage is rounded up, so never 0. */
  int podsFor(int replicas) {
    if (pods.getIntVal() != null) {
      return pods.getIntVal();
    }
    int percent = Integer.parseInt(pods.getStrVal().replace("%", "").trim());
    return Math.max(1, (int) Math.ceil(replicas * percent / 100.0));
  }

  /**
   * Why a Hotfix's canary, or a check written for one, cannot run on target {@code d} (seen as a Deployment),
   * phrased as what to fix; checked in Pending, before anything is written.
   */
  static Optional<String> problem(HotfixSpec spec, List<CheckSpec> checks, Deployment d) {
    Optional<CanaryPlan> plan = of(spec);
    if (plan.isEmpty()) {
      return checks.stream().filter(c -> c.prometheus != null && CanaryQuery.isComparative(c.prometheus.query))
          .findFirst().map(c -> "check " + c.name + " uses {{canary}} or {{baseline}}, which only a canary fills: "
              + "add spec.rollout.canary, or write the query without them");
    }
    TargetKind kind = WorkloadView.kindOf(d);
    if (kind == TargetKind.DaemonSet) {
      // one pod per node and no partition: there is no smaller first step than its rolling update
      return Optional.of("spec.rollout.canary needs a Deployment or a StatefulSet, and " + d.getMetadata().getName()
          + " is a DaemonSet: remove spec.rollout.canary (its rolling update replaces one node's pod at a time, and "
          + "the checks judge it as it goes)");
    }
    return plan.get().problem(kind, d.getMetadata().getName(), d.getSpec().getReplicas() == null ? 1
        : d.getSpec().getReplicas());
  }

  private Optional<String> problem(TargetKind kind, String target, int replicas) {
    int canaryPods = podsFor(replicas);
    if (canaryPods < 1) {
      return Optional.of("spec.rollout.canary.pods is " + canaryPods + ": a canary needs at least 1 pod");
    }
    if (canaryPods >= replicas) {
      return Optional.of("spec.rollout.canary.pods comes to " + canaryPods + " pod(s), but " + kind + " " + target
          + " has " + replicas + " replica(s): a canary must be fewer pods than the replicas, so that most requests "
          + "still reach the current revision (use 1, or a smaller percentage; a " + kind + " of 1 replica cannot "
          + "have a canary: remove spec.rollout.canary)");
    }
    return Optional.empty();
  }

  /**
   * The partition that holds a StatefulSet's rollout at the canary: its pods of this ordinal and
   * above are replaced (the highest ordinals, as the controller replaces them first).
   */
  int partitionFor(int replicas) {
    return replicas - podsFor(replicas);
  }

  /** The share of requests the canary gets when a Service spreads them over all ready pods alike. */
  static String share(int canaryPods, int replicas) {
    return Math.round(100.0 * canaryPods / (canaryPods + replicas)) + "%";
  }
}
