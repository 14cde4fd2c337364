package dev.hotfix.sandbox.cluster;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.List;

/**
 * One step of a RollingUpdate, as upstream's rolloutRolling: scale the new ReplicaSet up within
 * maxSurge, or else scale old ones down within maxUnavailable (unhealthy replicas first). Each
 * step is re-taken when the ReplicaSets it changed report back, so a rollout advances as fast
 * as pods become available and never faster.
 */
final class RollingUpdate {

  private final RolloutWrites writes;

  RollingUpdate(RolloutWrites writes) {
    this.writes = writes;
  }

  /** Takes the next step; true if any ReplicaSet was resized. */
  boolean step(Rollout rollout) {
    return reconcileNewReplicaSet(rollout) || reconcileOldReplicaSets(rollout);
  }

  /** Scales the new ReplicaSet towards replicas within maxSurge; true if it changed. */
  private boolean reconcileNewReplicaSet(Rollout rollout) {
    int replicas = DeploymentSpecs.replicas(rollout.deployment);
    int current = ReplicaSets.desired(rollout.newRS);
    if (current == replicas) {
      return false;
    }
    if (current > replicas) {
      return writes.scaleReplicaSet(rollout, rollout.newRS, replicas);
    }
    return writes.scaleReplicaSet(rollout, rollout.newRS, NewReplicaSets.newReplicaSetSize(rollout.deployment, rollout.all(), rollout.newRS));
  }

  /**
   * Upstream's reconcileOldReplicaSets: first drop unhealthy old replicas, then available ones,
   * never below replicas - maxUnavailable available pods.
   */
  private boolean reconcileOldReplicaSets(Rollout rollout) {
    Deployment d = rollout.deployment;
    if (ReplicaSets.sum(rollout.old, ReplicaSets::desired) == 0) {
      return false;
    }
    int minAvailable = DeploymentSpecs.replicas(d) - DeploymentSpecs.maxUnavailable(d);
    int newUnavailable = ReplicaSets.desired(rollout.newRS) - ReplicaSets.available(rollout.newRS);
    int maxScaledDown = ReplicaSets.sum(rollout.all(), ReplicaSets::desired) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) {
      return false;
    }
    int cleaned = cleanupUnhealthyReplicas(rollout, maxScaledDown);
    int scaledDown = scaleDownOldForRollingUpdate(rollout, minAvailable);
    return cleaned + scaledDown > 0;
  }

  private int cleanupUnhealthyReplicas(Rollout rollout, int maxCleanup) {
    int total = 0;
    for (ReplicaSet rs : oldestFirst(rollout.old)) {
      if (total >= maxCleanup) {
        break;
      }
      int unhealthy = ReplicaSets.desired(rs) - ReplicaSets.available(rs);
      if (ReplicaSets.desired(rs) == 0 || unhealthy <= 0) {
        continue;
      }
      int count = Math.min(maxCleanup - total, unhealthy);
      writes.scaleReplicaSet(rollout, rs, ReplicaSets.desired(rs) - count);
      total += count;
    }
    return total;
  }

  private int scaleDownOldForRollingUpdate(Rollout rollout, int minAvailable) {
    int available = ReplicaSets.sum(rollout.all(), ReplicaSets::available);
    if (available <= minAvailable) {
      return 0;
    }
    int toScaleDown = available - minAvailable;
    int total = 0;
    for (ReplicaSet rs : oldestFirst(rollout.old)) {
      if (total >= toScaleDown) {
        break;
      }
      if (ReplicaSets.desired(rs) == 0) {
        continue;
      }
      int count = Math.min(ReplicaSets.desired(rs), toScaleDown - total);
      writes.scaleReplicaSet(rollout, rs, ReplicaSets.desired(rs) - count);
      total += count;
    }
    return total;
  }

  private static List<ReplicaSet> oldestFirst(List<ReplicaSet> sets) {
    List<ReplicaSet> sorted = new ArrayList<>(sets);
    sorted.sort(ReplicaSets.OLDEST_FIRST);
    return sorted;
  }
}
