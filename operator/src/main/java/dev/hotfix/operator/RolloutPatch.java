package dev.hotfix.operator;

import dev.hotfix.api.v1alpha1.RevisionRecord;
import dev.hotfix.api.v1alpha1.StrategyRecord;
import dev.hotfix.api.v1alpha1.TargetKind;
import dev.hotfix.rollout.DeploymentPatch;
import dev.hotfix.rollout.TargetChanges;
import dev.hotfix.rollout.WorkloadView;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Optional;

/**
 * The single write that starts a rollout: new images, the Hotfix's strategy and the annotations
 * naming the holder, its attempt and the revisions a rollback trusts. Built in one place, so the
 * patch pre-flight has the API server dry-run in Pending is the one RollingOut sends.
 */
final class RolloutPatch {

  private RolloutPatch() {
  }

  /**
   * @param d the Deployment as read now
   * @param attempt the attempt token ({@link Observation#attempt()})
   * @param previous the revision being replaced
   * @param lastKnownGood the rollback target when {@code previous} is already failing, or null
   */
  static DeploymentPatch of(Observation o, Deployment d, String attempt, RevisionRecord previous,
      RevisionRecord lastKnownGood) {
    return TargetChanges.apply(d, o.name(), attempt, previous, Optional.ofNullable(lastKnownGood),
        o.spec().images(), strategy(o, d));
  }

  /**
   * The Hotfix's strategy for {@code d}'s kind; for a StatefulSet with a canary whose verdict is
   * still to come, held at the canary's partition ({@link PartitionCanary}).
   */
  static StrategyRecord strategy(Observation o, Deployment d) {
    TargetKind kind = WorkloadView.kindOf(d);
    StrategyRecord strategy = o.spec().strategy(kind);
    if (PartitionCanary.holds(o)) {
      int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
      strategy.partition = CanaryPlan.of(o.hotfix().getSpec()).orElseThrow().partitionFor(replicas);
    }
    return strategy;
  }
}
