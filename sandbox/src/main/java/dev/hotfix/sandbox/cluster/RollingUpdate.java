package dev.hotfix.sandbox.cluster;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.List;

/**
 * One step of a RollingUpdate, as upstream's rolloutRolling: scale the new ReplicaSet up within
 * maxSurge, or else scale old ones down within maxUnavailable (unhealthy replicas first). Each
 * step is re-taken when the ReplicaSets it changed report back.
 *
 * <p>The arithmetic is upstream's exactly (checked against upstream's own test tables in the
 * conformance suite): pods are budgeted by the ReplicaSets' spec.replicas and availability by
 * their status.availableReplicas as the cache holds them, so a rollout may briefly hold more
 * pods than replicas+maxSurge while scaled-down pods are still going, as on a real cluster. The
 * decisions are static functions over a {@link Scaler}, so they run without a cluster.
 */
final class RollingUpdate {

  /** Resizes a ReplicaSet and answers it as it is afterwards. */
  interface Scaler {
    ReplicaSet scale(ReplicaSet rs, int size);
  }

  /** What cleaning up unhealthy old replicas did: the old ReplicaSets now, and how many went. */
  record Cleanup(List<ReplicaSet> old, int scaledDown, boolean refused) {}

  private final RolloutWrites writes;

  RollingUpdate(RolloutWrites writes) {
    this.writes = writes;
  }

  /** Takes the next step; true if any ReplicaSet was resized. */
  boolean step(Rollout rollout) {
    Scaler scaler = (rs, size) -> {
      writes.scaleReplicaSet(rollout, rs, size);
      return rollout.current(rs);
    };
    Deployment d = rollout.deployment;
    if (reconcileNewReplicaSet(d, rollout.all(), rollout.newRS, scaler)) {
      return true;
    }
    List<ReplicaSet> activeOld = rollout.old.stream().filter(ReplicaSets::isActive).toList();
    return reconcileOldReplicaSets(d, rollout.all(), activeOld, rollout.newRS, scaler);
  }

  /** Upstream's reconcileNewReplicaSet: towards replicas, within maxSurge; true if resized. */
  static boolean reconcileNewReplicaSet(Deployment d, List<ReplicaSet> all, ReplicaSet newRS, Scaler scaler) {
    int replicas = DeploymentSpecs.replicas(d);
    int current = ReplicaSets.desired(newRS);
    if (current == replicas) {
      return false;
    }
    int size = current > replicas ? replicas : newReplicaSetSize(d, all, newRS);
    if (size == current) {
      return false;
    }
    scaler.scale(newRS, size);
    return true;
  }

  /**
   * Upstream's NewRSNewReplicas: the pods budgeted are the sum of every ReplicaSet's
   * spec.replicas; the new one grows by what is left of replicas+maxSurge, never past replicas.
   */
  static int newReplicaSetSize(Deployment d, List<ReplicaSet> all, ReplicaSet newRS) {
    int replicas = DeploymentSpecs.replicas(d);
    if (!DeploymentSpecs.isRollingUpdate(d)) {
      return replicas;
    }
    int current = ReplicaSets.desired(newRS);
    int podCount = ReplicaSets.sum(all, ReplicaSets::desired);
    int maxTotal = replicas + DeploymentSpecs.maxSurge(d);
    if (podCount >= maxTotal) {
      return current;
    }
    return current + Math.min(maxTotal - podCount, replicas - current);
  }

  /**
   * Upstream's reconcileOldReplicaSets: scale down at most all - minAvailable - the new
   * ReplicaSet's unavailable pods; unhealthy old replicas first, then available ones while more
   * than minAvailable are available. True if any old ReplicaSet was resized.
   */
  static boolean reconcileOldReplicaSets(
      Deployment d, List<ReplicaSet> all, List<ReplicaSet> old, ReplicaSet newRS, Scaler scaler) {
    if (ReplicaSets.sum(old, ReplicaSets::desired) == 0) {
      return false;
    }
    int minAvailable = DeploymentSpecs.replicas(d) - DeploymentSpecs.maxUnavailable(d);
    int newUnavailable = ReplicaSets.desired(newRS) - ReplicaSets.available(newRS);
    int maxScaledDown = ReplicaSets.sum(all, ReplicaSets::desired) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) {
      return false;
    }
    Cleanup cleanup = cleanupUnhealthyReplicas(old, maxScaledDown, scaler);
    if (cleanup.refused()) {
      // upstream gives up this step when a ReplicaSet reports more available pods than it wants
      return false;
    }
    List<ReplicaSet> afterCleanup = new ArrayList<>(cleanup.old());
    afterCleanup.add(newRS);
    int scaledDown = scaleDownOldReplicaSetsForRollingUpdate(d, afterCleanup, cleanup.old(), scaler);
    return cleanup.scaledDown() + scaledDown > 0;
  }

  /**
   * Upstream's cleanupUnhealthyReplicas: oldest first, removes up to {@code maxCleanup} replicas
   * that are not available. A ReplicaSet whose status counts more available pods than it wants
   * (a scale-down not yet observed) stops the cleanup, as upstream refuses to "scale it up".
   */
  static Cleanup cleanupUnhealthyReplicas(List<ReplicaSet> old, int maxCleanup, Scaler scaler) {
    List<ReplicaSet> sets = oldestFirst(old);
    int total = 0;
    for (int i = 0; i < sets.size() && total < maxCleanup; i++) {
      ReplicaSet rs = sets.get(i);
      int desired = ReplicaSets.desired(rs);
      int available = ReplicaSets.available(rs);
      if (desired == 0 || desired == available) {
        continue;
      }
      int count = Math.min(maxCleanup - total, desired - available);
      if (count < 0) {
        return new Cleanup(sets, total, true);
      }
      sets.set(i, scaler.scale(rs, desired - count));
      total += count;
    }
    return new Cleanup(sets, total, false);
  }

  /**
   * Upstream's scaleDownOldReplicaSetsForRollingUpdate: oldest first, removes as many replicas
   * as are available beyond replicas - maxUnavailable; answers how many.
   */
  static int scaleDownOldReplicaSetsForRollingUpdate(
      Deployment d, List<ReplicaSet> all, List<ReplicaSet> old, Scaler scaler) {
    int minAvailable = DeploymentSpecs.replicas(d) - DeploymentSpecs.maxUnavailable(d);
    int available = ReplicaSets.sum(all, ReplicaSets::available);
    if (available <= minAvailable) {
      return 0;
    }
    int toScaleDown = available - minAvailable;
    int total = 0;
    for (ReplicaSet rs : oldestFirst(old)) {
      if (total >= toScaleDown) {
        break;
      }
      int desired = ReplicaSets.desired(rs);
      if (desired == 0) {
        continue;
      }
      int count = Math.min(desired, toScaleDown - total);
      scaler.scale(rs, desired - count);
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
