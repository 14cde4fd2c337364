package dev.hotfix.sandbox.cluster;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Deployment's status computed from its ReplicaSets, as upstream's calculateStatus and
 * syncRolloutStatus do: the counts, {@code Available}, and the {@code Progressing} condition
 * whose lastUpdateTime moves on every sign of progress and from which the progress deadline is
 * measured. Pure functions of their inputs and the clock, so they are tested without a cluster.
 */
final class DeploymentStatuses {

  private DeploymentStatuses() {}

  /** Counts and the Available condition, keeping the other conditions as they are. */
  static DeploymentStatus calculate(
      Deployment d, List<ReplicaSet> allRSs, ReplicaSet newRS, Instant now) {
    int available = ReplicaSets.sum(allRSs, ReplicaSets::available);
    int desiredTotal = ReplicaSets.sum(allRSs, ReplicaSets::desired);
    DeploymentStatus status = new DeploymentStatus();
    status.setObservedGeneration(d.getMetadata().getGeneration());
    status.setReplicas(ReplicaSets.sum(allRSs, ReplicaSets::observed));
    status.setUpdatedReplicas(newRS == null ? 0 : ReplicaSets.observed(newRS));
    status.setReadyReplicas(ReplicaSets.sum(allRSs, ReplicaSets::ready));
    status.setAvailableReplicas(available);
    status.setUnavailableReplicas(Math.max(0, desiredTotal - available));
    DeploymentStatus old = d.getStatus();
    status.setCollisionCount(old == null ? null : old.getCollisionCount());
    List<DeploymentCondition> conditions = new ArrayList<>();
    if (old != null && old.getConditions() != null) {
      for (DeploymentCondition c : old.getConditions()) {
        conditions.add(c.toBuilder().build());
      }
    }
    status.setConditions(conditions);
    if (available >= DeploymentSpecs.replicas(d) - DeploymentSpecs.maxUnavailable(d)) {
      DeploymentConditions.set(
          status,
          DeploymentConditions.create(
              DeploymentConditions.AVAILABLE,
              "True",
              DeploymentConditions.MINIMUM_REPLICAS_AVAILABLE,
              "Deployment has minimum availability.",
              now));
    } else {
      DeploymentConditions.set(
          status,
          DeploymentConditions.create(
              DeploymentConditions.AVAILABLE,
              "False",
              DeploymentConditions.MINIMUM_REPLICAS_UNAVAILABLE,
              "Deployment does not have minimum availability.",
              now));
    }
    return status;
  }

  /**
   * The status during a rollout: {@link #calculate} plus the Progressing condition (complete,
   * progressing, or timed out), as upstream's syncRolloutStatus.
   */
  static DeploymentStatus rollout(
      Deployment d, List<ReplicaSet> allRSs, ReplicaSet newRS, Instant now) {
    DeploymentStatus status = calculate(d, allRSs, newRS, now);
    if (!DeploymentSpecs.hasProgressDeadline(d)) {
      DeploymentConditions.remove(status, DeploymentConditions.PROGRESSING);
      return status;
    }
    Optional<DeploymentCondition> current =
        DeploymentConditions.get(d.getStatus(), DeploymentConditions.PROGRESSING);
    boolean alreadyComplete =
        status.getReplicas().equals(status.getUpdatedReplicas())
            && current.map(c -> DeploymentConditions.NEW_RS_AVAILABLE.equals(c.getReason())).orElse(false);
    if (alreadyComplete) {
      return status;
    }
    String subject = newRS == null
        ? "Deployment \"" + d.getMetadata().getName() + "\""
        : "ReplicaSet \"" + newRS.getMetadata().getName() + "\"";
    if (isComplete(d, status)) {
      DeploymentConditions.set(
          status,
          DeploymentConditions.create(
              DeploymentConditions.PROGRESSING,
              "True",
              DeploymentConditions.NEW_RS_AVAILABLE,
              subject + " has successfully progressed.",
              now));
    } else if (isProgressing(d, status)) {
      // Unlike other conditions, progress with the same reason still moves lastUpdateTime
      // (the deadline restarts from it); lastTransitionTime stays while the status is True.
      DeploymentCondition progressing =
          DeploymentConditions.create(
              DeploymentConditions.PROGRESSING,
              "True",
              DeploymentConditions.RS_UPDATED,
              subject + " is progressing.",
              now);
      if (current.isPresent() && "True".equals(current.get().getStatus())) {
        progressing.setLastTransitionTime(current.get().getLastTransitionTime());
      }
      DeploymentConditions.replace(status, progressing);
    } else if (isTimedOut(d, status, now)) {
      DeploymentConditions.set(
          status,
          DeploymentConditions.create(
              DeploymentConditions.PROGRESSING,
              "False",
              DeploymentConditions.TIMED_OUT,
              subject + " has timed out progressing.",
              now));
    }
    return status;
  }

  /** Upstream's DeploymentComplete: every desired pod updated and available, spec observed. */
  static boolean isComplete(Deployment d, DeploymentStatus status) {
    int replicas = DeploymentSpecs.replicas(d);
    return status != null
        && value(status.getUpdatedReplicas()) == replicas
        && value(status.getReplicas()) == replicas
        && value(status.getAvailableReplicas()) == replicas
        && observedGeneration(status) >= generation(d);
  }

  /** Upstream's DeploymentProgressing: more updated/ready/available pods or fewer old ones. */
  static boolean isProgressing(Deployment d, DeploymentStatus status) {
    DeploymentStatus old = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    int oldOld = value(old.getReplicas()) - value(old.getUpdatedReplicas());
    int newOld = value(status.getReplicas()) - value(status.getUpdatedReplicas());
    return value(status.getUpdatedReplicas()) > value(old.getUpdatedReplicas())
        || newOld < oldOld
        || value(status.getReadyReplicas()) > value(old.getReadyReplicas())
        || value(status.getAvailableReplicas()) > value(old.getAvailableReplicas());
  }

  /** Upstream's DeploymentTimedOut: no progress for progressDeadlineSeconds since lastUpdateTime. */
  static boolean isTimedOut(Deployment d, DeploymentStatus status, Instant now) {
    if (!DeploymentSpecs.hasProgressDeadline(d)) {
      return false;
    }
    Optional<DeploymentCondition> cond = DeploymentConditions.get(status, DeploymentConditions.PROGRESSING);
    if (cond.isEmpty() || DeploymentConditions.NEW_RS_AVAILABLE.equals(cond.get().getReason())) {
      return false;
    }
    if (DeploymentConditions.TIMED_OUT.equals(cond.get().getReason())) {
      return true;
    }
    Instant from = Timestamps.parse(cond.get().getLastUpdateTime());
    return from != null && from.plusSeconds(DeploymentSpecs.progressDeadlineSeconds(d)).isBefore(now);
  }

  /**
   * Upstream's requeueStuckDeployment: how long until the Deployment's progress deadline passes
   * (zero when it is less than a second away or past), or empty when no deadline is pending
   * (none set, no Progressing condition yet, complete, or already timed out).
   */
  static Optional<Duration> requeueStuckDeployment(Deployment d, DeploymentStatus newStatus, Instant now) {
    Optional<DeploymentCondition> cond =
        DeploymentConditions.get(d.getStatus(), DeploymentConditions.PROGRESSING);
    if (!DeploymentSpecs.hasProgressDeadline(d)
        || cond.isEmpty()
        || isComplete(d, newStatus)
        || DeploymentConditions.TIMED_OUT.equals(cond.get().getReason())) {
      return Optional.empty();
    }
    Instant from = Timestamps.parse(cond.get().getLastUpdateTime());
    if (from == null) {
      return Optional.empty();
    }
    Duration after = Duration.between(now, from.plusSeconds(DeploymentSpecs.progressDeadlineSeconds(d)));
    return Optional.of(after.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ZERO : after);
  }

  private static int value(Integer i) {
    return i == null ? 0 : i;
  }

  private static long observedGeneration(DeploymentStatus status) {
    return status.getObservedGeneration() == null ? 0 : status.getObservedGeneration();
  }

  private static long generation(Deployment d) {
    return d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
  }
}
